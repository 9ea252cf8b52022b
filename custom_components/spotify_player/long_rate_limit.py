"""Long rate limits: Spotify pausing the app for minutes or hours.

A 429 with reason QUOTA_EXCEEDED (the developer account's daily quota is spent),
or any Retry-After beyond 10 minutes, means no request will get through for a long
time. The entity then stops showing the last state it saw, which grows less true by
the minute: it becomes unavailable until the pause ends. A repair issue says until
when, and that the quota is shared by every app of the developer account. Polling
resumes by itself at that time; the first successful poll removes the issue.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .issues import IssueKind, async_create_issue, async_delete_issue

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
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


@callback
def async_report_pause(
    hass: HomeAssistant, entry: ConfigEntry, retry_after: float
) -> None:
    """Raise the repair issue, saying until when (local time)."""
    async_create_issue(
        hass, entry, IssueKind.RATE_LIMIT_PAUSE, until=pause_until(retry_after)
    )


class LongRateLimitPause:
    """Whether one account is in a long pause; clears its repair when it ends."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Bind to one config entry."""
        self._hass = hass
        self._entry = entry
        # Once paused, the last minutes of the wait count too: the state shown
        # before the pause is no truer then.
        self.active = False

    @callback
    def async_end(self) -> None:
        """Spotify answered again: clear the issue (also one from before a restart)."""
        self.active = False
        async_delete_issue(self._hass, self._entry.entry_id, IssueKind.RATE_LIMIT_PAUSE)
