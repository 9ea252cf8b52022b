"""Application credentials platform for Spotify Player.

Spotify's authorization code flow is used with PKCE (S256) on top of the client
secret: the secret still authenticates the app, the code verifier binds the
authorization code to the flow that asked for it.

The Accounts service base URL comes from ``const.accounts_base_url()``. For
development and tests only, the ``SPOTIFY_PLAYER_ACCOUNTS_URL`` environment
variable points it at another server (the Spotify emulator); it is read each
time an implementation is built and is deliberately not a user option.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from aiohttp import ClientError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AUTH_CALLBACK_PATH,
    MY_AUTH_CALLBACK_PATH,
    AbstractOAuth2Implementation,
    LocalOAuth2ImplementationWithPkce,
)
from homeassistant.helpers.network import NoURLAvailableError, get_url

from .const import DASHBOARD_URL, accounts_base_url

if TYPE_CHECKING:
    from homeassistant.components.application_credentials import ClientCredential
    from homeassistant.core import HomeAssistant

AUTHORIZE_PATH = "/authorize"
TOKEN_PATH = "/api/token"  # noqa: S105 - a URL path, not a secret

DOCUMENTATION_URL = "https://developer.spotify.com/documentation/web-api/concepts/apps"
# The example shown when Home Assistant knows no URL of its own yet.
EXAMPLE_BASE_URL = "https://homeassistant.local:8123"


class SpotifyPkceImplementation(LocalOAuth2ImplementationWithPkce):
    """Spotify authorization code flow with PKCE and a client secret."""

    def __init__(
        self, hass: HomeAssistant, auth_domain: str, credential: ClientCredential
    ) -> None:
        """Build the implementation for one set of application credentials."""
        base = accounts_base_url()
        super().__init__(
            hass,
            auth_domain,
            credential.client_id,
            authorize_url=f"{base}{AUTHORIZE_PATH}",
            token_url=f"{base}{TOKEN_PATH}",
            client_secret=credential.client_secret,
        )
        self._name = credential.name

    @property
    @override
    def name(self) -> str:
        """Name shown when the user picks credentials."""
        return self._name or self.client_id

    @override
    async def async_resolve_external_data(self, external_data: Any) -> dict[str, Any]:
        """Exchange the authorization code, rejecting unusable responses early.

        The generic flow logs the whole token when ``expires_in`` is missing and
        lets a non-numeric one escape; a grant without a refresh token could never
        be refreshed (still so on 2026.3 and 2026.10). Raising here turns each
        into a plain ``oauth_failed`` abort without the token ever reaching a log.
        """
        token: dict[str, Any] = await super().async_resolve_external_data(external_data)
        if not token.get("refresh_token") or not _numeric_expiry(token):
            # Any aiohttp ClientError aborts the flow with oauth_failed, on every
            # Home Assistant version we support.
            raise ClientError("Spotify returned an unusable token")
        return token

    @override
    async def _token_request(self, data: dict[str, Any]) -> dict[str, Any]:
        """Refuse a token response that is no JSON object with an access token.

        Home Assistant lets the JSON decoding error of a garbled body escape, and
        a refresh response is merged into the stored token, so one without an
        access token would keep the stale one, under a fresh expiry, for good
        (still so on 2026.3 and 2026.10).
        """
        if async_get_clientsession(self.hass).closed:
            # Home Assistant is shutting down; aiohttp would raise RuntimeError. A
            # ClientError is the transient token-request failure callers handle.
            raise ClientError("Home Assistant's HTTP session is closed")
        try:
            token: object = await super()._token_request(data)
        except ValueError as err:  # JSONDecodeError of a body that claims JSON
            raise ClientError("Spotify returned an unreadable token response") from err
        if not isinstance(token, dict) or not token.get("access_token"):
            raise ClientError("Spotify returned no access token")
        return token

    @override
    async def _async_refresh_token(self, token: dict[str, Any]) -> dict[str, Any]:
        """Refuse a refreshed token whose expiry is no number.

        Home Assistant converts ``expires_in`` after this returns; 2026.3 lets the
        conversion error escape instead of raising a token-request error (2026.10
        maps it itself: this override can go with 2026.3 support).
        """
        new_token: dict[str, Any] = await super()._async_refresh_token(token)
        if not _numeric_expiry(new_token):
            raise ClientError("Spotify returned an unusable token expiry")
        return new_token


def _numeric_expiry(token: dict[str, Any]) -> bool:
    """Return whether ``expires_in`` is there and converts to seconds."""
    try:
        int(token["expires_in"])
    except KeyError, TypeError, ValueError, OverflowError:
        return False
    return True


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Return the PKCE implementation for a set of application credentials."""
    return SpotifyPkceImplementation(hass, auth_domain, credential)


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Tell the credentials dialog where to create an app and what to register."""
    return {
        "dashboard_url": DASHBOARD_URL,
        "documentation_url": DOCUMENTATION_URL,
        "redirect_uri": MY_AUTH_CALLBACK_PATH,
        "local_redirect_uri": f"{_base_url(hass)}{AUTH_CALLBACK_PATH}",
    }


def _base_url(hass: HomeAssistant) -> str:
    """Home Assistant's own URL: what the login returns to without My Home Assistant."""
    try:
        return get_url(hass, allow_cloud=False)
    except NoURLAvailableError:
        return EXAMPLE_BASE_URL
