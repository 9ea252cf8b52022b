"""Diagnostics for Spotify Player: entry, token lifecycle and API counters.

Tokens, application credentials and anything that identifies the user are
redacted; what remains explains token expiry, reauth and rate limiting.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.config_entries import ConfigEntryState

from .const import CONF_AUTHORIZED_AT, CONF_WAKE_LINKS
from .issues import authorization_expires_at
from .subscription import stored_premium
from .wake import wake_links

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .data import SpotifyPlayerConfigEntry

TO_REDACT = {
    # Entries linked through the UI name it `spotify_player_<client id>`.
    "auth_implementation",
    "access_token",
    "refresh_token",
    "client_id",
    "client_secret",
    "email",
    "id",
    "user_id",
    "uri",
    "href",
    "external_urls",
    "display_name",
    "unique_id",
    "title",
    "default_device",
    "default_device_name",
}


def _options(entry: SpotifyPlayerConfigEntry) -> dict[str, Any]:
    """Return the options with the wake links redacted (how many stays).

    Device names are as personal as the default device's name, and the linked
    entities name rooms too.
    """
    options = dict(entry.options)
    if links := wake_links(entry):
        options[CONF_WAKE_LINKS] = [
            {"device": REDACTED, "entity": REDACTED} for _ in links
        ]
    return options


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    token: dict[str, Any] = entry.data.get("token", {})
    expires_at = token.get("expires_at")
    expiry = authorization_expires_at(entry)
    diagnostics: dict[str, Any] = {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "version": entry.version,
                "minor_version": entry.minor_version,
                "state": entry.state.value,
                "data": dict(entry.data),
                "options": _options(entry),
            },
            TO_REDACT,
        ),
        "authorization": {
            "authorized_at": entry.data.get(CONF_AUTHORIZED_AT),
            "expires": _iso(expiry),
            "access_token_expires_at": (
                _iso(datetime.fromtimestamp(expires_at, UTC))
                if isinstance(expires_at, int | float)
                else None
            ),
            "scopes": sorted(str(token.get("scope", "")).split()),
        },
    }
    if entry.state is not ConfigEntryState.LOADED:
        return diagnostics

    runtime = entry.runtime_data
    manager = runtime.token_manager
    stats = runtime.client.stats
    gate = runtime.client.rate_limit_gate
    last_limit = stats.last_rate_limit
    diagnostics["token_manager"] = {
        "refresh_count": manager.refresh_count,
        "failed_refresh_count": manager.failed_refresh_count,
        "last_refresh": _iso(manager.last_refresh),
        "next_scheduled_refresh": _iso(manager.next_scheduled_refresh),
        "reauth_required": manager.reauth_required,
    }
    diagnostics["api"] = {
        "requests": stats.requests,
        # Development Mode's quota is daily and shared by the developer account.
        "requests_last_24h": stats.last_24h.count(),
        # Every account linked through the same Spotify app, this one included.
        "app_requests_last_24h": runtime.app.requests.count(),
        "app_accounts": len(runtime.app.accounts),
        "by_status": {
            str(status): count for status, count in sorted(stats.by_status.items())
        },
        "forced_refreshes": stats.forced_refreshes,
        "connection_errors": stats.connection_errors,
        "last_rate_limit": (
            {"retry_after": last_limit.retry_after, "reason": last_limit.reason}
            if last_limit is not None
            else None
        ),
        "rate_limited_for": gate.remaining,
    }
    diagnostics["user"] = {
        "product": runtime.user.product,
        "premium_remembered": stored_premium(entry),
    }
    diagnostics["coordinator"] = {
        "last_update_success": runtime.coordinator.last_update_success,
        **runtime.coordinator.diagnostics(),
        "devices_known": len(runtime.devices.devices),
        "devices_remembered": len(runtime.device_memory.devices),
        "devices_linked_for_waking": len(wake_links(entry)),
        "queue_fetches": runtime.up_next.fetches,
    }
    return diagnostics
