"""Config flow: OAuth2 with PKCE through the emulator, reauth, reconfigure.

The options flow is in test_options_flow.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import pytest
from yarl import URL

from custom_components.spotify_player.const import (
    CONF_AUTHORIZED_AT,
    DOMAIN,
    SPOTIFY_SCOPES,
)
from spotify_emulator import seed
from tests.helpers import EMULATOR_START, rate_limited, spotify_error
from tests.oauth_helpers import REDIRECT_URI, authorize

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from spotify_emulator import World

# Every flow runs at the emulator's start time (authorized_at is exact).
pytestmark = pytest.mark.usefixtures(
    "current_request_with_host", "setup_credentials", "frozen_clock"
)

NOW = dt_util.utc_from_timestamp(EMULATOR_START)


async def _start_user_flow(hass: HomeAssistant) -> dict[str, Any]:
    return dict(
        await hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
    )


async def _abort_text(hass: HomeAssistant, result: dict[str, Any]) -> str:
    """Return the English text the user sees for an abort.

    Newer Home Assistant translates the OAuth helper's own aborts in its
    `homeassistant` domain; 2026.3 looks every abort up in the integration's strings.
    """
    domain = result.get("translation_domain") or DOMAIN
    translations = await async_get_translations(hass, "en", "config", [domain])
    text = translations.get(f"component.{domain}.config.abort.{result['reason']}")
    assert text, f"abort {result['reason']} has no text"
    return text


async def _link(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    result: dict[str, Any],
) -> dict[str, Any]:
    """Authorize at the emulator, deliver the code and finish the flow."""
    await authorize(hass_client_no_auth, result)
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"]))


async def test_full_flow(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
) -> None:
    """A user links an account: PKCE S256, every scope, entry named after the user."""
    result = await _start_user_flow(hass)
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    url = URL(result["url"])
    assert url.path == "/authorize"
    assert url.query["client_id"] == seed.CLIENT_ID
    assert url.query["response_type"] == "code"
    assert url.query["redirect_uri"] == REDIRECT_URI
    assert url.query["scope"] == " ".join(SPOTIFY_SCOPES)
    assert url.query["show_dialog"] == "true"
    assert url.query["code_challenge_method"] == "S256"
    assert len(url.query["code_challenge"]) == 43

    result = await _link(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Robin Emulated"
    entry = result["result"]
    assert entry.unique_id == seed.PREMIUM_USER_ID
    assert entry.data["auth_implementation"] == DOMAIN
    assert entry.data[CONF_AUTHORIZED_AT] == NOW.isoformat()
    token = entry.data["token"]
    assert set(token["scope"].split()) == set(SPOTIFY_SCOPES)
    assert token["expires_at"] == EMULATOR_START + 3600
    # The code was exchanged with the verifier: Spotify marks the grant as PKCE.
    refresh = emulator_world.tokens.refresh_token_info(token["refresh_token"])
    assert refresh is not None
    assert refresh.pkce
    assert refresh.user_id == seed.PREMIUM_USER_ID

    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_several_accounts_and_duplicates(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
) -> None:
    """Two accounts work side by side; linking one of them again aborts."""
    first = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))
    assert first["type"] is FlowResultType.CREATE_ENTRY

    emulator_world.config.authorize_as = seed.FREE_USER_ID
    second = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))
    assert second["type"] is FlowResultType.CREATE_ENTRY
    assert second["title"] == "Sam Freeman"
    assert second["result"].unique_id == seed.FREE_USER_ID

    emulator_world.config.authorize_as = seed.PREMIUM_USER_ID
    again = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))
    assert again["type"] is FlowResultType.ABORT
    assert again["reason"] == "already_configured"

    await hass.async_block_till_done()
    entries = hass.config_entries.async_entries(DOMAIN)
    assert {entry.unique_id for entry in entries} == {
        seed.PREMIUM_USER_ID,
        seed.FREE_USER_ID,
    }
    assert all(entry.state is ConfigEntryState.LOADED for entry in entries)


async def test_title_falls_back_to_user_id(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
) -> None:
    """An account without a display name is titled with its id."""
    emulator_world.add_user(user_id="nameless", display_name="")
    emulator_world.apps[seed.CLIENT_ID].allowed_users = None
    emulator_world.config.authorize_as = "nameless"

    result = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "nameless"


INVALID_CODE = {"error": "invalid_grant", "error_description": "Invalid code"}
# 200 without expires_in: refused before the generic flow could log the token.
INCOMPLETE_TOKEN = {"access_token": "incomplete-token", "token_type": "Bearer"}


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"status": 400, "body": INVALID_CODE}, "oauth_unauthorized"),
        ({"status": 503}, "oauth_failed"),
        ({"status": 200, "body": INCOMPLETE_TOKEN}, "oauth_failed"),
        (
            {"status": 200, "body": {**INCOMPLETE_TOKEN, "expires_in": None}},
            "oauth_failed",
        ),
        # A grant that could never be refreshed is no grant either.
        (
            {"status": 200, "body": {**INCOMPLETE_TOKEN, "expires_in": 3600}},
            "oauth_failed",
        ),
        ({"status": 200, "body": ["incomplete-token"]}, "oauth_failed"),
        ({"kind": "malformed"}, "oauth_failed"),
    ],
)
async def test_token_exchange_fails(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
    fault: dict[str, Any],
    reason: str,
) -> None:
    """A failed code exchange aborts and creates nothing."""
    emulator_world.faults.add(
        **{"kind": "status", **fault}, path_prefix="/api/token", method="POST"
    )

    result = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert await _abort_text(hass, result)
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_user_rejects_authorization(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
) -> None:
    """Cancelling on Spotify's consent page aborts the flow."""
    emulator_world.config.deny_authorization = True

    result = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "user_rejected_authorize"
    assert "{error}" in await _abort_text(hass, result)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"kind": "status", "status": 503}, "server_error"),
        # aiohttp retries a reset keep-alive request once by itself.
        ({"kind": "reset", "count": 2}, "cannot_connect"),
        (
            {"kind": "status", **rate_limited(7)},
            "rate_limited",
        ),
        # The flow's token is brand new: a 401 is not fixed by refreshing it.
        ({"kind": "expired_token", "count": 2}, "token_rejected"),
        (
            {"kind": "status", **spotify_error(400, "Bad request")},
            "api_error",
        ),
    ],
)
async def test_profile_errors(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
    fault: dict[str, Any],
    reason: str,
) -> None:
    """Errors while identifying the account abort with an explanation."""
    emulator_world.faults.add(path_prefix="/v1/me", method="GET", **fault)

    result = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert await _abort_text(hass, result)
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_user_not_registered(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
) -> None:
    """An account missing from a Development Mode app's allow-list is explained."""
    emulator_world.config.authorize_as = seed.UNREGISTERED_USER_ID

    result = await _link(hass, hass_client_no_auth, await _start_user_flow(hass))

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "user_not_registered"
    assert result["description_placeholders"] == {
        "dashboard_url": "https://developer.spotify.com/dashboard"
    }


