"""Turn Spotify client errors into translated Home Assistant errors.

One mapping for every place that talks to Spotify on a user's behalf (actions, the media
player), so the same failure always reads the same way in the UI.
"""

from __future__ import annotations

from contextlib import contextmanager
import math
from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .api import (
    SpotifyAppOwnerPremiumRequiredError,
    SpotifyAuthenticationError,
    SpotifyConnectionError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyInsufficientScopeError,
    SpotifyMalformedResponseError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyPlaylistItemsForbiddenError,
    SpotifyPremiumRequiredError,
    SpotifyRateLimitedError,
    SpotifyServerError,
    SpotifyUserNotRegisteredError,
)
from .const import DOMAIN
from .issues import (
    async_create_app_owner_premium_issue,
    async_create_missing_scope_issue,
    async_create_premium_required_issue,
    async_create_user_not_registered_issue,
)
from .long_rate_limit import is_long_rate_limit, pause_until

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.core import HomeAssistant

    from .data import SpotifyPlayerConfigEntry

REASON_VOLUME_CONTROL_DISALLOW = "VOLUME_CONTROL_DISALLOW"
# Spotify's only signal for a restricted device is the message (reason is "UNKNOWN").
MESSAGE_RESTRICTION_VIOLATED = "restriction violated"


def _error(key: str, **placeholders: str) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def translate_spotify_error(err: SpotifyError) -> HomeAssistantError:
    """Return the translated Home Assistant error for a Spotify client error.

    The most specific classes are matched first; Spotify's own message only ends up in a
    placeholder where there is no better wording (it never carries credentials).
    """
    match err:
        case SpotifyPremiumRequiredError():
            return _error("premium_required")
        case SpotifyNoActiveDeviceError():
            return _error("no_active_device")
        case SpotifyRateLimitedError() if is_long_rate_limit(err):
            return _error("rate_limit_pause", until=pause_until(err))
        case SpotifyRateLimitedError():
            # Whole seconds, rounded up, so retrying after the shown time always works.
            return _error(
                "command_rate_limited",
                retry_after=str(max(1, math.ceil(err.retry_after))),
            )
        case SpotifyInsufficientScopeError():
            return _error("insufficient_scope")
        case SpotifyUserNotRegisteredError():
            return _error("user_not_registered")
        case SpotifyAppOwnerPremiumRequiredError():
            return _error("app_owner_premium")
        case SpotifyPlaylistItemsForbiddenError():
            # Nothing to retry: Development Mode never lists this playlist's items.
            return ServiceValidationError(
                translation_domain=DOMAIN, translation_key="playlist_items_forbidden"
            )
        case SpotifyForbiddenError() if err.reason == REASON_VOLUME_CONTROL_DISALLOW:
            return _error("volume_control_disallowed")
        case SpotifyForbiddenError() if (
            MESSAGE_RESTRICTION_VIOLATED in err.message.lower()
        ):
            return _error("restricted_device")
        case SpotifyAuthenticationError():
            return _error("authentication_failed")
        case SpotifyNotFoundError():
            return _error("not_found", error=err.message)
        case SpotifyServerError():
            return _error("server_error", error=err.message)
        case SpotifyConnectionError():
            return _error("connection_error", error=err.message)
        case SpotifyMalformedResponseError():
            return _error("malformed_response")
        case _:
            return _error("command_failed", error=err.message)


@contextmanager
def spotify_errors(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry
) -> Iterator[None]:
    """Translate Spotify errors raised in the block, with their side effects.

    Dead credentials start the reauthentication flow at once instead of waiting for the
    next poll; refusals that only the user can fix (missing permissions, Premium, the
    app's allow-list) raise their repair issue.
    """
    try:
        yield
    except SpotifyError as err:
        async_report_spotify_error(hass, entry, err)
        raise translate_spotify_error(err) from err


def async_report_spotify_error(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry, err: SpotifyError
) -> None:
    """Start reauthentication or raise the repair issue a Spotify error calls for."""
    match err:
        case SpotifyAuthenticationError():
            entry.async_start_reauth(hass)
        case SpotifyInsufficientScopeError():
            async_create_missing_scope_issue(hass, entry)
            entry.async_start_reauth(hass)
        case SpotifyUserNotRegisteredError():
            async_create_user_not_registered_issue(hass, entry)
        case SpotifyPremiumRequiredError():
            async_create_premium_required_issue(hass, entry)
        case SpotifyAppOwnerPremiumRequiredError():
            async_create_app_owner_premium_issue(hass, entry)
