"""What a token refresh stores, and refreshes that race an unload, a reauth or a quit.

Refresh tokens may rotate; a refresh on the wire must neither be lost nor undo a
grant stored meanwhile (shared, background and forced refreshes: test_auth.py).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
import pytest

from custom_components.spotify_player.api import SpotifyConnectionError
from custom_components.spotify_player.auth import TOKEN_REQUEST_TIMEOUT
from spotify_emulator import seed
from tests.helpers import (
    entry_token,
    hold_token_request,
    is_revoked,
    move_clocks,
    reauth_flows,
    release_held,
    token_requests,
    until_held,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

LIFETIME = 3600


async def test_rotation_stores_new_refresh_token_at_once(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """With rotation the new refresh token is stored as soon as the call returns."""
    emulator_world.config.rotate_refresh_tokens = True
    old_refresh = init_integration.data["token"]["refresh_token"]

    access = await init_integration.runtime_data.token_manager.async_get_access_token(
        True
    )

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

    assert await init_integration.runtime_data.token_manager.async_get_access_token(
        True
    ) == ("BQ-from-fault")
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
    await init_integration.runtime_data.token_manager.async_get_access_token(True)
    refreshed = dict(init_integration.data["token"])

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.data["token"] == refreshed
    # The stored refresh token still works after the reload.
    move_clocks(freezer, emulator_world, LIFETIME)
    assert await init_integration.runtime_data.client.get_devices()
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
    manager = init_integration.runtime_data.token_manager
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
    manager = init_integration.runtime_data.token_manager
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
    manager = init_integration.runtime_data.token_manager
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
    manager = init_integration.runtime_data.token_manager
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
    manager = init_integration.runtime_data.token_manager
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
