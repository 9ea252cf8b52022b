"""Token lifecycle against the emulator: shared, background and forced refreshes.

What a refresh stores and refreshes racing other events: test_token_refresh.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_entry_oauth2_flow, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest

from custom_components.spotify_player.api import (
    SpotifyAuthenticationError,
    SpotifyConnectionError,
    transport as api_transport,
)
from custom_components.spotify_player.auth import REFRESH_AHEAD, RETRY_AFTER_FAILURE
from custom_components.spotify_player.const import DOMAIN, LOGGER
from spotify_emulator import seed
from tests.helpers import EMULATOR_START, move_clocks, reauth_flows, token_requests
from tests.oauth_helpers import authorize

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from spotify_emulator import World
    from tests.helpers import Tick

LIFETIME = 3600


def devices_calls(world: World) -> int:
    """Return how many device lists the emulator served."""
    return world.request_log.count(method="GET", path="/v1/me/player/devices")


async def test_concurrent_calls_at_expiry_share_one_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """100 API calls that find the token expired cause exactly one token request."""
    client = init_integration.runtime_data.client
    old_access = init_integration.data["token"]["access_token"]
    before = token_requests(emulator_world)
    calls_before = devices_calls(emulator_world)
    move_clocks(freezer, emulator_world, LIFETIME)

    results = await asyncio.gather(*(client.get_devices() for _ in range(100)))

    assert token_requests(emulator_world) == before + 1
    assert all(results)
    token = init_integration.data["token"]
    assert token["access_token"] != old_access
    assert token["expires_at"] == EMULATOR_START + 2 * LIFETIME
    # Nobody used the dead token: the refresh happened before the requests.
    assert devices_calls(emulator_world) == calls_before + 100
    assert all(e.status != 401 for e in emulator_world.request_log)


async def test_forced_refreshes_after_401_share_one_refresh(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Concurrent 401s (token revoked early) force one refresh, then all retry."""
    client = init_integration.runtime_data.client
    before = token_requests(emulator_world)
    emulator_world.expire_access_tokens(seed.PREMIUM_USER_ID)

    results = await asyncio.gather(*(client.get_devices() for _ in range(20)))

    assert all(results)
    assert token_requests(emulator_world) == before + 1
    # Requests answered after the refresh retry with its token without forcing.
    assert 1 <= client.stats.forced_refreshes <= 20


