"""Options flow: playing interval, default device and the entities that wake devices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType, InvalidData
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_player.const import (
    CONF_DEFAULT_DEVICE,
    CONF_DEFAULT_DEVICE_NAME,
    CONF_PLAYING_INTERVAL,
    CONF_WAKE_LINKS,
    DOMAIN,
)
from custom_components.spotify_player.errors import ERROR_TABLE
from spotify_emulator import seed
from tests.helpers import STRINGS

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World


def _device_options(result: dict[str, Any]) -> dict[str, str]:
    """Return value -> label of the default-device selector."""
    for key, selector in result["data_schema"].schema.items():
        if key == CONF_DEFAULT_DEVICE:
            return {
                option["value"]: option["label"]
                for option in selector.config["options"]
            }
    raise AssertionError("no default device field")


def _suggested(result: dict[str, Any]) -> dict[str, Any]:
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


async def _skip_wake_step(
    hass: HomeAssistant, result: dict[str, Any]
) -> dict[str, Any]:
    """Leave the wake-up links as they are (the step after the first)."""
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "wake"
    return dict(
        await hass.config_entries.options.async_configure(result["flow_id"], {})
    )


async def test_options_flow(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Pick a default device from the known ones and an interval; the entry reloads."""
    entry = init_integration

    result = dict(await hass.config_entries.options.async_init(entry.entry_id))

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["errors"] == {}
    options = _device_options(result)
    # Every device Spotify lists with an id; the null-id speaker cannot be picked.
    assert seed.SPEAKER_DEVICE_ID in options
    assert options[seed.COMPUTER_DEVICE_ID] == "Study Computer"
    assert seed.NULL_ID_DEVICE_NAME not in options.values()
    # A restricted device refuses every command: it is no default to start on.
    assert seed.RESTRICTED_DEVICE_ID not in options

    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {CONF_DEFAULT_DEVICE: seed.COMPUTER_DEVICE_ID, CONF_PLAYING_INTERVAL: 20},
        )
    )
    result = await _skip_wake_step(hass, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(entry.options) == {
        CONF_DEFAULT_DEVICE: seed.COMPUTER_DEVICE_ID,
        CONF_DEFAULT_DEVICE_NAME: "Study Computer",
        CONF_PLAYING_INTERVAL: 20,
    }
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    # The form suggests the stored values; leaving the device empty clears it.
    result = dict(await hass.config_entries.options.async_init(entry.entry_id))
    assert _suggested(result) == {
        CONF_DEFAULT_DEVICE: seed.COMPUTER_DEVICE_ID,
        CONF_PLAYING_INTERVAL: 20,
    }
    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PLAYING_INTERVAL: 5}
        )
    )
    result = await _skip_wake_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(entry.options) == {CONF_PLAYING_INTERVAL: 5}
    await hass.async_block_till_done()


