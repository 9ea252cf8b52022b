"""Linked speakers: local push hints, and wake-ups that cannot hold the account.

Hints: an hour of playing on the 15 s default while the Spotify app skips at seeded
random times (as test_bench_external.py), on a device whose linked entity (the
stand-in of tests/speaker_standin.py) shows each change 0.3 s later, and on an
unlinked device. Wake-ups: a linked entity whose turn-on never returns, and two
wake-ups of one device at once. Simulated clock throughout.
"""

from __future__ import annotations

import asyncio
from collections import Counter
import statistics
from typing import TYPE_CHECKING

from homeassistant.const import ATTR_ENTITY_ID, ENTITY_MATCH_ALL, EVENT_CALL_SERVICE
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.spotify_player.const import (
    CONF_DEFAULT_DEVICE,
    CONF_DEFAULT_DEVICE_NAME,
    CONF_WAKE_LINKS,
    DOMAIN,
)
from spotify_emulator import seed
from spotify_emulator.player import RepeatState
from tests.helpers import USER, Tick, api_requests, call, call_player, setup_integration
from tests.speaker_standin import STANDIN, async_setup_standin
from tests.wake_helpers import (
    AVR,
    AVR_STUCK,
    LINKED_OPTIONS,
    async_setup_wake_entities,
    drive,
    play_while_a_wake_hangs,
)

from .report import report
from .skips import async_time_skips

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World

STEP = 0.25
SEED = 20261207
COMPUTER = "Study Computer"
AREA = "linked speakers: hints and wake-ups"


@pytest.mark.parametrize(
    ("options", "linked"),
    [({CONF_WAKE_LINKS: {COMPUTER: STANDIN}}, True), ({}, False)],
)
async def test_external_changes_with_hints(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
    linked: bool,
) -> None:
    """Median / p95 from a skip in the app to the entity, and requests an hour."""
    await async_setup_standin(hass, emulator_world, COMPUTER, delay=0.3)
    await setup_integration(hass, mock_config_entry)
    # The context repeats, so an hour of skips never runs out of items.
    emulator_world.playback(USER).repeat = RepeatState.CONTEXT
    await tick(15)
    start = len(emulator_world.request_log)
    delays = await async_time_skips(hass, tick, emulator_world, step=STEP, seed=SEED)
    requests = Counter(api_requests(emulator_world, start))
    report(
        AREA,
        "skips, device linked (0.3 s)" if linked else "skips, device unlinked",
        changes=len(delays),
        median_s=statistics.median(delays),
        p95_s=round(statistics.quantiles(delays, n=20)[18], 2),
        requests_per_hour=sum(requests.values()),
        player_polls=requests["GET /v1/me/player"],
        device_lists=requests["GET /v1/me/player/devices"],
    )


@pytest.mark.parametrize(
    "options",
    [
        {
            CONF_WAKE_LINKS: {AVR: AVR_STUCK},
            CONF_DEFAULT_DEVICE: seed.SLEEPER_DEVICE_ID,
            CONF_DEFAULT_DEVICE_NAME: AVR,
        }
    ],
)
async def test_stuck_turn_on(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    spotify_env: EmulatorServer,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Play wakes the fallback AVR through a turn-on that never returns."""
    emulator_world.stop_playback(USER)
    await async_setup_wake_entities(hass, spotify_env)
    await setup_integration(hass, mock_config_entry)
    since = len(emulator_world.request_log)
    task, seconds, other = await play_while_a_wake_hangs(
        hass, freezer, emulator_world, mock_config_entry
    )
    sent = api_requests(emulator_world, since)
    report(
        AREA,
        "turn-on never returns (fallback device)",
        polls_during_wake=sent.count("GET /v1/me/player"),
        command_ends_s=seconds if task.done() else None,
        error=getattr(task.exception(), "translation_key", None),
        next_command_ok=all(t.done() and t.exception() is None for t in other),
    )


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_concurrent_wake_ups(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    spotify_env: EmulatorServer,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Two select_source to the sleeping AVR at once: how often it is turned on."""
    emulator_world.config.wake_delay = 5.0
    await async_setup_wake_entities(hass, spotify_env)
    await setup_integration(hass, mock_config_entry)
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)

    async def both() -> None:
        await asyncio.gather(
            call_player(hass, "select_source", source=AVR),
            call_player(hass, "select_source", source=AVR),
        )

    await drive(hass, freezer, emulator_world, both())
    unexpected = 0
    for service, data in (
        ("get_queue", {}),
        ("save_to_library", {}),
        ("transfer_playback", {"device": AVR}),
    ):
        try:
            await call(
                hass, DOMAIN, service, {ATTR_ENTITY_ID: ENTITY_MATCH_ALL, **data}
            )
        except AttributeError:
            unexpected += 1
    report(
        AREA,
        "two wake-ups at once; actions on all",
        turn_on_calls=sum(
            1
            for event in calls
            if (event.data["domain"], event.data["service"]) == ("switch", "turn_on")
        ),
        unexpected_exceptions_on_all=unexpected,
    )
