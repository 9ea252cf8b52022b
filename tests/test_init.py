"""Setup, unload and removal of a config entry; setup errors map to HA outcomes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.spotify_player.auth import SpotifyTokenManager
from custom_components.spotify_player.const import DOMAIN, SPOTIFY_SCOPES
from custom_components.spotify_player.issues import (
    IssueKind,
    async_create_issue,
    async_delete_issue,
)
from spotify_emulator import seed
from tests.helpers import (
    entry_token,
    get_issue,
    rate_limited,
    reauth_flows,
    setup_integration,
    spotify_error,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World


def expire_token(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Store the entry's access token as expired ten seconds ago."""
    token = {**entry.data["token"], "expires_at": time.time() - 10}
    hass.config_entries.async_update_entry(entry, data={**entry.data, "token": token})


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A healthy entry loads with its runtime data and unloads cleanly."""
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    data = entry.runtime_data
    assert data.user.id == seed.PREMIUM_USER_ID
    assert isinstance(data.token_manager, SpotifyTokenManager)
    assert data.coordinator.last_update_success
    assert not [i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN]

    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_invalid_grant_at_setup_starts_reauth(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """An expired access token with a revoked refresh token asks for reauth."""
    config_entry = mock_config_entry
    config_entry.add_to_hass(hass)
    expire_token(hass, config_entry)
    emulator_world.revoke_refresh_tokens(seed.PREMIUM_USER_ID)

    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert config_entry.error_reason_translation_key == "authentication_failed"
    assert len(reauth_flows(hass)) == 1


async def test_rejected_access_token_at_setup_retries(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """A 401 that survives a successful refresh is a transient, not a dead grant."""
    config_entry = mock_config_entry
    emulator_world.faults.add("expired_token", path_prefix="/v1/me", count=3)

    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert config_entry.error_reason_translation_key == "token_rejected"
    assert not reauth_flows(hass)


@pytest.mark.parametrize(
    ("fault", "translation_key"),
    [
        (
            {"path_prefix": "/api/token", "kind": "status", "status": 503},
            "cannot_connect",
        ),
        ({"path_prefix": "/api/token", "kind": "reset"}, "cannot_connect"),
    ],
)
async def test_transient_token_failure_at_setup_retries(
    hass: HomeAssistant,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
    fault: dict[str, Any],
    translation_key: str,
) -> None:
    """The token endpoint failing at setup means retry later, not reauth."""
    config_entry = mock_config_entry
    config_entry.add_to_hass(hass)
    expire_token(hass, config_entry)
    emulator_world.faults.add(**fault)

    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert config_entry.error_reason_translation_key == translation_key
    assert not reauth_flows(hass)


@pytest.mark.parametrize(
    ("fault", "translation_key"),
    [
        ({"kind": "status", "status": 502}, "server_error"),
        ({"kind": "reset", "count": 2}, "cannot_connect"),
        (
            {"kind": "status", **rate_limited(30)},
            "rate_limited",
        ),
        ({"kind": "status", **spotify_error(400, "Bad request")}, "api_error"),
        ({"kind": "malformed"}, "malformed_response"),
    ],
)
async def test_profile_errors_at_setup_retry(
    hass: HomeAssistant,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
    fault: dict[str, Any],
    translation_key: str,
) -> None:
    """Transient and unexpected Web API errors on /me make setup retry."""
    config_entry = mock_config_entry
    emulator_world.faults.add(path_prefix="/v1/me", method="GET", **fault)

    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert config_entry.error_reason_translation_key == translation_key
    assert not reauth_flows(hass)


async def test_rate_limit_placeholder(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """The rate-limit message says when setup will be retried."""
    config_entry = mock_config_entry
    emulator_world.faults.add("status", path_prefix="/v1/me", **rate_limited(30))

    await setup_integration(hass, config_entry)

    assert config_entry.error_reason_translation_placeholders == {"retry_after": "30"}


async def test_missing_scopes_start_reauth(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """A token without every required scope goes to reauth, and only to reauth."""
    granted = set(SPOTIFY_SCOPES) - {"user-top-read", "user-follow-read"}
    grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID, granted)
    config_entry = mock_config_entry
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "token": entry_token(grant)}
    )

    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert config_entry.error_reason_translation_key == "missing_scope"
    assert reauth_flows(hass)
    assert not [i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN]
    # Nothing was asked from Spotify with the incomplete token.
    assert not emulator_world.request_log.count(path_prefix="/v1/")


async def test_insufficient_scope_answer_starts_reauth(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """Spotify answering 'Insufficient client scope' also leads to reauth."""
    config_entry = mock_config_entry
    emulator_world.faults.add(
        "status",
        path_prefix="/v1/me",
        **spotify_error(403, "Insufficient client scope"),
    )

    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert config_entry.error_reason_translation_key == "missing_scope"
    assert reauth_flows(hass)
    assert not [i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN]


@pytest.mark.parametrize("user", [seed.UNREGISTERED_USER_ID])
async def test_user_not_registered(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """An account missing from the app's allow-list fails with a repair, no reauth."""
    config_entry = mock_config_entry
    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert config_entry.error_reason_translation_key == "user_not_registered"
    assert not reauth_flows(hass)
    assert (
        get_issue(hass, IssueKind.USER_NOT_REGISTERED, config_entry.entry_id)
        is not None
    )

    # Once the account is on the allow-list, the next setup clears the issue.
    emulator_world.apps[seed.CLIENT_ID].allowed_users = None
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    assert get_issue(hass, IssueKind.USER_NOT_REGISTERED, config_entry.entry_id) is None


@pytest.mark.parametrize("user", [seed.FREE_USER_ID])
async def test_free_account_gets_premium_issue(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """A free account loads, with an issue explaining playback needs Premium."""
    emulator_world.config.development_mode = False  # only then is `product` sent
    config_entry = mock_config_entry
    await setup_integration(hass, config_entry)

    assert config_entry.state is ConfigEntryState.LOADED
    assert (
        get_issue(hass, IssueKind.PREMIUM_REQUIRED, config_entry.entry_id) is not None
    )

    # After an upgrade the next setup clears it.
    emulator_world.user(seed.FREE_USER_ID).product = "premium"
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert get_issue(hass, IssueKind.PREMIUM_REQUIRED, config_entry.entry_id) is None


async def test_unknown_product_leaves_premium_issue_alone(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """Without `product` (Development Mode) only player commands can tell."""
    config_entry = mock_config_entry
    emulator_world.config.strip_dev_mode_fields = True
    config_entry.add_to_hass(hass)
    async_create_issue(hass, config_entry, IssueKind.PREMIUM_REQUIRED)

    await setup_integration(hass, config_entry)

    assert config_entry.runtime_data.user.product is None
    assert (
        get_issue(hass, IssueKind.PREMIUM_REQUIRED, config_entry.entry_id) is not None
    )
    async_delete_issue(hass, config_entry.entry_id, IssueKind.PREMIUM_REQUIRED)
    assert get_issue(hass, IssueKind.PREMIUM_REQUIRED, config_entry.entry_id) is None


async def test_remove_entry_deletes_its_issues(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Removing the account removes its repair issues."""
    async_create_issue(hass, init_integration, IssueKind.PREMIUM_REQUIRED)

    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert not [i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN]
