"""Clocks that drive playback, token expiry and the rate-limit window."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the emulator the current Unix time in seconds."""

    def now(self) -> float:
        """Return the current Unix time in seconds."""
        ...


class RealClock:
    """Wall-clock time."""

    def now(self) -> float:
        """Return the current Unix time in seconds."""
        return time.time()


class ManualClock:
    """A clock that only moves when told to, for deterministic tests."""

    def __init__(self, start: float | None = None) -> None:
        """Start at `start` (Unix seconds) or at the current wall-clock time."""
        self._now = time.time() if start is None else float(start)

    def now(self) -> float:
        """Return the current (frozen) Unix time in seconds."""
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward and return the new time."""
        if seconds < 0:
            msg = "a ManualClock only moves forward"
            raise ValueError(msg)
        self._now += seconds
        return self._now

    def set(self, when: float) -> None:
        """Jump to an absolute time (never backwards)."""
        if when < self._now:
            msg = "a ManualClock only moves forward"
            raise ValueError(msg)
        self._now = float(when)
