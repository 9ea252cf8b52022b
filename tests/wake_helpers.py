"""Helpers of the wake-up tests: a real entity that wakes the emulator's sleeper."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
from typing import TYPE_CHECKING, Any

from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_player.const import CONF_WAKE_LINKS
from spotify_emulator import seed
from tests.playback_helpers import USER

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World

AVR = seed.SLEEPER_DEVICE_NAME
AVR_SWITCH = "switch.living_room_avr_power"
AVR_SCRIPT = "script.wake_living_room_avr"
AVR_COVER = "cover.living_room_avr_lift"
LINKED_OPTIONS: dict[str, Any] = {CONF_WAKE_LINKS: {AVR: AVR_SWITCH}}


async def async_setup_wake_entities(
    hass: HomeAssistant, emulator: EmulatorServer, **wake_body: Any
) -> None:
    """Set up a template switch and a script that wake the sleeper (control API).

    What a smart plug or the AVR's own integration would do: the action tells the
    emulator the device got power (rest_command, as a user might write it).
    """
    url = f"{emulator.url}/_emulator/users/{USER}/devices/{seed.SLEEPER_DEVICE_KEY}"
    assert await async_setup_component(
        hass,
        "rest_command",
        {
            "rest_command": {
                "wake_avr": {
                    "url": f"{url}/wake",
                    "method": "post",
                    "content_type": "application/json",
                    "payload": json.dumps(wake_body),
                }
            }
        },
    )
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "switch": [
                        {
                            "name": "Living Room AVR power",
                            "turn_on": [{"action": "rest_command.wake_avr"}],
                            "turn_off": [],
                        }
                    ],
                    # A TV lift: it opens, but nothing turns it on.
                    "cover": [
                        {
                            "name": "Living Room AVR lift",
                            "open_cover": [{"action": "rest_command.wake_avr"}],
                            "close_cover": [],
                        }
                    ],
                }
            ]
        },
    )
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "wake_living_room_avr": {
                    "sequence": [{"action": "rest_command.wake_avr"}]
                }
            }
        },
    )
    await hass.async_block_till_done()


async def until(condition: Callable[[], bool], rounds: int = 20_000) -> None:
    """Run the loop until `condition` holds (requests on loopback take a few turns)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
    msg = "condition never held"
    raise AssertionError(msg)


async def drive(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    world: World,
    entry: MockConfigEntry,
    command: Coroutine[Any, Any, Any],
    *,
    on_first_wait: Callable[[], None] | None = None,
) -> tuple[asyncio.Task[Any], float]:
    """Run `command`; whenever a wake-up waits, move both clocks to its end.

    Returns the finished task and the seconds that passed. (Not `tick`: waiting for
    every task would wait for the command, which waits for the clock.)
    """
    sleeping = entry.runtime_data.coordinator.sleeping
    task = asyncio.ensure_future(command)
    seconds = 0.0
    seen = 0
    while True:
        await until(lambda done=seen: task.done() or sleeping.waits > done)
        if task.done():
            break
        if seen == 0 and on_first_wait is not None:
            on_first_wait()
        seen = sleeping.waits
        assert sleeping.wait_ends is not None
        step = (sleeping.wait_ends - dt_util.utcnow()).total_seconds()
        world.advance(step)
        freezer.tick(timedelta(seconds=step))
        async_fire_time_changed(hass)
        seconds += step
    await hass.async_block_till_done()
    return task, seconds
