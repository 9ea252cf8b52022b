"""Access-token lifecycle for one Spotify account.

The token manager is the Web API client's token provider. It keeps the access
token fresh in the background, refreshes on demand when a caller finds it about
to expire or after a 401, and makes every concurrent caller share one token
request. A dead grant (invalid_grant, revoked or six-month expiry) starts reauth
once and stops further token requests instead of retrying forever.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import time
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.exceptions import OAuth2TokenRequestReauthError
from homeassistant.helpers.event import async_call_later

from .api import SpotifyAuthenticationError, SpotifyConnectionError
from .const import LOGGER
from .errors import async_start_reauth

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

# Background refresh this long before the access token expires.
REFRESH_AHEAD = timedelta(minutes=5)
# ... but never sooner than this after the last one: a token living REFRESH_AHEAD or
# less would make every refresh due at once, in a loop of token requests.
MIN_REFRESH_DELAY = timedelta(minutes=1)
# A caller refreshes on demand when the token expires within this many seconds.
ON_DEMAND_MARGIN = 60.0
# After a transient background failure, try again this much later.
RETRY_AFTER_FAILURE = timedelta(minutes=1)
# Upper bound for one token request. Unloading waits for it, but Home Assistant
# waits for an entry's tasks only 10 s: a longer request could outlive the unload
# and race the reloaded entry's refresh of the same (rotating) refresh token.
TOKEN_REQUEST_TIMEOUT = 8.0

INVALID_GRANT = "invalid_grant"


class SpotifyTokenManager:
    """Hand out valid access tokens and refresh them exactly once at a time."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        oauth_session: OAuth2Session,
    ) -> None:
        """Bind the manager to an entry and its OAuth2 session."""
        self._hass = hass
        self._entry = entry
        self._session = oauth_session
        self._refresh_task: asyncio.Task[str] | None = None
        self._unsub_timer: CALLBACK_TYPE | None = None
        self._reauth_required = False
        self._stopped = False
        self.refresh_count = 0
        self.failed_refresh_count = 0
        self.last_refresh: datetime | None = None
        self.next_scheduled_refresh: datetime | None = None

    @property
    def token(self) -> dict[str, Any]:
        """The stored OAuth token (the entry data is the single source of truth)."""
        return self._session.token

    @property
    def expires_at(self) -> float:
        """Unix time at which the current access token expires."""
        return float(self.token.get("expires_at", 0.0))

    @property
    def reauth_required(self) -> bool:
        """True once the grant is dead and only reauth can help."""
        return self._reauth_required

    @property
    def granted_scopes(self) -> frozenset[str]:
        """Scopes Spotify granted to the stored token."""
        return frozenset(str(self.token.get("scope", "")).split())

    async def async_get_access_token(self, force_refresh: bool) -> str:
        """Return a usable access token; the client's token provider.

        Raises SpotifyAuthenticationError(reason="invalid_grant") when reauth is
        needed and SpotifyConnectionError when the Accounts service is unreachable.
        """
        if self._reauth_required:
            raise SpotifyAuthenticationError(
                "Spotify authorization is no longer valid", reason=INVALID_GRANT
            )
        if not force_refresh and self.expires_at - ON_DEMAND_MARGIN > time.time():
            return str(self.token["access_token"])
        # A forced refresh joins one in flight. The client forces only when the
        # token that got the 401 is still the current one, so a caller whose
        # request raced a finished refresh retries with that token instead.
        return await self._async_shared_refresh()

    async def _async_shared_refresh(self) -> str:
        """Join the refresh in flight, or start the one everybody else will join."""
        if self._refresh_task is None:
            if self._stopped:
                # The entry was unloaded: a reloaded one owns the grant now, and two
                # refreshes of one rotating refresh token would revoke each other.
                raise SpotifyConnectionError("The Spotify account is not loaded")
            self._refresh_task = self._entry.async_create_task(
                self._hass,
                self._async_refresh(),
                f"spotify_player token refresh {self._entry.entry_id}",
                eager_start=False,
            )
            self._refresh_task.add_done_callback(self._clear_refresh_task)
        # Shielded: a cancelled caller must not cancel the refresh the others share.
        return await asyncio.shield(self._refresh_task)

    @callback
    def _clear_refresh_task(self, _task: asyncio.Task[str]) -> None:
        # Until this runs, late callers join the finished task and get its result,
        # so no newer task can exist yet.
        self._refresh_task = None

    async def _async_refresh(self) -> str:
        """Run the one token request and store its result at once."""
        old_token = self.token
        try:
            async with asyncio.timeout(TOKEN_REQUEST_TIMEOUT):
                new_token = await self._session.implementation.async_refresh_token(
                    old_token
                )
        except OAuth2TokenRequestReauthError as err:
            if self._grant_replaced(old_token):
                # Reauth stored a new grant meanwhile: only the old one is dead.
                return str(self.token["access_token"])
            self.failed_refresh_count += 1
            self._reauth_required = True
            self._cancel_timer()
            LOGGER.warning(
                "Spotify rejected the stored authorization (HTTP %s); "
                "re-authentication is required",
                err.status,
            )
            async_start_reauth(self._hass, self._entry)
            raise SpotifyAuthenticationError(
                "Spotify authorization is no longer valid",
                status=err.status,
                reason=INVALID_GRANT,
            ) from err
        # Every other token-request error of Home Assistant is an aiohttp ClientError.
        except (ClientError, TimeoutError) as err:
            self.failed_refresh_count += 1
            LOGGER.debug("Spotify token refresh failed: %s", type(err).__name__)
            raise SpotifyConnectionError(
                "Could not refresh the Spotify access token"
            ) from err

        # A reauth finishing meanwhile stored a newer grant: keep that one.
        if self._grant_replaced(old_token):
            return str(self.token["access_token"])
        # HA's implementation guarantees access_token and a fresh expires_at.
        # Spotify may omit the refresh token; the old one then stays valid.
        if not new_token.get("refresh_token"):
            new_token["refresh_token"] = old_token.get("refresh_token")
        # Stored immediately: with rotation the old refresh token is already dead.
        self._hass.config_entries.async_update_entry(
            self._entry, data={**self._entry.data, "token": new_token}
        )
        self.refresh_count += 1
        self.last_refresh = datetime.now(UTC)
        LOGGER.debug("Spotify access token refreshed")
        self._schedule_background_refresh()
        return str(new_token["access_token"])

    def _grant_replaced(self, old_token: dict[str, Any]) -> bool:
        """Return whether the entry got another refresh token since `old_token`."""
        return bool(self.token.get("refresh_token") != old_token.get("refresh_token"))

    @callback
    def async_start(self) -> None:
        """Start background refreshes (called once setup succeeded)."""
        self._stopped = False
        self._schedule_background_refresh()

    async def async_stop(self) -> None:
        """Cancel the timer; let an in-flight refresh finish so no token is lost."""
        self._stopped = True
        self._cancel_timer()
        if (task := self._refresh_task) is not None:
            await asyncio.wait([task])

    @callback
    def _cancel_timer(self) -> None:
        if self._unsub_timer is not None:
            self._unsub_timer()
            self._unsub_timer = None
        self.next_scheduled_refresh = None

    @callback
    def _schedule_background_refresh(self, delay: timedelta | None = None) -> None:
        """Arm the timer REFRESH_AHEAD before expiry (or after `delay`).

        Callers needing a token sooner refresh on demand (ON_DEMAND_MARGIN).
        """
        self._cancel_timer()
        if self._stopped or self._reauth_required:
            return
        if delay is None:
            seconds = self.expires_at - REFRESH_AHEAD.total_seconds() - time.time()
            delay = max(timedelta(seconds=seconds), MIN_REFRESH_DELAY)
        self.next_scheduled_refresh = datetime.now(UTC) + delay
        self._unsub_timer = async_call_later(
            self._hass,
            delay,
            HassJob(
                self._handle_refresh_timer,
                "spotify_player background token refresh",
                cancel_on_shutdown=True,
            ),
        )

    @callback
    def _handle_refresh_timer(self, _now: datetime) -> None:
        self._unsub_timer = None
        self.next_scheduled_refresh = None
        self._entry.async_create_background_task(
            self._hass,
            self._async_background_refresh(),
            f"spotify_player background token refresh {self._entry.entry_id}",
        )

    async def _async_background_refresh(self) -> None:
        # The timer is never armed once reauth is required or after a stop.
        try:
            await self._async_shared_refresh()
        except SpotifyAuthenticationError:
            return  # Reauth has been started; nothing to retry.
        except SpotifyConnectionError:
            LOGGER.debug("Background token refresh failed; retrying later")
            self._schedule_background_refresh(RETRY_AFTER_FAILURE)
