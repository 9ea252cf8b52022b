"""Repair issues of the Spotify Player integration.

`ISSUES` says how each kind is shown; a new repair is a row there and a
translation. Issue ids carry the entry id so several accounts never share an
issue, except a shared cause (one app's pause), whose id carries the app's opaque
key; fixable issues carry the entry id in their data for the fix flow in
repairs.py.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .const import CONF_AUTHORIZED_AT, DASHBOARD_URL, DOMAIN, SPOTIFY_SCOPES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.config_entries import ConfigEntry

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


class IssueKind(StrEnum):
    """The repair issues this integration raises (their translation keys)."""

    AUTHORIZATION_EXPIRING = "authorization_expiring"
    PREMIUM_REQUIRED = "premium_required"
    USER_NOT_REGISTERED = "user_not_registered"
    APP_OWNER_PREMIUM = "app_owner_premium"
    RATE_LIMIT_PAUSE = "rate_limit_pause"


@dataclass(frozen=True, kw_only=True, slots=True)
class IssueSpec:
    """How one kind of issue is shown; `reauth`: its fix flow signs in again."""

    severity: ir.IssueSeverity
    learn_more_url: str
    reauth: bool = False
    dashboard_link: bool = False


ISSUES: Final[Mapping[IssueKind, IssueSpec]] = {
    IssueKind.AUTHORIZATION_EXPIRING: IssueSpec(
        severity=ir.IssueSeverity.WARNING, learn_more_url=EXPIRY_URL, reauth=True
    ),
    IssueKind.PREMIUM_REQUIRED: IssueSpec(
        severity=ir.IssueSeverity.ERROR, learn_more_url=PREMIUM_URL
    ),
    IssueKind.USER_NOT_REGISTERED: IssueSpec(
        severity=ir.IssueSeverity.ERROR,
        learn_more_url=DASHBOARD_URL,
        dashboard_link=True,
    ),
    IssueKind.APP_OWNER_PREMIUM: IssueSpec(
        severity=ir.IssueSeverity.ERROR,
        learn_more_url=DASHBOARD_URL,
        dashboard_link=True,
    ),
    IssueKind.RATE_LIMIT_PAUSE: IssueSpec(
        severity=ir.IssueSeverity.WARNING, learn_more_url=QUOTA_URL
    ),
}


@callback
def async_create_issue(
    hass: HomeAssistant, entry: ConfigEntry, kind: IssueKind, **placeholders: str
) -> None:
    """Raise (or update) the issue of `kind` for one config entry."""
    spec = ISSUES[kind]
    if spec.dashboard_link:
        placeholders["dashboard_url"] = DASHBOARD_URL
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry.entry_id),
        data={"entry_id": entry.entry_id},
        is_fixable=spec.reauth,
        learn_more_url=spec.learn_more_url,
        severity=spec.severity,
        translation_key=kind,
        translation_placeholders={"account": entry.title, **placeholders},
    )


@callback
def async_create_shared_issue(
    hass: HomeAssistant, kind: IssueKind, owner: str, **placeholders: str
) -> None:
    """Raise (or update) the one issue of `kind` for several accounts.

    `owner` is an opaque key of what they share (an app), never a credential.
    """
    spec = ISSUES[kind]
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, owner),
        is_fixable=spec.reauth,
        learn_more_url=spec.learn_more_url,
        severity=spec.severity,
        translation_key=kind,
        translation_placeholders=placeholders,
    )


@callback
def async_delete_issue(hass: HomeAssistant, owner: str, kind: IssueKind) -> None:
    """Clear the issue of `kind` of one config entry (or shared key), if raised."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(kind, owner))


@callback
def async_check_authorization_expiry(
    hass: HomeAssistant, entry: ConfigEntry, now: datetime | None = None
) -> None:
    """Raise the expiry issue from 14 days before the six-month limit, else clear it."""
    expires = authorization_expires_at(entry)
    now = now or dt_util.utcnow()
    if expires is None or now < expires - EXPIRY_WARNING:
        async_delete_issue(hass, entry.entry_id, IssueKind.AUTHORIZATION_EXPIRING)
        return
    async_create_issue(
        hass,
        entry,
        IssueKind.AUTHORIZATION_EXPIRING,
        expires=expires.date().isoformat(),
    )


@callback
def async_delete_all_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every issue of an entry (it was removed)."""
    for kind in IssueKind:
        async_delete_issue(hass, entry_id, kind)
