"""Requests sent over a rolling window (24 hours by default), counted per minute."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Final

from .clock import monotonic

if TYPE_CHECKING:
    from collections.abc import Callable

DAY: Final = 86_400.0
BUCKET: Final = 60.0


class RequestWindow:
    """Counts requests of the last `window` seconds to the minute, in bounded memory.

    Spotify's Development Mode quota is daily and per developer account; this shows
    how much of it one account spends.
    """

    def __init__(
        self, window: float = DAY, *, clock: Callable[[], float] | None = None
    ) -> None:
        """Start empty; `clock` returns seconds and is injectable for tests."""
        self._window = window
        self._clock = clock if clock is not None else monotonic
        self._buckets: deque[list[int]] = deque()  # [minute, requests]

    def _expire(self, minute: int) -> None:
        oldest = minute - int(self._window // BUCKET)
        while self._buckets and self._buckets[0][0] <= oldest:
            self._buckets.popleft()

    def add(self) -> None:
        """Count one request sent now."""
        minute = int(self._clock() // BUCKET)
        self._expire(minute)
        if self._buckets and self._buckets[-1][0] == minute:
            self._buckets[-1][1] += 1
        else:
            self._buckets.append([minute, 1])

    def count(self) -> int:
        """Return the requests sent within the window."""
        self._expire(int(self._clock() // BUCKET))
        return sum(requests for _, requests in self._buckets)
