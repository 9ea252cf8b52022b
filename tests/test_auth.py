"""Token lifecycle against the emulator: shared, background and forced refreshes."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_entry_oauth2_flow, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest

from custom_components.spotify_player.api import (
    SpotifyAuthenticationError,
    SpotifyConnectionError,
    transport as api_transport,
)
from custom_components.spotify_player.auth import (
    REFRESH_AHEAD,
    RETRY_AFTER_FAILURE,
    TOKEN_REQUEST_TIMEOUT,
    SpotifyTokenManager,
)
from custom_components.spotify_player.const import DOMAIN, LOGGER
from spotify_emulator import FaultKind, seed
from tests.helpers import (
    EMULATOR_START,
    entry_token,
    move_clocks,
    reauth_flows,
    release_held,
    until_held,
)
from tests.oauth_helpers import authorize

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from custom_components.spotify_player.api import SpotifyClient
    from spotify_emulator import World
    from tests.helpers import Tick

LIFETIME = 3600


def token_requests(world: World) -> int:
    """Return how many token requests the emulator answered."""
    return world.request_log.count(method="POST", path="/api/token")


def devices_calls(world: World) -> int:
    """Return how many device lists the emulator served."""
    return world.request_log.count(method="GET", path="/v1/me/player/devices")


def hold_token_request(world: World) -> None:
    """Let the emulator hold the next token request until `release_held`."""
    world.faults.add(
        FaultKind.DELAY, path_prefix="/api/token", method="POST", delay=0.3
    )


def client_of(entry: MockConfigEntry) -> SpotifyClient:
    client: SpotifyClient = entry.runtime_data.client
    return client


def manager_of(entry: MockConfigEntry) -> SpotifyTokenManager:
    manager: SpotifyTokenManager = entry.runtime_data.token_manager
    return manager


def is_revoked(world: World, refresh_token: str) -> bool:
    """Return whether the emulator revoked a refresh token it issued."""
    info = world.tokens.refresh_token_info(refresh_token)
    assert info is not None
    return info.revoked


async def test_concurrent_calls_at_expiry_share_one_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """100 API calls that find the token expired cause exactly one token request."""
    client = client_of(init_integration)
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
    client = client_of(init_integration)
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
    manager = manager_of(init_integration)
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

    assert await client_of(init_integration).get_devices()

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
    manager = manager_of(init_integration)
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
    manager = manager_of(init_integration)
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
    manager = manager_of(init_integration)
    emulator_world.revoke_refresh_tokens(seed.PREMIUM_USER_ID)

    await tick(LIFETIME - REFRESH_AHEAD.total_seconds())

    assert manager.reauth_required
    assert manager.next_scheduled_refresh is None
    assert len(reauth_flows(hass)) == 1


async def test_rotation_stores_new_refresh_token_at_once(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """With rotation the new refresh token is stored as soon as the call returns."""
    emulator_world.config.rotate_refresh_tokens = True
    old_refresh = init_integration.data["token"]["refresh_token"]

    access = await manager_of(init_integration).async_get_access_token(True)

    token = init_integration.data["token"]
    assert token["access_token"] == access
    assert token["refresh_token"] != old_refresh
    assert is_revoked(emulator_world, old_refresh)
    assert not is_revoked(emulator_world, token["refresh_token"])


async def test_response_without_refresh_token_keeps_the_old_one(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """An empty refresh token in a response never replaces the stored one."""
    old_refresh = init_integration.data["token"]["refresh_token"]
    emulator_world.faults.add(
        "status",
        path_prefix="/api/token",
        method="POST",
        status=200,
        body={
            "access_token": "BQ-from-fault",
            "token_type": "Bearer",
            "expires_in": LIFETIME,
            "refresh_token": "",
        },
    )

    assert await manager_of(init_integration).async_get_access_token(True) == (
        "BQ-from-fault"
    )
    assert init_integration.data["token"]["refresh_token"] == old_refresh


@pytest.mark.parametrize("rotate", [False, True])
async def test_reload_after_refresh_keeps_working_tokens(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
    rotate: bool,
) -> None:
    """After a refresh (rotating or not) a reload uses the stored tokens: none lost."""
    emulator_world.config.rotate_refresh_tokens = rotate
    await manager_of(init_integration).async_get_access_token(True)
    refreshed = dict(init_integration.data["token"])

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.data["token"] == refreshed
    # The stored refresh token still works after the reload.
    move_clocks(freezer, emulator_world, LIFETIME)
    assert await client_of(init_integration).get_devices()
    assert init_integration.data["token"]["access_token"] != refreshed["access_token"]


def test_token_request_ends_before_unload_stops_waiting() -> None:
    """Home Assistant waits 10 s for an unloading entry's tasks; a refresh is shorter.

    So an unload (or reload) never leaves a token request running behind it.
    """
    assert TOKEN_REQUEST_TIMEOUT < 10


async def test_unload_waits_for_refresh_in_flight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Unloading during a (rotating) refresh still stores its result."""
    emulator_world.config.rotate_refresh_tokens = True
    old_refresh = init_integration.data["token"]["refresh_token"]
    manager = manager_of(init_integration)
    hold_token_request(emulator_world)
    caller = hass.async_create_task(manager.async_get_access_token(True))
    await until_held(emulator_world)  # the token request is on the wire

    unload = hass.async_create_task(
        hass.config_entries.async_unload(init_integration.entry_id)
    )
    await release_held(hass, freezer)
    assert await unload
    await caller

    new_refresh = init_integration.data["token"]["refresh_token"]
    assert new_refresh != old_refresh
    assert not is_revoked(emulator_world, new_refresh)


