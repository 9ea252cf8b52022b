"""Speakers as targets of every action, once per account, with stable ids (issue 17).

Before, a speaker had none of the action methods: targeting it, or `all`, raised
AttributeError; and its unique id was the slugified name, so "Living Room" and
"Living-Room" collided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import ATTR_ENTITY_ID, ENTITY_MATCH_ALL
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest

from custom_components.spotify_player.const import CONF_WAKE_LINKS, DOMAIN
from spotify_emulator import seed
from tests.helpers import ENTITY_ID, USER, api_requests, call, setup_integration, state
from tests.snapshot_helpers import entry_device
from tests.wake_helpers import AVR, LINKED_OPTIONS, async_setup_wake_entities, drive

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

SPEAKER = "media_player.living_room_avr"
ALBUM = "spotify:album:" + "1" * 22


@pytest.fixture
def options() -> dict[str, Any]:
    """Link the AVR (it sleeps) to its power switch."""
    return LINKED_OPTIONS


@pytest.fixture
async def linked(
    hass: HomeAssistant, spotify_env: EmulatorServer, init_integration: MockConfigEntry
) -> MockConfigEntry:
    """Set the account up, and the entities that wake the AVR."""
    await async_setup_wake_entities(hass, spotify_env)
    return init_integration


async def _action(hass: HomeAssistant, service: str, target: str, **data: Any) -> Any:
    return await call(hass, DOMAIN, service, {ATTR_ENTITY_ID: target, **data})


@pytest.mark.usefixtures("linked")
async def test_all_acts_once_per_account(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """`entity_id: all` takes in the speaker: each action sends its request once."""
    since = len(emulator_world.request_log)
    queue = await _action(hass, "get_queue", ENTITY_MATCH_ALL)
    await _action(hass, "save_to_library", ENTITY_MATCH_ALL)
    await _action(
        hass, "add_to_queue", ENTITY_MATCH_ALL, uri=playing_track(emulator_world)
    )
    await tick(2)

    sent = api_requests(emulator_world, since)
    assert sent.count("GET /v1/me/player/queue") == 1
    assert sent.count("PUT /v1/me/library") == 1
    assert sent.count("POST /v1/me/player/queue") == 1
    assert queue[ENTITY_ID]["currently_playing"] is not None
    assert queue[SPEAKER] is None


def playing_track(world: World) -> str:
    snapshot = world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.item_uri is not None
    return snapshot.item_uri


@pytest.mark.usefixtures("linked")
async def test_play_context_on_the_speaker_wakes_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator_world: World
) -> None:
    """play_context targeting the sleeping speaker plays there."""
    album = next(iter(emulator_world.catalogue.albums))
    task, _ = await drive(
        hass,
        freezer,
        emulator_world,
        _action(hass, "play_context", SPEAKER, context_uri=f"spotify:album:{album}"),
    )

    assert task.exception() is None
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.device_key == seed.SLEEPER_DEVICE_KEY
    assert snapshot.context_uri == f"spotify:album:{album}"


@pytest.mark.usefixtures("linked")
async def test_transfer_to_the_speaker_needs_no_device(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator_world: World
) -> None:
    """transfer_playback on a speaker moves playback there; the account needs one."""
    task, _ = await drive(
        hass, freezer, emulator_world, _action(hass, "transfer_playback", SPEAKER)
    )
    assert task.exception() is None
    assert emulator_world.active_device(USER).key == seed.SLEEPER_DEVICE_KEY

    with pytest.raises(ServiceValidationError) as err:
        await _action(hass, "transfer_playback", ENTITY_ID)
    assert err.value.translation_key == "transfer_needs_device"


@pytest.mark.parametrize(
    "options",
    [
        {
            CONF_WAKE_LINKS: {
                "Living Room": "switch.a",
                "Living-Room": "switch.b",
                "Küche": "switch.c",
                "Kuche": "switch.d",
            }
        }
    ],
)
async def test_similar_names_are_distinct_speakers(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """Four names that slugify alike make four speakers, behind the account."""
    players = [
        entry
        for entry in er.async_entries_for_config_entry(
            entity_registry, init_integration.entry_id
        )
        if entry.domain == "media_player"
    ]
    assert len(players) == 5
    account = entry_device(device_registry, init_integration.entry_id, (DOMAIN, USER))
    assert account is not None
    speakers = [
        device
        for device in dr.async_entries_for_config_entry(
            device_registry, init_integration.entry_id
        )
        if device.id != account.id
    ]
    assert len(speakers) == 4
    assert {device.via_device_id for device in speakers} == {account.id}


async def test_old_speaker_ids_migrate_keeping_entity_ids(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    mock_config_entry: MockConfigEntry,
) -> None:
    """An entry of 1.1 keeps its speaker's entity id under the hashed unique id."""
    mock_config_entry.add_to_hass(hass)
    entity_registry.async_get_or_create(
        "media_player",
        DOMAIN,
        f"{USER}_speaker_living_room_avr",
        suggested_object_id="my_avr",
        config_entry=mock_config_entry,
    )
    await setup_integration(hass, mock_config_entry)

    assert state(hass, "media_player.my_avr").name == AVR
    assert hass.states.get(SPEAKER) is None
    entry = entity_registry.async_get("media_player.my_avr")
    assert entry is not None
    assert entry.unique_id != f"{USER}_speaker_living_room_avr"
