"""Wake-ups that cannot hurt the account (issue 17, bugs 2-5 and 7).

The emulator's "Living Room AVR" sleeps; real template switches, an automation and
a script wake it (tests/wake_helpers.py). Each test here failed before: a stuck
turn-on froze the account, two wake-ups turned the entity on twice, an automation
was only enabled, an unavailable entity cost 30 s, a renamed entity broke the link.
A turn-on that failed surfaced Home Assistant's bare error, and a removed entity was
named by its registry id.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from homeassistant.const import EVENT_CALL_SERVICE
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.spotify_player.const import (
    CONF_DEFAULT_DEVICE,
    CONF_DEFAULT_DEVICE_NAME,
    CONF_WAKE_LINKS,
)
from custom_components.spotify_player.diagnostics import (
    async_get_config_entry_diagnostics,
)
from spotify_emulator import seed
from tests.helpers import USER, api_requests, call_player, setup_integration
from tests.wake_helpers import (
    AVR,
    AVR_AUTOMATION,
    AVR_FAILING,
    AVR_STUCK,
    AVR_SWITCH,
    AVR_UNAVAILABLE,
    LINKED_OPTIONS,
    async_setup_wake_automation,
    async_setup_wake_entities,
    drive,
    play_while_a_wake_hangs,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World

PLAYER = "GET /v1/me/player"
WAKE_DELAY = 5.0


def _avr_default(entity: str) -> dict[str, Any]:
    """Options that make the AVR, linked to `entity`, the default device."""
    return {
        CONF_WAKE_LINKS: {AVR: entity},
        CONF_DEFAULT_DEVICE: seed.SLEEPER_DEVICE_ID,
        CONF_DEFAULT_DEVICE_NAME: AVR,
    }


@pytest.fixture(autouse=True)
def wake_delay(emulator_world: World) -> None:
    """Let the AVR join Spotify Connect five seconds after it gets power."""
    emulator_world.config.wake_delay = WAKE_DELAY


@pytest.fixture
async def idle_linked(
    hass: HomeAssistant,
    spotify_env: EmulatorServer,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> MockConfigEntry:
    """Nothing plays; the wake entities exist before the account (registered)."""
    emulator_world.stop_playback(USER)
    await async_setup_wake_entities(hass, spotify_env)
    await setup_integration(hass, mock_config_entry)
    return mock_config_entry


@pytest.mark.parametrize("options", [_avr_default(AVR_STUCK)])
async def test_a_stuck_turn_on_holds_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    idle_linked: MockConfigEntry,
) -> None:
    """Polls and other commands go on; the play ends within 35 s, named."""
    since = len(emulator_world.request_log.entries)
    task, seconds, other = await play_while_a_wake_hangs(
        hass, freezer, emulator_world, idle_linked
    )

    err = task.exception()
    assert isinstance(err, HomeAssistantError)
    assert err.translation_key == "wake_entity_stuck"
    assert err.translation_placeholders == {
        "device": AVR,
        "entity": AVR_STUCK,
        "seconds": "30",
    }
    assert seconds <= 35
    assert all(done.done() and done.exception() is None for done in other)
    sent = api_requests(emulator_world, since)
    assert PLAYER in sent
    assert "PUT /v1/me/player" in sent  # the transfer went through meanwhile


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_two_wake_ups_turn_on_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    idle_linked: MockConfigEntry,
) -> None:
    """A double tap wakes once; both calls share the wake-up and succeed."""
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)

    async def both() -> list[Any]:
        return await asyncio.gather(
            call_player(hass, "select_source", source=AVR),
            call_player(hass, "select_source", source=AVR),
        )

    task, _ = await drive(hass, freezer, emulator_world, both())

    assert task.exception() is None
    turned_on = [
        event
        for event in calls
        if (event.data["domain"], event.data["service"]) == ("switch", "turn_on")
    ]
    assert len(turned_on) == 1
    assert emulator_world.active_device(USER).key == seed.SLEEPER_DEVICE_KEY


@pytest.mark.parametrize("options", [{CONF_WAKE_LINKS: {AVR: AVR_AUTOMATION}}])
async def test_a_linked_automation_runs(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    idle_linked: MockConfigEntry,
) -> None:
    """An automation is triggered (its actions run), not merely enabled."""
    await async_setup_wake_automation(hass)
    task, seconds = await drive(
        hass, freezer, emulator_world, call_player(hass, "select_source", source=AVR)
    )

    assert task.exception() is None
    assert emulator_world.active_device(USER).key == seed.SLEEPER_DEVICE_KEY
    assert seconds < 10


@pytest.mark.parametrize(
    ("options", "key", "placeholders"),
    [
        (
            {CONF_WAKE_LINKS: {AVR: AVR_UNAVAILABLE}},
            "wake_entity_unavailable",
            {"entity": AVR_UNAVAILABLE},
        ),
        (
            {CONF_WAKE_LINKS: {AVR: AVR_FAILING}},
            "wake_entity_failed",
            {
                "entity": AVR_FAILING,
                "error": "Action rest_command.unreachable_plug not found",
            },
        ),
    ],
    ids=["unavailable", "turn_on_fails"],
)
async def test_a_wake_that_cannot_work_fails_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    idle_linked: MockConfigEntry,
    key: str,
    placeholders: dict[str, str],
) -> None:
    """No 30 s wait for a device that cannot wake: refused at once, named."""
    since = len(emulator_world.request_log.entries)
    task, seconds = await drive(
        hass, freezer, emulator_world, call_player(hass, "select_source", source=AVR)
    )

    err = task.exception()
    assert isinstance(err, HomeAssistantError)
    assert err.translation_key == key
    assert err.translation_placeholders == {"device": AVR, **placeholders}
    assert seconds == 0
    # The list that found the AVR asleep; none asked after the refusal.
    assert api_requests(emulator_world, since) == ["GET /v1/me/player/devices"]


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_a_link_survives_a_rename(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    emulator_world: World,
    idle_linked: MockConfigEntry,
) -> None:
    """The entry migrates the link to the registry id; a renamed switch still wakes."""
    entity_registry.async_update_entity(
        AVR_SWITCH, new_entity_id="switch.avr_mains_power"
    )
    await hass.async_block_till_done()

    task, _ = await drive(
        hass, freezer, emulator_world, call_player(hass, "select_source", source=AVR)
    )

    assert task.exception() is None
    assert idle_linked.minor_version == 2
    assert idle_linked.options[CONF_WAKE_LINKS] == {
        AVR: entity_registry.async_get("switch.avr_mains_power").id
    }
    assert emulator_world.active_device(USER).key == seed.SLEEPER_DEVICE_KEY


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_diagnostics_redact_the_links(
    hass: HomeAssistant, idle_linked: MockConfigEntry
) -> None:
    """Neither the device name nor the entity shows in diagnostics."""
    diagnostics = await async_get_config_entry_diagnostics(hass, idle_linked)
    dumped = json.dumps(diagnostics)
    assert AVR not in dumped
    assert "living_room_avr" not in dumped
    assert len(diagnostics["entry"]["options"][CONF_WAKE_LINKS]) == 1


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_a_removed_entity_is_named_as_removed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    emulator_world: World,
    idle_linked: MockConfigEntry,
) -> None:
    """The link outlives its entity: refused at once, and the options show it empty.

    The link stores the registry id, which means nothing to a user once the entity
    is gone; neither the error nor the options page shows it.
    """
    stored = idle_linked.options[CONF_WAKE_LINKS][AVR]
    entity_registry.async_remove(AVR_SWITCH)
    await hass.async_block_till_done()

    task, seconds = await drive(
        hass, freezer, emulator_world, call_player(hass, "select_source", source=AVR)
    )

    err = task.exception()
    assert isinstance(err, HomeAssistantError)
    assert err.translation_key == "wake_entity_removed"
    assert err.translation_placeholders == {"device": AVR}
    assert stored not in str(err)
    assert seconds == 0

    flow = await hass.config_entries.options.async_init(idle_linked.entry_id)
    wake = await hass.config_entries.options.async_configure(flow["flow_id"], {})
    assert wake["step_id"] == "wake"
    field = next(key for key in wake["data_schema"].schema if str(key) == AVR)
    assert field.description == {"suggested_value": None}
    # Submitted as shown, the dead link is dropped.
    await hass.config_entries.options.async_configure(flow["flow_id"], {})
    assert AVR not in idle_linked.options.get(CONF_WAKE_LINKS, {})
