"""Run-time switches of the emulator (mutable so tests can flip them mid-test)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(kw_only=True, slots=True)
class EmulatorConfig:
    """Behaviour switches; every field can be changed at any time."""

    # Accounts
    token_lifetime: int = 3600
    """Seconds an access token stays valid."""
    code_lifetime: int = 600
    """Seconds an authorization code stays valid."""
    refresh_token_lifetime_months: int = 6
    """Calendar months (UTC) from the original authorization until refresh tokens
    die; refreshing, with or without rotation, does not extend it."""
    rotate_refresh_tokens: bool = False
    """Refresh responses carry a new refresh token and revoke the old one."""
    auto_approve: bool = True
    """GET /authorize redirects at once instead of showing the consent page."""
    deny_authorization: bool = False
    """With auto_approve, redirect with error=access_denied instead of a code."""
    authorize_as: str = ""
    """User that /authorize logs in as (defaults to the seeded Premium user)."""

    # Web API
    development_mode: bool = True
    """Apply Spotify's Development Mode rules of 2026 (every Home Assistant user's app
    is in Development Mode): playlist contents only for playlists the user owns or
    collaborates on, an app whose owner lacks Premium is refused, profiles carry no
    product/email/country/followers, a daily request quota per developer account,
    and the deprecated `tracks`/`track` are sent beside `items`/`item`."""
    daily_quota: int = 10_000
    """Web API requests the apps of one developer account may make per UTC day in
    Development Mode; beyond it, 429 QUOTA_EXCEEDED until the next UTC midnight."""
    strip_dev_mode_fields: bool = False
    """Leave out fields Spotify removed for development-mode apps in February 2026
    (user country/email/explicit_content/followers/product, popularity, artist
    followers, show and audiobook publisher)."""
    rate_limit_budget: int = 600
    """Requests allowed per app in the rolling window."""
    rate_limit_window: float = 30.0
    """Length of the rolling rate-limit window in seconds."""
    quota_exceeded: bool = False
    """Answer every Web API call with 429 reason QUOTA_EXCEEDED."""
    quota_retry_after: int = 3600
    """Retry-After seconds sent with QUOTA_EXCEEDED."""
    ad_duration_ms: int = 30_000
    """Length of a simulated advert."""
    wake_delay: float = 5.0
    """Seconds a sleeping device takes to re-join Spotify Connect once woken."""
