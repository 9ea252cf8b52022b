"""Spotify-style rate limiting: a rolling window with a request budget per app."""

from __future__ import annotations

from collections import deque
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .clock import Clock
    from .config import EmulatorConfig


class RateLimiter:
    """Counts accepted Web API requests per client id over a rolling window.

    A 429 answered to an app (`close`) refuses every request of that app, whichever
    user it is for, until its Retry-After has passed: Spotify keeps the window per
    app, not per user.
    """

    def __init__(self, clock: Clock, config: EmulatorConfig) -> None:
        """Create an empty limiter."""
        self._clock = clock
        self._config = config
        self._hits: dict[str, deque[float]] = {}
        self._closed: dict[str, float] = {}

    def close(self, client_id: str, seconds: float) -> None:
        """Refuse the app's requests for `seconds` (a 429 was answered to it)."""
        until = self._clock.now() + seconds
        self._closed[client_id] = max(self._closed.get(client_id, until), until)

    def check(self, client_id: str) -> int | None:
        """Record a request; return Retry-After seconds if it must be refused."""
        now = self._clock.now()
        if (until := self._closed.get(client_id, now)) > now:
            return max(1, math.ceil(until - now))
        window = self._config.rate_limit_window
        hits = self._hits.setdefault(client_id, deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= self._config.rate_limit_budget:
            if not hits:  # a zero budget refuses everything for a whole window
                return max(1, math.ceil(window))
            return max(1, math.ceil(hits[0] + window - now))
        hits.append(now)
        return None

    def used(self, client_id: str) -> int:
        """Return how many requests count against the current window."""
        now = self._clock.now()
        return sum(
            1
            for t in self._hits.get(client_id, ())
            if t > now - self._config.rate_limit_window
        )

    def reset(self) -> None:
        """Forget every recorded request and closed window."""
        self._hits.clear()
        self._closed.clear()
