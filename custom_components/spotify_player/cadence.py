"""Slower polling while nothing happens, so a day stays inside Spotify's quota.

Since July 2026 the request quota belongs to the developer account: every Home
Assistant that linked an app of that account draws from it. An account left idle
for 10 minutes is polled every 5 minutes instead of every 2, one paused for 30
minutes every 3 minutes instead of every minute, and its device list every 30
minutes. Any change of state, or a command, returns to the normal cadence at once.
"""

from __future__ import annotations

from typing import Any, Final

from .playback import Activity

# Activity -> (seconds in that state before slowing down, slow poll interval).
SLOW_AFTER: Final = {
    Activity.IDLE: (600.0, 300.0),
    Activity.PAUSED: (1800.0, 180.0),
}
SLOW_DEVICES_INTERVAL: Final = 1800.0


class Cadence:
    """How long the account has been doing the same thing, and what that allows."""

    def __init__(self) -> None:
        """Start as if the state had just changed."""
        self._activity: Activity | None = None
        self._since: float | None = None

    def observe(self, activity: Activity, now: float) -> None:
        """Note the activity a poll found (a change restarts the clock)."""
        if activity is not self._activity or self._since is None:
            self._activity = activity
            self._since = now

    def reset(self) -> None:
        """Start the clock again at the next poll (a command was sent)."""
        self._since = None

    def slow(self, now: float) -> bool:
        """Whether the account has been idle or paused long enough to slow down."""
        if self._activity not in SLOW_AFTER or self._since is None:
            return False
        return now - self._since >= SLOW_AFTER[self._activity][0]

    def routine(self, activity: Activity, normal: float, now: float) -> float:
        """Return the routine poll interval for `activity` at `now`."""
        self.observe(activity, now)
        if not self.slow(now):
            return normal
        return max(normal, SLOW_AFTER[activity][1])

    def devices_interval(self, activity: Activity, normal: float, now: float) -> float:
        """Return how old the device list may grow before it is fetched again."""
        if activity is self._activity and self.slow(now):
            return max(normal, SLOW_DEVICES_INTERVAL)
        return normal

    def diagnostics(self, now: float) -> dict[str, Any]:
        """Return the cadence state for the diagnostics download."""
        return {
            "slow_cadence": self.slow(now),
            "same_activity_for": round(now - self._since, 1)
            if self._since is not None
            else None,
        }
