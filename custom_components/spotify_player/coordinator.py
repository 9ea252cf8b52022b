"""Adaptive playback coordinator of one Spotify account.

Polls GET /me/player at a pace that follows what the account does (see `_schedule`;
slower when nothing happens: cadence.py), keeps the last state through short outages
and short rate limits (long ones: long_rate_limit.py), refreshes the device list on
its own slower cadence (devices.py), names the context (context_names.py),
refreshes about a second after each command to confirm it, and leaves the expected
state of a command alone while it is in flight (commands.py sends them). All requests
it makes are charged to an hourly budget (budget.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
import math
import time
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import Device, SpotifyClient, SpotifyError, SpotifyRateLimitedError
from .budget import HOUR, BudgetPlan, RequestBudget
from .cadence import Cadence
from .const import (
    CONF_PLAYING_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_PLAYING_INTERVAL,
    MIN_PLAYING_INTERVAL,
)
from .context_names import ContextNames
from .device_memory import DeviceMemory
from .devices import DeviceList
from .errors import async_report_spotify_error
from .long_rate_limit import LongRateLimitPause
from .playback import Activity, SpotifyPlaybackData, playback_position
from .refresh_timer import RefreshTimer
from .retry import PollRetry
from .up_next import UpNext
from .wake import SleepingDevices, wake_links

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .data import SpotifyPlayerConfigEntry

PAUSED_INTERVAL: Final = 60.0
IDLE_INTERVAL: Final = 120.0
# Poll this long after the item should end, so Spotify has moved on when we ask.
TRACK_END_MARGIN: Final = 0.5
# Spotify needs a moment before a command shows in GET /me/player.
CONFIRM_DELAY: Final = 1.0
# Home Assistant's scheduler may fire up to a second early: do not hit a closed gate.
RETRY_AFTER_MARGIN: Final = 1.0
# Requests per hour while paused (60 polls + 30 device lists) and idle (30 + 30).
BUDGETS: Final = {
    Activity.PAUSED: BudgetPlan(per_hour=90, burst=3, reserve=1),
    Activity.IDLE: BudgetPlan(per_hour=60, burst=3, reserve=1),
}
# While playing the budget follows the interval option, so the interval chosen is
# the interval delivered: one poll per interval plus the device list every 60 s
# (5 s: 780 requests an hour, 10 s: 420, 15 s: 300, 30 s: 180, 60 s: 120).
PLAYING_DEVICE_LISTS_PER_HOUR: Final = 60
PLAYING_BURST: Final = 4


def budget_plan(activity: Activity, playing_interval: float) -> BudgetPlan:
    """Return the hourly request budget of an activity (playing: of the interval)."""
    if activity is not Activity.PLAYING:
        return BUDGETS[activity]
    polls = math.ceil(HOUR / playing_interval)
    return BudgetPlan(
        per_hour=polls + PLAYING_DEVICE_LISTS_PER_HOUR, burst=PLAYING_BURST, reserve=1
    )


class SpotifyPlaybackCoordinator(DataUpdateCoordinator[SpotifyPlaybackData]):
    """Keep the playback state and devices of one Spotify account current."""

    config_entry: SpotifyPlayerConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SpotifyPlayerConfigEntry,
        client: SpotifyClient,
    ) -> None:
        """Initialise the coordinator; nothing is fetched before the first refresh."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=IDLE_INTERVAL),
        )
        self.client = client
        self.rate_limited_until: datetime | None = None
        self._retry = PollRetry()
        self._cadence = Cadence()
        self._pause = LongRateLimitPause(hass, entry)
        self.device_memory = DeviceMemory(hass, entry.entry_id)
        self.sleeping = SleepingDevices(
            hass, entry, self.device_memory, client.rate_limit_gate
        )
        self._device_list = DeviceList(
            client,
            self._spend,
            self._cadence.devices_interval,
            self.device_memory.async_note,
        )
        self._context_names = ContextNames(client, self._spend)
        self.up_next = UpNext(hass, entry, client, self._spend)
        # Created after the first refresh: setup's requests are not charged.
        self._budget: RequestBudget | None = None
        # Exact refresh when the item ends before the next routine poll.
        self._track_end = RefreshTimer(
            hass, entry, f"{DOMAIN} track end refresh", self.async_refresh
        )
        # A command awaits its confirming refresh (timer pending, or fired and queued);
        # it answers the user, so the budget is not charged (`_async_update_data`).
        self._confirm = RefreshTimer(
            hass, entry, f"{DOMAIN} confirmation", self.async_refresh, self._confirm_now
        )
        self._confirm_due = False
        self._in_flight = 0

    @property
    def failures(self) -> int:
        """Failed polls in a row."""
        return self._retry.failures

    @property
    def devices(self) -> list[Device]:
        """The device list as last fetched."""
        return self._device_list.devices

    @property
    def last_active_device_id(self) -> str | None:
        """The device that played last, as the player or the device list said."""
        return self._device_list.last_active_id

    # Polling

    async def async_shutdown(self) -> None:
        """Stop polling and the exact refreshes (runs on unload)."""
        await super().async_shutdown()
        self._track_end.cancel()
        self._confirm.cancel()

    async def _async_update_data(self) -> SpotifyPlaybackData:
        """Fetch the player; keep the last state through rate limits and blips."""
        self._track_end.cancel()
        confirming, self._confirm_due = self._confirm_due, False
        if self._awaiting_confirmation():
            # Spotify would still report the state from before the command; the
            # confirmation asks in a moment, so this poll sends nothing.
            return self.data
        try:
            data = await self._async_fetch(charged=not confirming)
        except SpotifyRateLimitedError as err:
            return self._hold_rate_limited(err)
        except SpotifyError as err:
            return self._handle_failure(err)
        self._retry.succeeded()
        self.rate_limited_until = None
        self._pause.async_end()
        if self._awaiting_confirmation():
            # A command went out while this request was under way: the answer may
            # predate it, so keep showing the expected state until the confirmation.
            data = self.data
        self._schedule(data)
        return data

    async def _async_fetch(self, *, charged: bool) -> SpotifyPlaybackData:
        playback = await self.client.get_playback_state()
        if charged:
            self._spend(1)
        now = dt_util.utcnow()
        data = SpotifyPlaybackData(playback=playback)
        if playback is not None:
            position, updated_at = playback_position(playback, now, self.data)
            data = replace(
                data,
                position_ms=position,
                position_updated_at=updated_at,
                context_name=await self._context_names.async_name(playback),
            )
        if (device := data.device) is not None and device.id:
            self._device_list.note_active(device.id)
        if self._device_list.due(data.activity, 0):
            await self._device_list.async_try_fetch()
        return data

    def _hold_rate_limited(self, err: SpotifyRateLimitedError) -> SpotifyPlaybackData:
        """Keep the last state and wait out Retry-After (the gate sends nothing)."""
        self.rate_limited_until = dt_util.utcnow() + timedelta(seconds=err.retry_after)
        if self._pause.holds(err):
            # Hours without news: unavailable beats a stale state (long_rate_limit.py).
            raise self._pause.async_start(err, RETRY_AFTER_MARGIN) from err
        if self.data is None:
            raise UpdateFailed(
                retry_after=err.retry_after + RETRY_AFTER_MARGIN,
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                translation_placeholders={"retry_after": str(round(err.retry_after))},
            ) from err
        LOGGER.debug("Rate limited by Spotify, next poll in %.0f s", err.retry_after)
        self._schedule(self.data, not_before=err.retry_after + RETRY_AFTER_MARGIN)
        return self.data

    def _handle_failure(self, err: SpotifyError) -> SpotifyPlaybackData:
        """Act on a failed poll as the error table says (errors.py).

        Reauth: ConfigEntryAuthFailed (polling stops). A refusal only the user can
        fix (a repair issue says how): polling stops until the entry is reloaded,
        so no budget is spent on answers that cannot change. Otherwise keep the last
        state through short outages and try again soon (retry.py).
        """
        outcome = async_report_spotify_error(
            self.hass, self.config_entry, err, reauth=False
        )
        placeholders = outcome.values(err)
        if outcome.reauth:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key=outcome.key,
                translation_placeholders=placeholders,
            ) from err
        if not outcome.retry and outcome.issue is not None:
            self.update_interval = None
            self._track_end.cancel()
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=outcome.key,
                translation_placeholders=placeholders,
            ) from err
        retry_in = self._retry.failed()
        if self.data is not None:
            self._schedule(self.data, retry_in=retry_in)
        if self.data is None or self._retry.exhausted:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=outcome.key,
                translation_placeholders=placeholders,
            ) from err
        LOGGER.debug("Keeping the last state (failure %s): %s", self.failures, err)
        return self.data

    def _schedule(
        self,
        data: SpotifyPlaybackData,
        not_before: float = 0.0,
        retry_in: float | None = None,
    ) -> None:
        """Set the next routine poll and, when the item ends sooner, an exact one.

        Routine: the playing interval option while playing, 60 s paused, 120 s idle,
        or `retry_in` after a failure; stretched when the hourly budget runs short.
        Urgent: time left in the item + 0.5 s, which may use the budget's reserve.
        """
        activity = data.activity
        now = time.monotonic()
        budget = self._budget_for(activity, now)
        routine = retry_in
        if routine is None:
            routine = self._cadence.routine(
                activity,
                {
                    Activity.PLAYING: self._playing_interval(),
                    Activity.PAUSED: PAUSED_INTERVAL,
                    Activity.IDLE: IDLE_INTERVAL,
                }[activity],
                now,
            )
        cost = 1 + self._device_list.due(activity, routine)
        delay = max(routine, not_before, budget.wait(cost, now))
        self.update_interval = timedelta(seconds=delay)
        left = data.seconds_left(dt_util.utcnow())
        if not not_before and left is not None and left + TRACK_END_MARGIN < delay:
            wait = budget.wait(1, now, urgent=True)
            self._track_end.schedule(max(left + TRACK_END_MARGIN, wait))

    def _playing_interval(self) -> float:
        value = self.config_entry.options.get(
            CONF_PLAYING_INTERVAL, DEFAULT_PLAYING_INTERVAL
        )
        return float(min(max(value, MIN_PLAYING_INTERVAL), MAX_PLAYING_INTERVAL))

    def _budget_for(self, activity: Activity, now: float) -> RequestBudget:
        plan = budget_plan(activity, self._playing_interval())
        if self._budget is None:
            self._budget = RequestBudget(plan, now)
        else:
            self._budget.set_plan(plan, now)
        return self._budget

    def _spend(self, count: int) -> None:
        if self._budget is not None:
            self._budget.spend(count, time.monotonic())

    # Command confirmation

    def _awaiting_confirmation(self) -> bool:
        """Whether a command is in flight or its confirming refresh still to come."""
        return self._in_flight > 0 or self._confirm.pending or self._confirm_due

    @contextmanager
    def command_in_flight(self) -> Iterator[None]:
        """Hold the state shown while a command's request is on its way.

        A poll answered meanwhile may predate the command: it must not undo the
        expected state (commands.py shows it before sending).
        """
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1

    @property
    def command_unconfirmed(self) -> bool:
        """Whether what is shown is a command's expectation, still unconfirmed."""
        return self._awaiting_confirmation()

    @callback
    def async_command_sent(self, *, device_changed: bool = False) -> None:
        """Confirm a command about a second after it was sent.

        A later command moves the confirmation, so a burst shares one. Until then
        polls leave the expected state shown (see `_async_update_data`).
        `device_changed` also refreshes the device list with that refresh.
        """
        if device_changed:
            self._device_list.expire()
        self._cadence.reset()
        self._confirm.schedule(CONFIRM_DELAY)

    @callback
    def _confirm_now(self) -> None:
        # Confirmations answer the user: the polling budget is neither asked nor
        # charged (see `_async_update_data`).
        self._confirm_due = True

    # Devices

    @property
    def device_list(self) -> DeviceList:
        """The account's devices, the last active one and the fallback device."""
        return self._device_list

    async def async_refresh_devices(self) -> list[Device]:
        """Fetch the device list now (errors propagate) and notify the entity."""
        devices = await self._device_list.async_fetch()
        if self.data is not None:
            self.async_update_listeners()
        return devices

    @callback
    def async_show(self, data: SpotifyPlaybackData) -> None:
        """Publish an expected state without touching the poll schedule."""
        self.data = data
        self.async_update_listeners()

    # Diagnostics

    def diagnostics(self) -> dict[str, Any]:
        """Scheduling state for the diagnostics download (no personal data)."""
        now = time.monotonic()
        return {
            "activity": self.data.activity if self.data else None,
            "update_interval": self.update_interval.total_seconds()
            if self.update_interval
            else None,
            "consecutive_failures": self.failures,
            "rate_limited_until": self.rate_limited_until.isoformat()
            if self.rate_limited_until
            else None,
            "rate_limit_remaining": self.client.rate_limit_gate.remaining,
            "budget_per_hour": self._budget.plan.per_hour if self._budget else None,
            "budget_tokens": round(self._budget.tokens(now), 2)
            if self._budget
            else None,
            "devices_known": len(self.devices),
            "devices_remembered": len(self.device_memory.devices),
            "devices_linked_for_waking": len(wake_links(self.config_entry)),
            "queue_fetches": self.up_next.fetches,
            "contexts_cached": len(self._context_names),
            **self._cadence.diagnostics(now),
        }
