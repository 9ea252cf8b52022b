"""Rate-limit gate shared by every request of one Spotify app (all its accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
import re
from typing import TYPE_CHECKING, Final

from .clock import monotonic
from .const import MAX_RETRY_AFTER, RATE_LIMIT_INITIAL_BACKOFF, RATE_LIMIT_MAX_BACKOFF
from .errors import SpotifyRateLimitedError

if TYPE_CHECKING:
    from collections.abc import Callable

# delay-seconds, read leniently: a fraction or an exponent is still a number of seconds.
_DELAY_SECONDS: Final = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Read a Retry-After header as the seconds to wait, from 0 to MAX_RETRY_AFTER.

    Both forms count: delay-seconds and an HTTP-date, measured from `now` (Unix time).
    A longer wait is cut to MAX_RETRY_AFTER, a date already past waits nothing. An
    absent or unreadable header gives None: the gate then backs off by itself.
    """
    if value is None:
        return None
    text = value.strip()
    if _DELAY_SECONDS.fullmatch(text):
        seconds = float(text)  # may be inf ("1e999"): cut to the maximum below
    else:
        try:
            retry_at = parsedate_to_datetime(text)
        except TypeError, ValueError, IndexError, OverflowError:
            return None
        if retry_at.tzinfo is None:  # the asctime form: HTTP dates are in GMT
            retry_at = retry_at.replace(tzinfo=UTC)
        seconds = retry_at.timestamp() - now
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


@dataclass(frozen=True, kw_only=True)
class RateLimitInfo:
    """The most recent 429: when (gate clock), the wait imposed and Spotify's reason."""

    at: float
    retry_after: float
    reason: str | None = None


class RateLimitGate:
    """Refuse requests while Spotify's rate limit is in force.

    Spotify counts its window per app, so every client of the accounts linked
    through one app shares one gate. The gate never sleeps: a refused call fails at
    once with the time remaining, so the caller (a coordinator, a service call)
    decides whether to wait. Listeners hear of each closing, with the wait.
    """

    def __init__(self, *, clock: Callable[[], float] | None = None) -> None:
        """Create an open gate; `clock` returns seconds and is injectable for tests."""
        self._clock = clock if clock is not None else monotonic
        self._closed_until = 0.0
        self._consecutive = 0
        self._last: RateLimitInfo | None = None
        self._listeners: list[Callable[[float], None]] = []

    def add_listener(self, listener: Callable[[float], None]) -> Callable[[], None]:
        """Call `listener(seconds closed)` after each 429; return the remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @property
    def remaining(self) -> float:
        """Seconds until requests are allowed again (0 when open)."""
        return max(0.0, self._closed_until - self._clock())

    @property
    def last(self) -> RateLimitInfo | None:
        """The most recent rate limit, if any."""
        return self._last

    def check(self) -> None:
        """Raise SpotifyRateLimitedError while the gate is closed."""
        remaining = self.remaining
        if remaining > 0:
            reason = self._last.reason if self._last else None
            raise SpotifyRateLimitedError(
                f"Rate limited by Spotify; retry in {remaining:.1f} s",
                retry_after=remaining,
                reason=reason,
            )

    def record_rate_limited(
        self, retry_after: float | None, reason: str | None = None
    ) -> float:
        """Close the gate after a 429 and return the wait in seconds.

        `retry_after` is the header as parse_retry_after reads it (at most a day, so
        the wait can always be added to a date). Without it the wait grows 1, 2, 4 ...
        seconds up to a cap, so a server that keeps refusing is asked less and less
        often.
        """
        self._consecutive += 1
        if retry_after is None or retry_after < 0:
            # The exponent is bounded so a long 429 streak cannot overflow a float.
            exponent = min(self._consecutive - 1, 16)
            wait = min(
                RATE_LIMIT_INITIAL_BACKOFF * 2.0**exponent, RATE_LIMIT_MAX_BACKOFF
            )
        else:
            wait = retry_after
        now = self._clock()
        # A late 429 from a request already in flight must not shorten the wait.
        self._closed_until = max(self._closed_until, now + wait)
        self._last = RateLimitInfo(at=now, retry_after=wait, reason=reason)
        for listener in list(self._listeners):
            listener(self._closed_until - now)
        return wait

    def record_success(self) -> None:
        """Reset the backoff after a request that was not rate limited."""
        self._consecutive = 0
