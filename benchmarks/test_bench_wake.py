"""Sleeping speakers and the up-next sensor: what they cost.

Wake-up: a linked device that joins Spotify Connect 5 s after its switch is turned
on, from the command to playing on it (simulated clock: the back-off's own timing,
not the machine's), and the requests spent. Up next: an hour of playing with the
sensor enabled, its queue requests on top of the player's.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util
import pytest

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import ManualClock, RealClock, World, seed
from tests.helpers import (
    EMULATOR_START,
    USER,
    Tick,
    api_requests,
    call_action,
    setup_integration,
)
from tests.wake_helpers import LINKED_OPTIONS, async_setup_wake_entities, drive

from .report import report
from .test_bench_playback import HOUR, STEP, real_perf_counter

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer

WAKE_DELAY = 5.0


@pytest.fixture
def emulator_world(request: pytest.FixtureRequest) -> World:
    """Return the seeded world, on the manual clock unless a test asks for real time."""
    if getattr(request, "param", None) is RealClock:
        return seed.seeded_world(clock=RealClock())
    return seed.seeded_world(clock=ManualClock(start=EMULATOR_START))


@pytest.fixture
def frozen_clock(
    request: pytest.FixtureRequest, emulator_world: World
) -> FrozenDateTimeFactory | None:
    """Freeze Home Assistant's clock at the emulator's, unless it runs in real time."""
    if isinstance(emulator_world.clock, RealClock):
        return None
    freezer: FrozenDateTimeFactory = request.getfixturevalue("freezer")
    freezer.move_to(dt_util.utc_from_timestamp(emulator_world.clock.now()))
    return freezer


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_wake_up_of_a_sleeping_speaker(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    spotify_env: EmulatorServer,
    emulator_world: World,
) -> None:
    """Seconds from transfer_playback to playing on a device that joins after 5 s."""
    emulator_world.config.wake_delay = WAKE_DELAY
    await async_setup_wake_entities(hass, spotify_env)
    start = len(emulator_world.request_log)
    wall = real_perf_counter()

    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_action(
            hass,
            "transfer_playback",
            init_integration,
            device=seed.SLEEPER_DEVICE_NAME,
            play=True,
        ),
    )

    wall = real_perf_counter() - wall
    assert task.exception() is None
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.is_playing
    assert snapshot.device_key == seed.SLEEPER_DEVICE_KEY
    requests = Counter(api_requests(emulator_world, start))
    report(
        "wake-up: a speaker that joins Spotify 5 s after its switch",
        "transfer_playback",
        command_to_playing_s=seconds,
        device_lists=requests["GET /v1/me/player/devices"],
        requests=sum(requests.values()),
        wall_ms=round(wall * 1000, 1),
    )


async def test_up_next_cost_per_hour(
    hass: HomeAssistant,
    tick: Tick,
    entity_registry: er.EntityRegistry,
    mock_config_entry: MockConfigEntry,
    emulator_world: World,
) -> None:
    """Queue requests in an hour of playing with the up-next sensor enabled."""
    entity_registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{USER}_up_next",
        suggested_object_id="robin_emulated_up_next",
    )
    await setup_integration(hass, mock_config_entry)
    await tick(15)
    start = len(emulator_world.request_log)
    for _ in range(int(HOUR / STEP)):
        await tick(STEP)
    requests = Counter(api_requests(emulator_world, start))
    queue = requests["GET /v1/me/player/queue"]
    report(
        "up next: an hour playing with the sensor enabled",
        "playing",
        queue_requests=queue,
        player_requests=sum(requests.values()) - queue,
        requests=sum(requests.values()),
    )
    assert queue <= 25


@pytest.mark.parametrize("emulator_world", [RealClock], indirect=True)
@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_wake_up_on_the_real_clock(
    hass: HomeAssistant,
    spotify_env: EmulatorServer,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """The same wake-up in real time: nothing simulated, the machine's own latency."""
    emulator_world.config.wake_delay = WAKE_DELAY
    entry = init_integration
    await async_setup_wake_entities(hass, spotify_env)
    start = len(emulator_world.request_log)
    wall = real_perf_counter()

    await call_action(
        hass,
        "transfer_playback",
        entry,
        device=seed.SLEEPER_DEVICE_NAME,
        play=True,
    )

    wall = real_perf_counter() - wall
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.is_playing
    assert snapshot.device_key == seed.SLEEPER_DEVICE_KEY
    requests = Counter(api_requests(emulator_world, start))
    report(
        "wake-up: a speaker that joins Spotify 5 s after its switch",
        "transfer_playback, real clock",
        command_to_playing_s=round(wall, 2),
        device_lists=requests["GET /v1/me/player/devices"],
        requests=sum(requests.values()),
    )
