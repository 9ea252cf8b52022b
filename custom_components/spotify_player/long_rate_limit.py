"""Long rate limits: Spotify pausing the app for minutes or hours.

A 429 with reason QUOTA_EXCEEDED (the developer account's daily quota is spent),
or any Retry-After beyond 10 minutes, means no request will get through for a long
time. The entity then stops showing the last state it saw, which grows less true by
the minute: it becomes unavailable until the pause ends. One repair issue per app
names the accounts that wait and says until when, and that the quota is shared by
every app of the developer account. Polling resumes by itself at that time; the
first successful poll removes the issue.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .issues import IssueKind, async_create_shared_issue, async_delete_issue

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.core import HomeAssistant

    from .api import SpotifyRateLimitedError

LONG_RATE_LIMIT: Final = 600.0


def is_long_rate_limit(err: SpotifyRateLimitedError) -> bool:
    """Whether Spotify paused the app for its quota or for more than 10 minutes."""
    return err.quota_exceeded or err.retry_after > LONG_RATE_LIMIT


def pause_until(retry_after: float) -> str:
    """Return when a pause of `retry_after` seconds ends, in local time as shown."""
    until = dt_util.as_local(dt_util.utcnow() + timedelta(seconds=retry_after))
    return until.strftime("%Y-%m-%d %H:%M")


class LongRateLimitPause:
    """Whether one Spotify app is in a long pause, and its one repair.

    Every account linked through the app waits together (household.py), so one
    repair names them all; it goes when a poll gets through again.
    """

    def __init__(
        self, hass: HomeAssistant, app_key: str, accounts: Callable[[], list[str]]
    ) -> None:
        """Bind to one app; `accounts` returns the names of the accounts it serves."""
        self._hass = hass
        self._app_key = app_key
        self._accounts = accounts
        # Once paused, the last minutes of the wait count too: the state shown
        # before the pause is no truer then.
        self.active = False

    @callback
    def async_report(self, retry_after: float) -> None:
        """Raise (or update) the app's repair: which accounts wait, until when."""
        async_create_shared_issue(
            self._hass,
            IssueKind.RATE_LIMIT_PAUSE,
            self._app_key,
            accounts=", ".join(self._accounts()),
            until=pause_until(retry_after),
        )

    @callback
    def async_end(self) -> None:
        """Spotify answered again: clear the repair (also one from before a restart)."""
        self.active = False
        async_delete_issue(self._hass, self._app_key, IssueKind.RATE_LIMIT_PAUSE)
