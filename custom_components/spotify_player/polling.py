"""The polling policy: when the coordinator asks Spotify next, and what it may spend.

Every number that shapes polling sits here, side by side per activity: the routine
interval, the hourly request budget, the device-list cadence and the slow-downs of an
account left idle or paused; then the back-off after failures. `PollingPolicy.next_poll`
answers the one question the coordinator asks after each poll: when is the next
request, and is an urgent one due sooner.

Since July 2026 Spotify's request quota belongs to the developer account, so every
request is charged to an hourly token bucket (`RequestBudget`): no hour sees more
than the plan allows, however the schedule bunches up.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
import time
from typing import TYPE_CHECKING, Any, Final

from .playback import Activity

if TYPE_CHECKING:
    from collections.abc import Mapping

HOUR: Final = 3600.0
PAUSED_INTERVAL: Final = 60.0
IDLE_INTERVAL: Final = 120.0


@dataclass(frozen=True, kw_only=True, slots=True)
class ActivityPolicy:
    """How one activity is polled.

    `interval`: routine poll (None while playing: the interval option decides).
    `budget`/`burst`: requests an hour and how many may bunch up (playing: the
    polls the interval makes plus `device_lists_per_hour`). `devices_interval`: how
    old the device list may grow. `slow_after`/`slow_interval`: an account doing the
    same thing this long is polled this slowly, its device list every
    `SLOW_DEVICES_INTERVAL`.
    """

    interval: float | None
    budget: int | None
    burst: int
    devices_interval: float
    slow_after: float | None = None
    slow_interval: float | None = None


POLICIES: Final[Mapping[Activity, ActivityPolicy]] = {
    Activity.PLAYING: ActivityPolicy(
        interval=None, budget=None, burst=4, devices_interval=60.0
    ),
    # 60 polls + 30 device lists an hour.
    Activity.PAUSED: ActivityPolicy(
        interval=PAUSED_INTERVAL,
        budget=90,
        burst=3,
        devices_interval=120.0,
        slow_after=1800.0,
        slow_interval=180.0,
    ),
    # 30 polls + 30 device lists an hour.
    Activity.IDLE: ActivityPolicy(
        interval=IDLE_INTERVAL,
        budget=60,
        burst=3,
        devices_interval=120.0,
        slow_after=600.0,
        slow_interval=300.0,
    ),
}
# While playing the budget follows the interval option, so the interval chosen is the
# interval delivered: 5 s: 780 requests an hour, 15 s: 300, 60 s: 120.
PLAYING_DEVICE_LISTS_PER_HOUR: Final = 60
SLOW_DEVICES_INTERVAL: Final = 1800.0
# Routine requests leave this many tokens for urgent ones (track end, confirmation).
RESERVE: Final = 1

# After a failed poll: ask again after 2 s, 5 s, then every 10 s. The fifth failure in
# a row (27 s after the first) makes the entity unavailable until a poll succeeds.
RETRY_DELAYS: Final = (2.0, 5.0, 10.0)
MAX_FAILURES: Final = 5

# Poll this long after the item should end, so Spotify has moved on when we ask.
TRACK_END_MARGIN: Final = 0.5
# Spotify needs a moment before a command shows in GET /me/player.
CONFIRM_DELAY: Final = 1.0
# Home Assistant's scheduler may fire up to a second early: never hit a closed gate.
RETRY_AFTER_MARGIN: Final = 1.0

# Local push hints (hints.py): the playing device's linked entity reported a change.
# At most one refresh for hints this often, however many arrive.
HINT_SPACING: Final = 2.0
# While the playing device's entity has reported a change this recently, changes
# arrive as hints: the routine playing poll and the device list may stretch.
HINT_FRESH_FOR: Final = 600.0
HINTED_PLAYING_INTERVAL: Final = 60.0
HINTED_DEVICES_INTERVAL: Final = 300.0


@dataclass(frozen=True, kw_only=True, slots=True)
class BudgetPlan:
    """Requests allowed per hour in one activity, and how they may bunch up."""

    per_hour: int
    burst: int

    @property
    def rate(self) -> float:
        """Tokens added per second."""
        return (self.per_hour - self.burst) / HOUR


def budget_plan(activity: Activity, playing_interval: float) -> BudgetPlan:
    """Return the hourly request budget of an activity (playing: of the interval)."""
    policy = POLICIES[activity]
    if policy.budget is not None:
        return BudgetPlan(per_hour=policy.budget, burst=policy.burst)
    polls = math.ceil(HOUR / playing_interval)
    return BudgetPlan(
        per_hour=polls + PLAYING_DEVICE_LISTS_PER_HOUR, burst=policy.burst
    )


class RequestBudget:
    """Token bucket: at most `burst` up front, refilled so no hour exceeds the plan."""

    def __init__(self, plan: BudgetPlan, now: float) -> None:
        """Start with a full bucket."""
        self.plan = plan
        self._tokens = float(plan.burst)
        self._updated = now

    def tokens(self, now: float) -> float:
        """Tokens available at `now` (negative after an overdraft)."""
        elapsed = max(0.0, now - self._updated)
        return min(float(self.plan.burst), self._tokens + elapsed * self.plan.rate)

    def _settle(self, now: float) -> None:
        self._tokens = self.tokens(now)
        self._updated = max(self._updated, now)

    def set_plan(self, plan: BudgetPlan, now: float) -> None:
        """Switch plans (the activity changed); unused tokens carry over."""
        if plan == self.plan:
            return
        self._settle(now)
        self.plan = plan
        self._tokens = min(self._tokens, float(plan.burst))

    def spend(self, count: int, now: float) -> None:
        """Record requests that were sent; may overdraw, which later polls repay."""
        self._settle(now)
        self._tokens -= count

    def wait(self, count: int, now: float, *, urgent: bool = False) -> float:
        """Seconds until `count` requests fit (routine ones keep the reserve)."""
        missing = count + (0 if urgent else RESERVE) - self.tokens(now)
        return max(0.0, missing / self.plan.rate)


@dataclass(frozen=True, kw_only=True, slots=True)
class NextPoll:
    """The answer of the policy after a poll."""

    routine: float
    """Seconds until the routine poll."""
    urgent: float | None
    """Seconds until an earlier refresh (the item ends sooner), or None."""


class PollingPolicy:
    """The schedule state of one account: budget, slow-downs, failures in a row."""

    def __init__(self) -> None:
        """Start as if the state had just changed, with nothing spent."""
        self._budget: RequestBudget | None = None
        self._activity: Activity | None = None
        self._since: float | None = None
        self.failures = 0
        # The device whose linked entity sent the last hint, when, and when the
        # last refresh for a hint was set to run.
        self._hint: tuple[str, float] | None = None
        self._hint_refresh_at: float | None = None
        # What the last schedule was for: background reads ask against it.
        self._last: tuple[Activity, float, str | None] | None = None

    # Budget

    def spend(self, count: int) -> None:
        """Charge requests to the budget (none before the first schedule: setup's)."""
        if self._budget is not None:
            self._budget.spend(count, time.monotonic())

    def _budget_for(
        self, activity: Activity, playing_interval: float, now: float
    ) -> RequestBudget:
        plan = budget_plan(activity, playing_interval)
        if self._budget is None:
            self._budget = RequestBudget(plan, now)
        else:
            self._budget.set_plan(plan, now)
        return self._budget

    # Slow-downs

    def _observe(self, activity: Activity, now: float) -> None:
        if activity is not self._activity or self._since is None:
            self._activity = activity
            self._since = now

    def reset_cadence(self) -> None:
        """Back to the normal cadence at the next poll (a command was sent)."""
        self._since = None

    def _slow(self, now: float) -> bool:
        if self._activity is None or self._since is None:
            return False
        slow_after = POLICIES[self._activity].slow_after
        return slow_after is not None and now - self._since >= slow_after

    # Local push hints

    def note_hint(self, device: str, now: float) -> None:
        """Record a hint from the linked entity of `device` (the playing one)."""
        self._hint = (device.casefold(), now)

    def hinted(self, device: str | None, now: float) -> bool:
        """Whether `device`'s linked entity reported a change in HINT_FRESH_FOR."""
        if device is None or self._hint is None:
            return False
        name, at = self._hint
        return name == device.casefold() and now - at < HINT_FRESH_FOR

    def hint_refresh_in(self, now: float, closed_for: float) -> float | None:
        """Seconds until a refresh for a hint may run, and plan it then.

        Urgent (it may use the budget's reserve), at most one each HINT_SPACING,
        and never while the rate-limit gate is shut (`closed_for` seconds more).
        None after a failed poll: the back-off's next try shows the change, and a
        failing Spotify gets no extra request.
        """
        if self.failures:
            return None
        delay = 0.0
        if self._hint_refresh_at is not None:
            delay = self._hint_refresh_at + HINT_SPACING - now
        if self._budget is not None:
            delay = max(delay, self._budget.wait(1, now, urgent=True))
        if closed_for > 0:
            delay = max(delay, closed_for + RETRY_AFTER_MARGIN)
        delay = max(delay, 0.0)
        self._hint_refresh_at = now + delay
        return delay

    # Failures

    def poll_failed(self) -> float:
        """Count a failed poll; return the seconds until the next try."""
        self.failures += 1
        return RETRY_DELAYS[min(self.failures, len(RETRY_DELAYS)) - 1]

    @property
    def failures_exhausted(self) -> bool:
        """Whether the failures in a row make the entity unavailable."""
        return self.failures >= MAX_FAILURES

    def poll_succeeded(self) -> None:
        """Start counting failures afresh."""
        self.failures = 0

    # The schedule

    def devices_due(
        self,
        activity: Activity,
        fetched_at: float | None,
        *,
        playing_interval: float,
        now: float,
        device: str | None = None,
    ) -> bool:
        """Whether the device list should come along with the poll made at `now`.

        It never delays the next poll: it comes along only while the budget can pay
        for it and still for the next routine poll on time, else with a later poll.
        (Charging both to one poll made every fourth poll wait, so changes showed
        late.)
        """
        if fetched_at is not None:
            interval = POLICIES[activity].devices_interval
            if activity is self._activity and self._slow(now):
                interval = max(interval, SLOW_DEVICES_INTERVAL)
            if activity is Activity.PLAYING and self.hinted(device, now):
                interval = max(interval, HINTED_DEVICES_INTERVAL)
            if now - fetched_at < interval:
                return False
        return self._spare(activity, playing_interval, now, device)

    def can_spare(self) -> bool:
        """Whether a background read (the queue) may go now without delaying a poll.

        The rule of the device list: it must leave the budget able to pay for the
        next routine poll on time; else it waits for a later poll. A new item's
        queue (what the up-next sensor shows) may use the reserve a routine device
        list keeps, so it goes first when both want the last token.
        """
        if self._last is None:
            return True
        activity, playing_interval, device = self._last
        return self._spare(
            activity, playing_interval, time.monotonic(), device, urgent=True
        )

    def _spare(
        self,
        activity: Activity,
        playing_interval: float,
        now: float,
        device: str | None,
        *,
        urgent: bool = False,
    ) -> bool:
        if self._budget is None:
            return True
        routine = self._routine(activity, playing_interval, now, device)
        return self._budget.wait(2, now, urgent=urgent) <= routine

    def _routine(
        self,
        activity: Activity,
        playing_interval: float,
        now: float,
        device: str | None = None,
    ) -> float:
        policy = POLICIES[activity]
        routine = policy.interval or playing_interval
        if self._slow(now) and policy.slow_interval is not None:
            routine = max(routine, policy.slow_interval)
        if activity is Activity.PLAYING and self.hinted(device, now):
            # Changes arrive as hints; the track-end refresh and confirmations stay.
            routine = max(routine, HINTED_PLAYING_INTERVAL)
        return routine

    def next_poll(
        self,
        activity: Activity,
        *,
        playing_interval: float,
        now: float,
        seconds_left: float | None = None,
        not_before: float = 0.0,
        retry_in: float | None = None,
        device: str | None = None,
    ) -> NextPoll:
        """When to poll next, and when to refresh urgently because the item ends.

        Routine: the interval of the activity (the option while playing), slower for
        an account idle or paused for long, or playing on a `device` whose linked
        entity sends hints, or `retry_in` after a failure; never
        before `not_before` (Retry-After) nor before the budget allows. Urgent: time
        left in the item + 0.5 s, which may use the budget's reserve.
        """
        self._observe(activity, now)
        self._last = (activity, playing_interval, device)
        routine = retry_in
        if routine is None:
            routine = self._routine(activity, playing_interval, now, device)
        budget = self._budget_for(activity, playing_interval, now)
        delay = max(routine, not_before, budget.wait(1, now))
        urgent = None
        if not not_before and seconds_left is not None:
            track_end = seconds_left + TRACK_END_MARGIN
            if track_end < delay:
                urgent = max(track_end, budget.wait(1, now, urgent=True))
        return NextPoll(routine=delay, urgent=urgent)

    def diagnostics(self, now: float) -> dict[str, Any]:
        """Return the schedule state for the diagnostics download."""
        budget = self._budget
        return {
            "consecutive_failures": self.failures,
            "budget_per_hour": budget.plan.per_hour if budget else None,
            "budget_tokens": round(budget.tokens(now), 2) if budget else None,
            "slow_cadence": self._slow(now),
            "hinted_for": round(HINT_FRESH_FOR - (now - self._hint[1]), 1)
            if self._hint is not None and now - self._hint[1] < HINT_FRESH_FOR
            else None,
            "same_activity_for": round(now - self._since, 1)
            if self._since is not None
            else None,
        }
