"""Repair issues of the Spotify Player integration.

Small helpers other modules call to raise or clear an issue for one config
entry. Issue ids carry the entry id so several accounts never share an issue;
fixable issues carry the entry id in their data for the fix flow in repairs.py.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .const import CONF_AUTHORIZED_AT, DASHBOARD_URL, DOMAIN, SPOTIFY_SCOPES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.config_entries import ConfigEntry

ISSUE_AUTHORIZATION_EXPIRING: Final = "authorization_expiring"
ISSUE_PREMIUM_REQUIRED: Final = "premium_required"
ISSUE_USER_NOT_REGISTERED: Final = "user_not_registered"
ISSUE_APP_OWNER_PREMIUM: Final = "app_owner_premium"
ISSUE_RATE_LIMIT_PAUSE: Final = "rate_limit_pause"

# Issues whose fix is signing in again; repairs.py offers a reauth fix flow.
REAUTH_ISSUES: Final = (ISSUE_AUTHORIZATION_EXPIRING,)
ALL_ISSUES: Final = (
    ISSUE_AUTHORIZATION_EXPIRING,
    ISSUE_PREMIUM_REQUIRED,
    ISSUE_USER_NOT_REGISTERED,
    ISSUE_APP_OWNER_PREMIUM,
    ISSUE_RATE_LIMIT_PAUSE,
)

# Spotify ends an authorization six calendar months after the user granted it;
# refreshing the access token does not extend it.
AUTHORIZATION_LIFETIME_MONTHS: Final = 6
EXPIRY_WARNING: Final = timedelta(days=14)

PREMIUM_URL: Final = "https://www.spotify.com/premium/"
QUOTA_URL: Final = (
    "https://developer.spotify.com/documentation/web-api/concepts/quota-modes"
)
EXPIRY_URL: Final = (
    "https://developer.spotify.com/blog/2026-06-18-refresh-token-expiration"
)


def issue_id(kind: str, entry_id: str) -> str:
    """Return the id of an issue of `kind` for one config entry."""
    return f"{kind}_{entry_id}"


def add_months(value: datetime, months: int) -> datetime:
    """Add calendar months, clamping the day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = value.month - 1 + months
    year = value.year + month_index // 12
    month = month_index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def authorized_at(entry: ConfigEntry) -> datetime | None:
    """When the user last granted access, from the entry data."""
    raw = entry.data.get(CONF_AUTHORIZED_AT)
    if not isinstance(raw, str):
        return None
    if (parsed := dt_util.parse_datetime(raw)) is None:
        return None
    return dt_util.as_utc(parsed)


def authorization_expires_at(entry: ConfigEntry) -> datetime | None:
    """When Spotify will stop accepting the entry's refresh token."""
    if (granted := authorized_at(entry)) is None:
        return None
    return add_months(granted, AUTHORIZATION_LIFETIME_MONTHS)


def missing_scopes(granted: Iterable[str]) -> list[str]:
    """Return the required scopes the token lacks, in request order."""
    have = set(granted)
    return [scope for scope in SPOTIFY_SCOPES if scope not in have]


@callback
def _async_create(
    hass: HomeAssistant,
    entry: ConfigEntry,
    kind: str,
    *,
    severity: ir.IssueSeverity,
    learn_more_url: str,
    placeholders: dict[str, str] | None = None,
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry.entry_id),
        data={"entry_id": entry.entry_id},
        is_fixable=kind in REAUTH_ISSUES,
        learn_more_url=learn_more_url,
        severity=severity,
        translation_key=kind,
        translation_placeholders={"account": entry.title, **(placeholders or {})},
    )


@callback
def _async_delete(hass: HomeAssistant, entry_id: str, kind: str) -> None:
    ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry_id))


@callback
def async_create_premium_required_issue(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Tell the user playback control needs Spotify Premium."""
    _async_create(
        hass,
        entry,
        ISSUE_PREMIUM_REQUIRED,
        severity=ir.IssueSeverity.ERROR,
        learn_more_url=PREMIUM_URL,
    )


@callback
def async_delete_premium_required_issue(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Clear the Premium issue (a player command succeeded)."""
    _async_delete(hass, entry.entry_id, ISSUE_PREMIUM_REQUIRED)


@callback
def async_create_user_not_registered_issue(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Tell the user to add their account to the app's allow-list."""
    _async_create(
        hass,
        entry,
        ISSUE_USER_NOT_REGISTERED,
        severity=ir.IssueSeverity.ERROR,
        learn_more_url=DASHBOARD_URL,
        placeholders={"dashboard_url": DASHBOARD_URL},
    )


@callback
def async_delete_user_not_registered_issue(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Clear the allow-list issue (the account was accepted)."""
    _async_delete(hass, entry.entry_id, ISSUE_USER_NOT_REGISTERED)


@callback
def async_create_app_owner_premium_issue(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Tell the user the owner of the Spotify app needs Premium again."""
    _async_create(
        hass,
        entry,
        ISSUE_APP_OWNER_PREMIUM,
        severity=ir.IssueSeverity.ERROR,
        learn_more_url=DASHBOARD_URL,
        placeholders={"dashboard_url": DASHBOARD_URL},
    )


@callback
def async_delete_app_owner_premium_issue(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Clear the app-owner issue (Spotify accepted the app again)."""
    _async_delete(hass, entry.entry_id, ISSUE_APP_OWNER_PREMIUM)


@callback
def async_create_rate_limit_pause_issue(
    hass: HomeAssistant, entry: ConfigEntry, until: str
) -> None:
    """Tell the user Spotify paused the app until `until` (local time)."""
    _async_create(
        hass,
        entry,
        ISSUE_RATE_LIMIT_PAUSE,
        severity=ir.IssueSeverity.WARNING,
        learn_more_url=QUOTA_URL,
        placeholders={"until": until},
    )


@callback
def async_delete_rate_limit_pause_issue(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Clear the pause issue (Spotify answered again)."""
    _async_delete(hass, entry.entry_id, ISSUE_RATE_LIMIT_PAUSE)


@callback
def async_check_authorization_expiry(
    hass: HomeAssistant, entry: ConfigEntry, now: datetime | None = None
) -> None:
    """Raise the expiry issue from 14 days before the six-month limit, else clear it."""
    expires = authorization_expires_at(entry)
    now = now or dt_util.utcnow()
    if expires is None or now < expires - EXPIRY_WARNING:
        _async_delete(hass, entry.entry_id, ISSUE_AUTHORIZATION_EXPIRING)
        return
    _async_create(
        hass,
        entry,
        ISSUE_AUTHORIZATION_EXPIRING,
        severity=ir.IssueSeverity.WARNING,
        learn_more_url=EXPIRY_URL,
        placeholders={"expires": expires.date().isoformat()},
    )


@callback
def async_delete_all_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every issue of an entry (it was removed)."""
    for kind in ALL_ISSUES:
        _async_delete(hass, entry_id, kind)