@pytest.mark.parametrize("interval", [4, 61])
async def test_options_interval_bounds(
    hass: HomeAssistant, init_integration: MockConfigEntry, interval: int
) -> None:
    """The refresh interval stays within 5 to 60 seconds."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PLAYING_INTERVAL: interval}
        )


async def test_options_devices_unavailable(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """When Spotify cannot list devices the stored default stays selectable."""
    entry = init_integration
    hass.config_entries.async_update_entry(
        entry,
        options={
            CONF_DEFAULT_DEVICE: "offline-device",
            CONF_DEFAULT_DEVICE_NAME: "Attic Radio",
            CONF_PLAYING_INTERVAL: 30,
        },
    )
    emulator_world.faults.add(
        "status", path_prefix="/v1/me/player/devices", method="GET", status=503
    )

    result = dict(await hass.config_entries.options.async_init(entry.entry_id))

    # Why, in the words of the error table (errors.py), as everywhere else.
    assert result["errors"] == {"base": "server_error"}
    assert result["description_placeholders"]["error"]
    # The devices listed at setup are remembered, so they stay choosable too.
    options = _device_options(result)
    assert options["offline-device"] == "Attic Radio"
    assert options[seed.COMPUTER_DEVICE_ID] == "Study Computer"
    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {CONF_DEFAULT_DEVICE: "offline-device", CONF_PLAYING_INTERVAL: 30},
        )
    )
    result = await _skip_wake_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_DEFAULT_DEVICE_NAME] == "Attic Radio"


async def test_options_entry_not_loaded(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """An entry that is not loaded has no client: only the interval can change."""
    mock_config_entry.add_to_hass(hass)

    result = dict(
        await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    )

    assert result["errors"] == {"base": "devices_unavailable"}
    assert _device_options(result) == {}
    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PLAYING_INTERVAL: 45}
        )
    )
    result = await _skip_wake_step(hass, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(mock_config_entry.options) == {CONF_PLAYING_INTERVAL: 45}


async def test_options_wake_links(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The second step links devices listed before, or typed, to waking entities."""
    entry = init_integration
    result = dict(await hass.config_entries.options.async_init(entry.entry_id))
    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PLAYING_INTERVAL: 15}
        )
    )
    assert result["step_id"] == "wake"
    fields = [str(key) for key in result["data_schema"].schema]
    # Every device Spotify listed so far, then the free-text pair.
    assert "Study Computer" in fields
    assert fields[-2:] == ["new_device", "new_device_entity"]

    # A name without an entity, and an entity without a name, are refused.
    for data, error in (
        ({"new_device": "Attic Radio"}, {"new_device_entity": "wake_entity_required"}),
        ({"new_device_entity": "switch.attic"}, {"new_device": "wake_device_required"}),
    ):
        result = dict(
            await hass.config_entries.options.async_configure(result["flow_id"], data)
        )
        assert result["errors"] == error

    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {
                "Study Computer": "switch.study_plug",
                "new_device": " Attic Radio ",
                "new_device_entity": "script.attic_on",
            },
        )
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_WAKE_LINKS] == {
        "Study Computer": "switch.study_plug",
        "Attic Radio": "script.attic_on",
    }
    await hass.async_block_till_done()

    # Next time the typed device is offered by name with its entity suggested;
    # clearing a field unlinks it, typing a linked name again replaces its link.
    result = dict(await hass.config_entries.options.async_init(entry.entry_id))
    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_PLAYING_INTERVAL: 15}
        )
    )
    assert _suggested(result)["Attic Radio"] == "script.attic_on"
    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {
                "Study Computer": "switch.study_plug",
                "new_device": "attic radio",
                "new_device_entity": "button.attic_power",
            },
        )
    )
    assert entry.options[CONF_WAKE_LINKS] == {
        "Study Computer": "switch.study_plug",
        "attic radio": "button.attic_power",
    }


async def test_remembered_devices_survive_a_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    """Devices Spotify listed are stored, and offered after a restart while absent."""
    freezer.tick(60)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    key = f"{DOMAIN}.{init_integration.entry_id}.devices"
    stored = {device["name"] for device in hass_storage[key]["data"]["devices"]}
    assert "Living Room Speaker" in stored

    hass_storage[key]["data"]["devices"].append(
        {"id": "asleep-id", "name": "Bedroom TV"}
    )
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    result = dict(
        await hass.config_entries.options.async_init(init_integration.entry_id)
    )
    assert _device_options(result)["asleep-id"] == "Bedroom TV"

    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_options_say_why_devices_are_missing(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """A rate limit reads as one, with Spotify's wait, not as a generic failure."""
    emulator_world.faults.add(
        "status",
        path_prefix="/v1/me/player/devices",
        method="GET",
        status=429,
        headers={"Retry-After": "7"},
    )

    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert result["errors"] == {"base": "rate_limited"}
    assert result["description_placeholders"]["retry_after"] == "7"


def test_every_error_table_key_reads_in_the_options() -> None:
    """The options form can show every outcome of the error table."""
    for _kind, _condition, outcome in ERROR_TABLE:
        assert outcome.key in STRINGS["options"]["error"], outcome.key
