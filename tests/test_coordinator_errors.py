"""The playback coordinator when Spotify fails or refuses, with frozen time.

Rate limits and outages keep the last state for a while, dead grants and missing
permissions ask to sign in again, refusals only the user can fix stop the polls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_PLAYING, STATE_UNAVAILABLE
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.spotify_player.issues import IssueKind
from spotify_emulator import FaultKind
from tests.helpers import (
    api_requests,
    get_issue,
    rate_limited,
    reauth_flows,
    setup_integration,
    spotify_error,
    state,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

PLAYER = "/v1/me/player"
DEVICES = "/v1/me/player/devices"
NOT_REGISTERED = (
    "Check settings on developer.spotify.com/dashboard, the user may not be registered."
)


async def test_rate_limit_keeps_state_and_waits(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A 429 keeps the entity as it was and nothing is sent before Retry-After."""
    coordinator = init_integration.runtime_data.coordinator
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix=PLAYER,
        method="GET",
        **rate_limited(40),
    )
    before = state(hass)
    await tick(15)
    during = state(hass)
    assert during.state == STATE_PLAYING
    assert during.attributes == before.attributes
    assert coordinator.rate_limited_until is not None
    # The diagnostics download shows the pause.
    download = await async_get_config_entry_diagnostics(hass, init_integration)
    assert download["coordinator"]["rate_limit_remaining"] > 0
    assert download["coordinator"]["rate_limited_until"] is not None
    assert download["api"]["last_rate_limit"]["retry_after"] == 40
    sent = len(api_requests(emulator_world))

    for _ in range(2):
        await tick(15)
    assert len(api_requests(emulator_world)) == sent
    assert state(hass).state == STATE_PLAYING

    await tick(12)
    assert len(api_requests(emulator_world)) > sent
    assert coordinator.rate_limited_until is None
    assert coordinator.last_update_success


async def test_401_after_a_fresh_token_is_transient(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A 401 that survives a refreshed token keeps the state and retries in 2 s.

    The refresh token still works (it was just used), so no reauth is started.
    """
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", status=401, count=2
    )
    before = state(hass)
    start = len(emulator_world.request_log)
    await tick(15)
    assert state(hass).state == STATE_PLAYING
    assert state(hass).attributes == before.attributes
    assert not reauth_flows(hass)
    assert emulator_world.request_log.count(method="POST", path="/api/token") == 1
    assert init_integration.runtime_data.coordinator.failures == 1
    sent = len(api_requests(emulator_world, start))

    await tick(2)
    assert len(api_requests(emulator_world, start)) == sent + 1
    assert init_integration.runtime_data.coordinator.failures == 0
    assert init_integration.state is ConfigEntryState.LOADED


async def test_dead_grant_starts_reauth(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A refresh the Accounts service rejects (invalid_grant) asks to sign in."""
    emulator_world.faults.add(FaultKind.EXPIRED_TOKEN, path_prefix=PLAYER, method="GET")
    emulator_world.faults.add(
        FaultKind.REVOKED_REFRESH_TOKEN, path_prefix="/api/token", method="POST"
    )
    await tick(15)
    assert state(hass).state == STATE_UNAVAILABLE
    assert len(reauth_flows(hass)) == 1


@pytest.mark.parametrize(
    ("status", "headers"), [(503, {}), (429, {"Retry-After": "30"})]
)
async def test_first_refresh_failure_retries_setup(
    hass: HomeAssistant,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
    status: int,
    headers: dict[str, str],
) -> None:
    """Without a state to keep, a failed first refresh retries the setup."""
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix=PLAYER,
        method="GET",
        status=status,
        headers=headers,
    )
    await setup_integration(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_device_refresh_failure_keeps_the_list(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A failed device refresh inside a poll keeps the known devices."""
    devices = init_integration.runtime_data.devices
    known = devices.devices
    emulator_world.faults.add(FaultKind.STATUS, path_prefix=DEVICES, status=503)
    for _ in range(60):
        await tick(1)
    assert devices.devices == known
    assert state(hass).state == STATE_PLAYING
    assert f"GET {DEVICES}" in api_requests(emulator_world, 4)


async def test_auth_failure_in_the_device_list_starts_reauth(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A dead grant met while refreshing the devices in a poll starts reauth.

    The device list keeps quiet (the one rule for background fetches); the token
    manager that met the dead grant asks for reauth, and the next poll stops.
    """
    emulator_world.faults.add(FaultKind.EXPIRED_TOKEN, path_prefix=DEVICES)
    emulator_world.faults.add(
        FaultKind.REVOKED_REFRESH_TOKEN, path_prefix="/api/token", method="POST"
    )
    for _ in range(60):
        await tick(1)
    assert len(reauth_flows(hass)) == 1
    await tick(15)
    assert state(hass).state == STATE_UNAVAILABLE
    assert len(reauth_flows(hass)) == 1


def _refuse_polls(world: World, message: str) -> None:
    """Answer the next poll with a 403 carrying Spotify's `message`."""
    world.faults.add(
        FaultKind.STATUS,
        path_prefix=PLAYER,
        method="GET",
        **spotify_error(403, message),
    )


async def test_missing_scope_at_runtime_asks_once(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A missing permission starts reauth and raises no repair on top of it."""
    _refuse_polls(emulator_world, "Insufficient client scope")
    await tick(15)

    assert state(hass).state == STATE_UNAVAILABLE
    assert len(reauth_flows(hass)) == 1
    assert not [
        issue for issue in ir.async_get(hass).issues.values() if issue.domain == DOMAIN
    ]


async def test_allow_list_refusal_stops_polling(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A 403 "user not registered" is final, as at setup: no retries spend budget."""
    _refuse_polls(emulator_world, NOT_REGISTERED)
    await tick(15)

    assert state(hass).state == STATE_UNAVAILABLE
    assert not reauth_flows(hass)
    assert get_issue(hass, IssueKind.USER_NOT_REGISTERED, init_integration.entry_id)
    start = len(emulator_world.request_log)
    for _ in range(20):
        await tick(30)
    assert api_requests(emulator_world, start) == []
