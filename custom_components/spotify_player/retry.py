"""Short back-off for failed polls: a single fault costs seconds, not an interval.

After a failed poll the coordinator asks again after 2 s, then 5 s, then every 10 s,
whatever the activity's routine interval; the request budget and Retry-After still
come first (see `SpotifyPlaybackCoordinator._schedule`). The last state stays shown
while the failures last under half a minute, as it did when three polls 15 s apart
had to fail: the fifth failure in a row (27 s after the first) makes the entity
unavailable until a poll succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

RETRY_DELAYS: Final = (2.0, 5.0, 10.0)
MAX_FAILURES: Final = 5


@dataclass(kw_only=True, slots=True)
class PollRetry:
    """Failures in a row of one coordinator's polls."""

    failures: int = 0

    def failed(self) -> float:
        """Count a failure and return the seconds until the next try."""
        self.failures += 1
        return RETRY_DELAYS[min(self.failures, len(RETRY_DELAYS)) - 1]

    @property
    def exhausted(self) -> bool:
        """Whether the failures in a row make the entity unavailable."""
        return self.failures >= MAX_FAILURES

    def succeeded(self) -> None:
        """Start counting afresh after a poll that worked."""
        self.failures = 0
