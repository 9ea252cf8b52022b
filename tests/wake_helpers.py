"""Helpers of the wake-up tests: a real entity that wakes the emulator's sleeper."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_player.const import CONF_WAKE_LINKS
from spotify_emulator import seed
from tests.helpers import USER, call_player, move_clocks

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
AVR_STUCK = "switch.stuck_avr_power"
AVR_UNAVAILABLE = "switch.unavailable_avr_power"
AVR_FAILING = "switch.failing_avr_power"
AVR_AUTOMATION = "automation.wake_living_room_avr"
LINKED_OPTIONS: dict[str, Any] = {CONF_WAKE_LINKS: {AVR: AVR_SWITCH}}
# Loop turns without a new request after which a command is taken to wait.
QUIET_TURNS = 200
# No wake-up waits this long (WAKE_TIMEOUT is 30 s).
MAX_SECONDS = 120


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
                            # Registered, so a link to it survives a rename.
                            "unique_id": "living_room_avr_power",
                            "turn_on": [{"action": "rest_command.wake_avr"}],
                            "turn_off": [],
                        },
                        # Its turn-on never returns (a script waiting for ever).
                        {
                            "name": "Stuck AVR power",
                            "turn_on": [{"wait_template": "{{ false }}"}],
                            "turn_off": [],
                        },
                        # Its turn-on fails (a smart plug that cannot be reached).
                        {
                            "name": "Failing AVR power",
                            "turn_on": [{"action": "rest_command.unreachable_plug"}],
                            "turn_off": [],
                        },
                        {
                            "name": "Unavailable AVR power",
                            "availability": "{{ false }}",
                            "turn_on": [{"action": "rest_command.wake_avr"}],
                            "turn_off": [],
                        },
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


async def async_setup_wake_automation(hass: HomeAssistant) -> None:
    """Set up an automation that wakes the sleeper when it runs (after the above).

    Linked as the options offer automations: triggered, not merely enabled.
    """
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "wake_living_room_avr",
                "alias": "Wake living room AVR",
                "triggers": [],
                "actions": [{"action": "rest_command.wake_avr"}],
            }
        },
    )
    await hass.async_block_till_done()


async def settle(world: World, task: asyncio.Task[Any]) -> None:
    """Run the loop until `task` ends or the emulator has had nothing new for a while.

    The emulator shares the event loop: a request that goes out is answered within
    a few turns, so many quiet turns in a row mean the command waits for the clock.
    """
    seen, quiet = len(world.request_log), 0
    while quiet < QUIET_TURNS and not task.done():
        await asyncio.sleep(0)
        if len(world.request_log) != seen:
            seen, quiet = len(world.request_log), 0
        else:
            quiet += 1


async def drive(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    world: World,
    command: Coroutine[Any, Any, Any],
    *,
    on_first_wait: Callable[[], None] | None = None,
) -> tuple[asyncio.Task[Any], int]:
    """Run `command`, moving both clocks a second at a time until it ends.

    After each second the loop runs until the requests that came due (the device
    lists of a wake-up) are answered. `on_first_wait` runs once the command first
    waits for the clock. Returns the finished task and the seconds that passed.
    (Not `tick`: waiting for every task would wait for the command, which waits
    for the clock.)
    """
    task = asyncio.ensure_future(command)
    await settle(world, task)
    if not task.done() and on_first_wait is not None:
        on_first_wait()
    seconds = 0
    while not task.done():
        assert seconds < MAX_SECONDS, "the command never finished"
        move_clocks(freezer, world, 1)
        async_fire_time_changed(hass)
        seconds += 1
        await settle(world, task)
    await hass.async_block_till_done()
    return task, seconds


async def play_while_a_wake_hangs(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    world: World,
    entry: MockConfigEntry,
) -> tuple[asyncio.Task[Any], int, list[asyncio.Task[Any]]]:
    """Play on the sleeping default AVR; while it wakes, poll and switch devices.

    Returns the play's task, the seconds it took, and the tasks of the poll and of
    the command that needs no wake-up (both started once the play waits).
    """
    other: list[asyncio.Task[Any]] = []

    def meanwhile() -> None:
        other.append(
            hass.async_create_task(entry.runtime_data.coordinator.async_refresh())
        )
        other.append(
            hass.async_create_task(
                call_player(hass, "select_source", source="Living Room Speaker")
            )
        )

    task, seconds = await drive(
        hass, freezer, world, call_player(hass, "media_play"), on_first_wait=meanwhile
    )
    return task, seconds, other