async def test_refresh_racing_a_reauth_keeps_the_new_grant(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A refresh of the old grant finishing after reauth stored a new one is dropped."""
    manager = manager_of(init_integration)
    hold_token_request(emulator_world)
    caller = hass.async_create_task(manager.async_get_access_token(True))
    await until_held(emulator_world)
    reauth_token = entry_token(emulator_world.issue_tokens(seed.PREMIUM_USER_ID))
    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, "token": reauth_token}
    )
    await release_held(hass, freezer)

    assert await caller == reauth_token["access_token"]
    assert init_integration.data["token"] == reauth_token


@pytest.mark.parametrize("rotated", [True, False])
async def test_dead_old_grant_after_reauth_is_no_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
    rotated: bool,
) -> None:
    """invalid_grant for a grant replaced while its refresh was on the wire.

    Either another refresh rotated it first, or the grant died and the user signed
    in again meanwhile: the new grant is used, and no second reauth starts.
    """
    old_refresh = init_integration.data["token"]["refresh_token"]
    manager = manager_of(init_integration)
    hold_token_request(emulator_world)
    caller = hass.async_create_task(manager.async_get_access_token(True))
    await until_held(emulator_world)
    if rotated:
        emulator_world.config.rotate_refresh_tokens = True
        grant = emulator_world.tokens.refresh(
            client_id=seed.CLIENT_ID, refresh_token=old_refresh
        )
    else:
        emulator_world.revoke_refresh_tokens(seed.PREMIUM_USER_ID)
        grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
    newer = entry_token(grant)
    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, "token": newer}
    )
    await release_held(hass, freezer)

    assert await caller == newer["access_token"]
    await hass.async_block_till_done()
    assert is_revoked(emulator_world, old_refresh)
    assert not manager.reauth_required
    assert not reauth_flows(hass)
    assert init_integration.data["token"] == newer


async def test_no_refresh_after_unload(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """A stale client of an unloaded entry cannot refresh the grant it gave up."""
    manager = manager_of(init_integration)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    before = token_requests(emulator_world)

    with pytest.raises(SpotifyConnectionError):
        await manager.async_get_access_token(True)
    assert token_requests(emulator_world) == before


async def test_cancelled_caller_does_not_cancel_shared_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """One waiter giving up leaves the refresh running for the others."""
    manager = manager_of(init_integration)
    before = token_requests(emulator_world)
    hold_token_request(emulator_world)
    quitter = hass.async_create_task(manager.async_get_access_token(True))
    stayer = hass.async_create_task(manager.async_get_access_token(True))
    await until_held(emulator_world)

    quitter.cancel()
    await release_held(hass, freezer)
    token = await stayer

    assert token == init_integration.data["token"]["access_token"]
    assert token_requests(emulator_world) == before + 1
    with pytest.raises(asyncio.CancelledError):
        await quitter


async def test_invalid_grant_at_runtime_starts_reauth(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """A dead refresh token starts reauth once and stops asking for tokens."""
    client = client_of(init_integration)
    manager = manager_of(init_integration)
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
    client = client_of(init_integration)
    move_clocks(freezer, emulator_world, LIFETIME)
    emulator_world.faults.add(path_prefix="/api/token", method="POST", **fault)

    with pytest.raises(SpotifyConnectionError):
        await client.get_devices()
    await hass.async_block_till_done()
    assert not reauth_flows(hass)
    assert manager_of(init_integration).failed_refresh_count == 1

    assert await client.get_devices()


async def test_unload_cancels_timers(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """After unload no background refresh or expiry check runs."""
    manager = manager_of(init_integration)
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
