"""Player commands (commands.py): in order, one at a time, held while in flight."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import (
    ATTR_MEDIA_VOLUME_LEVEL,
    DOMAIN as MP_DOMAIN,
    SERVICE_VOLUME_SET,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_MEDIA_PAUSE,
    STATE_PAUSED,
    STATE_PLAYING,
)
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from spotify_emulator import FaultKind
from tests.playback_helpers import ENTITY_ID, USER, api_requests, state

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.playback_helpers import Tick

VOLUME = "/v1/me/player/volume"


def _call(hass: HomeAssistant, service: str, **data: Any) -> Awaitable[Any]:
    return hass.services.async_call(
        MP_DOMAIN, service, {ATTR_ENTITY_ID: ENTITY_ID, **data}, blocking=True
    )


async def _until_sent(world: World) -> None:
    """Let the loop run until the delayed request waits inside the emulator."""
    for _ in range(1000):
        if not world.faults.pending:
            return
        await asyncio.sleep(0)
    raise AssertionError("the delayed request never reached the emulator")


async def _release(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Move the frozen clock past the emulator's delay."""
    freezer.tick(0.4)
    async_fire_time_changed(hass)
    for _ in range(50):
        await asyncio.sleep(0)


async def test_poll_does_not_undo_a_command_in_flight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """Paused at once; a poll answered while the PUT is on its way keeps it paused."""
    emulator_world.faults.add(
        FaultKind.DELAY, path_prefix="/v1/me/player/pause", method="PUT", delay=0.3
    )
    pause = hass.async_create_task(_call(hass, SERVICE_MEDIA_PAUSE))
    await _until_sent(emulator_world)
    assert state(hass).state == STATE_PAUSED

    # Spotify still plays: the command has not arrived.
    await player.runtime_data.coordinator.async_refresh()
    shown_during_the_command = state(hass).state

    await _release(hass, freezer)
    await pause
    assert shown_during_the_command == STATE_PAUSED
    await tick(1.1)
    assert state(hass).state == STATE_PAUSED
    assert not emulator_world.playback(USER).is_playing


async def test_last_volume_wins(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A slow first level cannot overtake a later one: commands go in order."""
    emulator_world.faults.add(FaultKind.DELAY, path_prefix=VOLUME, delay=0.3)
    start = len(emulator_world.request_log)
    first = hass.async_create_task(
        _call(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
    )
    await _until_sent(emulator_world)
    second = hass.async_create_task(
        _call(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.6})
    )
    for _ in range(50):
        await asyncio.sleep(0)

    await _release(hass, freezer)
    await asyncio.gather(first, second)

    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.volume_percent == 60
    assert api_requests(emulator_world, start).count(f"PUT {VOLUME}") == 2


async def test_levels_overtaken_while_waiting_are_not_sent(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """Levels queued behind a slow one: only the newest of them is sent."""
    emulator_world.faults.add(FaultKind.DELAY, path_prefix=VOLUME, delay=0.3)
    start = len(emulator_world.request_log)
    calls = [
        hass.async_create_task(
            _call(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
        )
    ]
    await _until_sent(emulator_world)
    for level in (0.4, 0.5):
        calls.append(
            hass.async_create_task(
                _call(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: level})
            )
        )
        await asyncio.sleep(0)

    await _release(hass, freezer)
    await asyncio.gather(*calls)

    sent = [
        entry.query
        for entry in emulator_world.request_log.entries[start:]
        if entry.path == VOLUME
    ]
    assert ["volume_percent=30" in query for query in sent] == [True, False]
    assert ["volume_percent=50" in query for query in sent] == [False, True]
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.5
    assert state(hass).state == STATE_PLAYING