async def test_forced_refresh_joins_the_one_in_flight(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Forced refreshes requested together share one token request."""
    manager = init_integration.runtime_data.token_manager
    before = token_requests(emulator_world)

    tokens = await asyncio.gather(
        manager.async_get_access_token(True), manager.async_get_access_token(True)
    )

    assert tokens[0] == tokens[1] == init_integration.data["token"]["access_token"]
    assert token_requests(emulator_world) == before + 1

    # A later forced refresh is a new one.
    assert await manager.async_get_access_token(True) != tokens[0]
    assert token_requests(emulator_world) == before + 2


async def test_on_demand_refresh_shortly_before_expiry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A call that finds the token about to expire refreshes first (no 401)."""
    before = token_requests(emulator_world)
    calls_before = devices_calls(emulator_world)
    move_clocks(freezer, emulator_world, LIFETIME - 30)

    assert await init_integration.runtime_data.client.get_devices()

    assert token_requests(emulator_world) == before + 1
    assert devices_calls(emulator_world) == calls_before + 1
    assert all(e.status != 401 for e in emulator_world.request_log)


async def test_background_refresh_before_expiry(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """The token is refreshed REFRESH_AHEAD before it expires, without any call."""
    manager = init_integration.runtime_data.token_manager
    before = token_requests(emulator_world)
    ahead = REFRESH_AHEAD.total_seconds()
    assert manager.next_scheduled_refresh == dt_util.utc_from_timestamp(
        EMULATOR_START + LIFETIME - ahead
    )

    await tick(LIFETIME - ahead - 1)
    assert token_requests(emulator_world) == before

    await tick(2)
    assert token_requests(emulator_world) == before + 1
    token = init_integration.data["token"]
    assert token["expires_at"] == EMULATOR_START + LIFETIME - ahead + 1 + LIFETIME
    assert manager.refresh_count == 1
    assert manager.next_scheduled_refresh == dt_util.utc_from_timestamp(
        token["expires_at"] - ahead
    )


async def test_background_refresh_retries_after_transient_failure(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A failed background refresh is retried a minute later; no reauth."""
    manager = init_integration.runtime_data.token_manager
    old_access = init_integration.data["token"]["access_token"]
    before = token_requests(emulator_world)
    emulator_world.faults.add(
        "status", path_prefix="/api/token", method="POST", status=503
    )

    await tick(LIFETIME - REFRESH_AHEAD.total_seconds())
    assert token_requests(emulator_world) == before + 1
    assert init_integration.data["token"]["access_token"] == old_access
    assert manager.failed_refresh_count == 1
    assert manager.next_scheduled_refresh == dt_util.utcnow() + RETRY_AFTER_FAILURE

    await tick(RETRY_AFTER_FAILURE.total_seconds())
    assert token_requests(emulator_world) == before + 2
    assert init_integration.data["token"]["access_token"] != old_access
    assert not reauth_flows(hass)


async def test_background_refresh_with_dead_grant_starts_reauth(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A background refresh that meets invalid_grant starts reauth, no retry timer."""
    manager = init_integration.runtime_data.token_manager
    emulator_world.revoke_refresh_tokens(seed.PREMIUM_USER_ID)

    await tick(LIFETIME - REFRESH_AHEAD.total_seconds())

    assert manager.reauth_required
    assert manager.next_scheduled_refresh is None
    assert len(reauth_flows(hass)) == 1


async def test_invalid_grant_at_runtime_starts_reauth(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """A dead refresh token starts reauth once and stops asking for tokens."""
    client = init_integration.runtime_data.client
    manager = init_integration.runtime_data.token_manager
    emulator_world.revoke_refresh_tokens(seed.PREMIUM_USER_ID)
    emulator_world.expire_access_tokens(seed.PREMIUM_USER_ID)
    before = token_requests(emulator_world)

    with pytest.raises(SpotifyAuthenticationError) as err:
        await client.get_devices()
    await hass.async_block_till_done()

    assert err.value.reason == "invalid_grant"
    assert manager.reauth_required
    assert manager.next_scheduled_refresh is None
    assert len(reauth_flows(hass)) == 1
    assert token_requests(emulator_world) == before + 1

    # No endless retries: later calls fail at once, without a token request.
    with pytest.raises(SpotifyAuthenticationError):
        await client.get_devices()
    assert token_requests(emulator_world) == before + 1


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "status": 503},
        {"kind": "status", "status": 429, "headers": {"Retry-After": "5"}},
        {"kind": "reset"},
        # A 200 without an access token is no token at all.
        {"kind": "status", "status": 200, "body": {"token_type": "Bearer"}},
        # Neither is a body that claims JSON but is not, nor JSON that is no object.
        {"kind": "malformed"},
        {"kind": "status", "status": 200, "body": ["BQ-x"]},
        # Nor is one whose expiry is no number.
        {
            "kind": "status",
            "status": 200,
            "body": {
                "access_token": "BQ-x",
                "token_type": "Bearer",
                "expires_in": "soon",
            },
        },
    ],
)
async def test_transient_refresh_failure_at_runtime(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
    fault: dict[str, Any],
) -> None:
    """A transient token failure is a connection error, not a reauth."""
    client = init_integration.runtime_data.client
    move_clocks(freezer, emulator_world, LIFETIME)
    emulator_world.faults.add(path_prefix="/api/token", method="POST", **fault)

    with pytest.raises(SpotifyConnectionError):
        await client.get_devices()
    await hass.async_block_till_done()
    assert not reauth_flows(hass)
    assert init_integration.runtime_data.token_manager.failed_refresh_count == 1

    assert await client.get_devices()


async def test_unload_cancels_timers(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """After unload no background refresh or expiry check runs."""
    manager = init_integration.runtime_data.token_manager
    assert manager.next_scheduled_refresh is not None

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert manager.next_scheduled_refresh is None
    before = len(emulator_world.request_log)

    # Make the expiry warning due: only a still-running daily check would raise it.
    hass.config_entries.async_update_entry(
        init_integration,
        data={**init_integration.data, "authorized_at": "2025-09-05T12:00:00+00:00"},
    )

    # Past the background refresh and the daily expiry check.
    await tick(2 * 86400)
    assert len(emulator_world.request_log) == before
    assert not ir.async_get(hass).issues


@pytest.mark.usefixtures(
    "current_request_with_host", "setup_credentials", "frozen_clock"
)
async def test_no_secret_in_any_log_record(
    hass: HomeAssistant,
    tick: Tick,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: ClientSessionGenerator,
    emulator_world: World,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Link, refresh every way, fail, reauth: no token or secret in any log record."""
    caplog.set_level(logging.DEBUG)
    emulator_world.config.rotate_refresh_tokens = True

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    await authorize(hass_client_no_auth, dict(result))
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    await hass.async_block_till_done()
    client = entry.runtime_data.client

    move_clocks(freezer, emulator_world, LIFETIME - 30)
    await client.get_devices()  # on demand
    emulator_world.expire_access_tokens()
    await client.get_devices()  # forced after a 401
    await tick(LIFETIME)  # background
    emulator_world.faults.add("status", path_prefix="/api/token", status=503)
    move_clocks(freezer, emulator_world, LIFETIME)
    with pytest.raises(SpotifyConnectionError):
        await client.get_devices()
    emulator_world.revoke_refresh_tokens()
    with pytest.raises(SpotifyAuthenticationError):
        await client.get_devices()
    await hass.async_block_till_done()
    assert reauth_flows(hass)

    secrets = {seed.CLIENT_SECRET}
    secrets |= set(emulator_world.tokens.access_tokens)
    secrets |= set(emulator_world.tokens.refresh_tokens)
    assert len(secrets) > 8
    # The test harness's in-memory storage logs what it writes; that is not HA.
    records = [
        record
        for record in caplog.records
        if not record.name.startswith("pytest_homeassistant_custom_component")
    ]
    for record in records:
        texts = [record.getMessage(), str(record.msg), repr(record.args)]
        if record.exc_info:
            texts.append(logging.Formatter().formatException(record.exc_info))
        for text in texts:
            for secret in secrets:
                assert secret not in text, f"secret in log record {record.name}"
    # The check saw the records that could leak: the token manager's for every
    # refresh outcome, the client's request lines and Home Assistant's OAuth helper
    # (how many others the core logs differs between versions).
    ours = {str(record.msg) for record in records if record.name == LOGGER.name}
    assert "Spotify access token refreshed" in ours
    assert "Spotify token refresh failed: %s" in ours
    assert any(msg.startswith("Spotify rejected the stored") for msg in ours)
    assert {api_transport.__name__, config_entry_oauth2_flow.__name__} <= {
        record.name for record in records
    }
