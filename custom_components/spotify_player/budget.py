"""Hourly request budget of the playback coordinator (a token bucket).

The bucket holds at most `burst` requests and refills at `(per_hour - burst) / hour`, so
no window of one hour can see more than `per_hour` requests: `burst` up front plus the
refill. Routine polls leave `reserve` tokens in the bucket; urgent refreshes (a track
about to end, the confirmation after a command) may use them, so they are not delayed
when the routine schedule runs close to the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

HOUR = 3600.0


@dataclass(frozen=True, kw_only=True, slots=True)
class BudgetPlan:
    """Requests allowed per hour in one playback state, and how they may bunch up."""

    per_hour: int
    burst: int
    reserve: int

    @property
    def rate(self) -> float:
        """Tokens added per second."""
        return (self.per_hour - self.burst) / HOUR


class RequestBudget:
    """Token bucket; time is passed in so callers decide which clock counts."""

    def __init__(self, plan: BudgetPlan, now: float) -> None:
        """Start with a full bucket."""
        self._plan = plan
        self._tokens = float(plan.burst)
        self._updated = now

    @property
    def plan(self) -> BudgetPlan:
        """The plan in force."""
        return self._plan

    def tokens(self, now: float) -> float:
        """Tokens available at `now` (negative after an overdraft)."""
        elapsed = max(0.0, now - self._updated)
        return min(float(self._plan.burst), self._tokens + elapsed * self._plan.rate)

    def _settle(self, now: float) -> None:
        self._tokens = self.tokens(now)
        self._updated = max(self._updated, now)

    def set_plan(self, plan: BudgetPlan, now: float) -> None:
        """Switch plans (the playback state changed); unused tokens carry over."""
        if plan == self._plan:
            return
        self._settle(now)
        self._plan = plan
        self._tokens = min(self._tokens, float(plan.burst))

    def spend(self, count: int, now: float) -> None:
        """Record requests that were sent; may overdraw, which later polls repay."""
        self._settle(now)
        self._tokens -= count

    def wait(self, count: int, now: float, *, urgent: bool = False) -> float:
        """Seconds until `count` requests fit (routine ones keep the reserve)."""
        needed = count + (0 if urgent else self._plan.reserve)
        missing = needed - self.tokens(now)
        if missing <= 0:
            return 0.0
        return missing / self._plan.rate
