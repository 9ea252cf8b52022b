"""Faults and restarts: a bad answer costs seconds, and nothing outlives a stop."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.const import (
    EVENT_HOMEASSISTANT_CLOSE,
    STATE_IDLE,
    STATE_PLAYING,
    STATE_UNAVAILABLE,
)
from homeassistant.core import CoreState
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    get_scheduled_timer_handles,
)

from custom_components.spotify_player.api import SpotifyConnectionError
from custom_components.spotify_player.const import CONF_AUTHORIZED_AT
from custom_components.spotify_player.issues import IssueKind
from spotify_emulator import FaultKind
from tests.helpers import (
    USER,
    api_requests,
    call_player,
    get_issue,
    rate_limited,
    setup_integration,
    state,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

PLAYER = "/v1/me/player"


def _poll_times(world: World, since: int) -> list[float]:
    """Seconds after the first entry since `since` of each GET /me/player."""
    entries = [
        entry
        for entry in world.request_log.entries[since:]
        if entry.method == "GET" and entry.path == PLAYER
    ]
    return [round(entry.time - world.clock.now(), 1) for entry in entries]


@pytest.mark.parametrize("kind", [FaultKind.EMPTY, FaultKind.MALFORMED])
async def test_broken_200_keeps_the_state_and_asks_again_soon(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    kind: FaultKind,
) -> None:
    """An empty or undecodable 200 is no "nothing playing": one costs 2 s."""
    before = state(hass)
    emulator_world.faults.add(kind, path_prefix=PLAYER, method="GET")
    start = len(emulator_world.request_log)
    await tick(15)
    assert state(hass).state == STATE_PLAYING
    assert state(hass).attributes == before.attributes
    await tick(2)
    polls = api_requests(emulator_world, start).count(f"GET {PLAYER}")
    assert polls == 2
    assert init_integration.runtime_data.coordinator.failures == 0


async def test_failed_polls_back_off_2_5_10_seconds(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Retries come 2, 5, then 10 s apart; the fifth failure shows unavailable."""
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", status=503, count=5
    )
    await tick(15)  # the first failure
    start = len(emulator_world.request_log)
    seen = []
    for _ in range(80):
        await tick(0.5)
        seen.append(state(hass).state)
    polls = [
        entry.time - (emulator_world.clock.now() - 40)
        for entry in emulator_world.request_log.entries[start:]
        if entry.path == PLAYER
    ]
    # Failures at 0, 2, 7, 17 and 27 s after the first; the poll at 37 s works.
    assert polls == [2, 7, 17, 27, 37]
    assert seen[52] == STATE_PLAYING  # 26.5 s: four failures keep the last state
    assert seen[53] == STATE_UNAVAILABLE  # 27 s: the fifth
    assert seen[73] == STATE_PLAYING  # 37 s: recovered


async def test_failure_while_idle_does_not_wait_the_idle_interval(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Idle polls every 120 s, but a failed one is retried after 2 s."""
    emulator_world.stop_playback(USER)
    await tick(15)
    assert state(hass).state == STATE_IDLE
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", status=503
    )
    start = len(emulator_world.request_log)
    await tick(120)
    await tick(2)
    assert api_requests(emulator_world, start).count(f"GET {PLAYER}") == 2


async def test_no_retry_inside_retry_after(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A 429 to a command during the back-off holds the retry until Retry-After.

    (A guard: the back-off must not undo what the rate-limit gate promises.)
    """
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", status=503
    )
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix=f"{PLAYER}/pause",
        **rate_limited(20),
    )
    await tick(15)  # the poll fails: a retry is due in 2 s
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, "media_pause")
    assert err.value.translation_key == "rate_limited"
    limited = emulator_world.request_log[-1]
    assert limited.status == 429
    start = len(emulator_world.request_log)
    for _ in range(60):
        await tick(0.5)
    sent = [e.time - limited.time for e in emulator_world.request_log.entries[start:]]
    assert sent
    assert min(sent) >= 20
    assert state(hass).state == STATE_PLAYING


async def test_home_assistant_stop_leaves_nothing_behind(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> None:
    """After Home Assistant's own shutdown no timer, task or request is left.

    Token refresh, the daily expiry check, polling and a command's confirmation
    were all armed when it stopped; none of them acts afterwards.
    """
    armed_before = set(get_scheduled_timer_handles(hass.loop))
    # Fifteen days (less an hour) before the sign-in expires: tomorrow's daily
    # expiry check would raise the warning.
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        data={
            **mock_config_entry.data,
            CONF_AUTHORIZED_AT: "2025-09-16T11:00:00+00:00",
        },
    )
    await setup_integration(hass, mock_config_entry)
    mock_config_entry.runtime_data.confirmation.async_sent()
    assert mock_config_entry.runtime_data.token_manager.next_scheduled_refresh

    def armed_since_setup() -> list[asyncio.TimerHandle]:
        return [
            handle
            for handle in get_scheduled_timer_handles(hass.loop)
            if handle not in armed_before and not handle.cancelled()
        ]

    assert armed_since_setup()
    await hass.async_stop()
    assert hass.state is CoreState.stopped
    assert armed_since_setup() == []
    tasks = [
        task
        for task in asyncio.all_tasks()
        if not task.done() and "spotify_player" in task.get_name()
    ]
    assert tasks == []

    start = len(emulator_world.request_log)
    for hours in (1, 2, 25):
        freezer.tick(timedelta(hours=hours))
        emulator_world.advance(hours * 3600)
        async_fire_time_changed(hass, fire_all=True)
        await hass.async_block_till_done()
    assert emulator_world.request_log.entries[start:] == []
    assert not get_issue(
        hass, IssueKind.AUTHORIZATION_EXPIRING, mock_config_entry.entry_id
    )


async def test_token_refresh_on_a_closed_session_is_a_transient(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A refresh after Home Assistant closed its HTTP session fails cleanly.

    It used to escape as RuntimeError("Session is closed").
    """
    # Home Assistant closes its session itself, on this event (after STOP).
    hass.bus.async_fire(EVENT_HOMEASSISTANT_CLOSE)
    await hass.async_block_till_done()
    assert async_get_clientsession(hass).closed
    token_manager = init_integration.runtime_data.token_manager
    with pytest.raises(SpotifyConnectionError):
        await token_manager.async_get_access_token(True)
    assert not token_manager.reauth_required
    assert not hass.config_entries.flow.async_progress_by_handler("spotify_player")
