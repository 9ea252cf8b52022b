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

from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .issues import (
    async_create_rate_limit_pause_issue,
    async_delete_rate_limit_pause_issue,
)

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .api import SpotifyRateLimitedError
    from .data import SpotifyPlayerConfigEntry

LONG_RATE_LIMIT: Final = 600.0


def is_long_rate_limit(err: SpotifyRateLimitedError) -> bool:
    """Whether Spotify paused the app for its quota or for more than 10 minutes."""
    return err.quota_exceeded or err.retry_after > LONG_RATE_LIMIT


def pause_until(retry_after: float) -> str:
    """Return when a pause of `retry_after` seconds ends, in local time as shown."""
    until = dt_util.as_local(dt_util.utcnow() + timedelta(seconds=retry_after))
    return until.strftime("%Y-%m-%d %H:%M")


def async_report_pause(
    hass: HomeAssistant, entry: ConfigEntry, retry_after: float
) -> str:
    """Raise the repair issue; return until when (local time, as shown)."""
    shown = pause_until(retry_after)
    async_create_rate_limit_pause_issue(hass, entry, shown)
    return shown


class LongRateLimitPause:
    """Raises and clears the repair issue of one account's long pause."""

    def __init__(self, hass: HomeAssistant, entry: SpotifyPlayerConfigEntry) -> None:
        """Bind to one config entry."""
        self._hass = hass
        self._entry = entry
        self._active = False

    def holds(self, err: SpotifyRateLimitedError) -> bool:
        """Whether `err` starts or continues a long pause.

        Once paused, the last minutes of the wait count too: the state shown before
        the pause is no truer then.
        """
        return self._active or is_long_rate_limit(err)

    def async_start(self, err: SpotifyRateLimitedError, margin: float) -> UpdateFailed:
        """Raise the issue; return the error that makes the entity unavailable.

        The error carries the wait, so the coordinator polls again only then.
        """
        shown = async_report_pause(self._hass, self._entry, err.retry_after)
        self._active = True
        return UpdateFailed(
            retry_after=err.retry_after + margin,
            translation_domain=DOMAIN,
            translation_key="rate_limit_pause",
            translation_placeholders={"until": shown},
        )

    def async_end(self) -> None:
        """Spotify answered again: clear the issue (also one from before a restart)."""
        self._active = False
        async_delete_rate_limit_pause_issue(self._hass, self._entry)
