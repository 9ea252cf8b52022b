"""Application credentials: Spotify's endpoints, PKCE and the setup instructions."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.helpers.config_entry_oauth2_flow import (
    LocalOAuth2ImplementationWithPkce,
    async_get_implementations,
)
import pytest

from custom_components.spotify_player.application_credentials import (
    SpotifyPkceImplementation,
    async_get_auth_implementation,
    async_get_description_placeholders,
)
from custom_components.spotify_player.const import DOMAIN, ENV_ACCOUNTS_URL
from spotify_emulator import seed

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from spotify_emulator import EmulatorServer


@pytest.mark.usefixtures("setup_credentials")
async def test_registered_implementation_uses_pkce(
    hass: HomeAssistant, spotify_env: EmulatorServer
) -> None:
    """Imported credentials give a PKCE implementation against the configured host."""
    implementations = await async_get_implementations(hass, DOMAIN)

    implementation = implementations[DOMAIN]
    assert isinstance(implementation, SpotifyPkceImplementation)
    assert isinstance(implementation, LocalOAuth2ImplementationWithPkce)
    assert implementation.name == "Emulated app"
    assert implementation.client_id == seed.CLIENT_ID
    assert implementation.client_secret == seed.CLIENT_SECRET
    assert implementation.authorize_url == f"{spotify_env.url}/authorize"
    assert implementation.token_url == f"{spotify_env.url}/api/token"
    assert implementation.extra_authorize_data["code_challenge_method"] == "S256"
    assert "code_verifier" in implementation.extra_token_resolve_data


async def test_spotify_endpoints_by_default(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the development override the real Accounts service is used."""
    monkeypatch.delenv(ENV_ACCOUNTS_URL, raising=False)

    implementation = await async_get_auth_implementation(
        hass, DOMAIN, ClientCredential("client-id", "client-secret")
    )

    assert isinstance(implementation, SpotifyPkceImplementation)
    assert implementation.authorize_url == "https://accounts.spotify.com/authorize"
    assert implementation.token_url == "https://accounts.spotify.com/api/token"
    # Unnamed credentials are shown by their client id.
    assert implementation.name == "client-id"


async def test_description_placeholders(hass: HomeAssistant) -> None:
    """The credentials dialog links the dashboard and names the redirect URI."""
    placeholders = await async_get_description_placeholders(hass)

    assert placeholders == {
        "dashboard_url": "https://developer.spotify.com/dashboard",
        "documentation_url": (
            "https://developer.spotify.com/documentation/web-api/concepts/apps"
        ),
        "redirect_uri": "https://my.home-assistant.io/redirect/oauth",
        # Without a URL of its own, Home Assistant can only show an example.
        "local_redirect_uri": "https://homeassistant.local:8123/auth/external/callback",
    }


async def test_description_names_the_local_callback(hass: HomeAssistant) -> None:
    """Without My Home Assistant the app registers Home Assistant's own callback."""
    await async_process_ha_core_config(hass, {"internal_url": "http://127.0.0.1:8123"})

    placeholders = await async_get_description_placeholders(hass)

    assert placeholders["local_redirect_uri"] == (
        "http://127.0.0.1:8123/auth/external/callback"
    )


@pytest.mark.parametrize(
    ("method", "parameters"),
    [
        ("async_resolve_external_data", ["self", "external_data"]),
        ("_token_request", ["self", "data"]),
        ("_async_refresh_token", ["self", "token"]),
    ],
)
def test_overridden_methods_still_exist_in_home_assistant(
    method: str, parameters: list[str]
) -> None:
    """Each override replaces a method Home Assistant still has, as it calls it.

    Their behaviour is covered by tests/test_auth.py (test_transient_refresh_failure_
    at_runtime) and tests/test_config_flow.py (test_token_exchange_fails), which
    fail on a supported version once an override stops being called.
    """
    base = getattr(LocalOAuth2ImplementationWithPkce, method)
    assert list(inspect.signature(base).parameters) == parameters
    assert getattr(SpotifyPkceImplementation, method) is not base
