"""The Development Mode request quota: one daily budget per developer account.

Since July 2026 the quota belongs to the developer account, not to an app: every app
of that account draws from it, so a second app does not help. Once spent, Spotify
answers 429 with reason QUOTA_EXCEEDED and a Retry-After that runs to the reset.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .clock import Clock
    from .config import EmulatorConfig

DAY: Final = 86_400


class DailyQuota:
    """Counts Web API requests per developer account and UTC day."""

    def __init__(self, clock: Clock, config: EmulatorConfig) -> None:
        """Start with nothing spent."""
        self._clock = clock
        self._config = config
        self._used: dict[str, tuple[int, int]] = {}
        """Developer account -> (UTC day number, requests that day)."""

    def check(self, developer: str) -> int | None:
        """Count one request; return Retry-After seconds if the quota is spent."""
        now = self._clock.now()
        day = int(now // DAY)
        counted_day, used = self._used.get(developer, (day, 0))
        if counted_day != day:
            used = 0
        if used >= self._config.daily_quota:
            self._used[developer] = (day, used)
            return max(1, math.ceil((day + 1) * DAY - now))
        self._used[developer] = (day, used + 1)
        return None

    def used(self, developer: str) -> int:
        """Return the requests counted today for a developer account."""
        day = int(self._clock.now() // DAY)
        counted_day, used = self._used.get(developer, (day, 0))
        return used if counted_day == day else 0

    def reset(self) -> None:
        """Forget every count."""
        self._used.clear()