async def test_reauth(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Reauth with the same account stores new tokens, restarts the clock, reloads."""
    entry = init_integration
    old_token = dict(entry.data["token"])
    freezer.tick(timedelta(days=170))

    result = dict(await entry.start_reauth_flow(hass))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {
        "account": "Robin Emulated",
        "name": "Robin Emulated",
    }
    result = dict(await hass.config_entries.flow.async_configure(result["flow_id"], {}))
    result = await _link(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data["token"]["access_token"] != old_token["access_token"]
    assert entry.data["token"]["refresh_token"] != old_token["refresh_token"]
    assert entry.data[CONF_AUTHORIZED_AT] == dt_util.utcnow().isoformat()
    assert entry.title == "Robin Emulated"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Reconfigure runs the OAuth flow again for the same account."""
    entry = init_integration
    old_refresh = entry.data["token"]["refresh_token"]
    freezer.tick(timedelta(days=3))

    result = dict(await entry.start_reconfigure_flow(hass))
    result = await _link(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["token"]["refresh_token"] != old_refresh
    assert entry.data[CONF_AUTHORIZED_AT] == dt_util.utcnow().isoformat()
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_wrong_account(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
    init_integration: MockConfigEntry,
    source: str,
) -> None:
    """Signing in as somebody else during reauth or reconfigure changes nothing."""
    entry = init_integration
    old_data = dict(entry.data)
    emulator_world.config.authorize_as = seed.FREE_USER_ID

    if source == "reauth":
        result = dict(await entry.start_reauth_flow(hass))
        # Reauth asks for a confirmation before sending the user to Spotify.
        result = dict(
            await hass.config_entries.flow.async_configure(result["flow_id"], {})
        )
    else:
        result = dict(await entry.start_reconfigure_flow(hass))
    result = await _link(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert result["description_placeholders"] == {"account": "Sam Freeman"}
    assert dict(entry.data) == old_data
