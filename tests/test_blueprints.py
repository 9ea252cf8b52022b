"""The blueprints users import: each loads, and runs against the emulator.

Home Assistant's `blueprint` integration loads them from a configuration folder, as
after an import; an automation made from each, with real inputs, then runs when its
trigger happens, and the emulator's request log shows what it asked Spotify. The
wake-up blueprint has tests of its own (test_blueprint_wake_up.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.setup import async_setup_component
import pytest

from tests.blueprint_helpers import (
    BLUEPRINTS,
    ROOT,
    automation_from,
    import_blueprints,
    import_url,
)
from tests.helpers import ENTITY_ID, USER, api_requests, state, until
from tests.wake_helpers import LINKED_OPTIONS, async_setup_wake_entities

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

NAMES = (
    "wake_up_to_music",
    "pause_for_doorbell_or_call",
    "music_follows_me",
    "like_what_is_playing",
)
SPEAKER = "media_player.living_room_avr"


async def occupy(hass: HomeAssistant, sensor: str) -> None:
    """Turn an occupancy sensor off, then on, as someone leaves and comes back."""
    for value in ("off", "on"):
        hass.states.async_set(sensor, value)
        await hass.async_block_till_done()


async def test_every_blueprint_loads_with_its_inputs(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    """The blueprint integration loads all four: described, with selectors."""
    import_blueprints(hass, tmp_path)
    assert await async_setup_component(hass, "automation", {})
    loaded = await async_get_blueprints(hass).async_get_blueprints()

    assert sorted(loaded) == sorted(f"{BLUEPRINTS.name}/{n}.yaml" for n in NAMES)
    for path, blueprint in loaded.items():
        assert not isinstance(blueprint, Exception), (path, blueprint)
        metadata = blueprint.metadata
        assert metadata["description"], path
        assert metadata["source_url"] == import_url(Path(path).stem)
        assert all("selector" in spec for spec in metadata["input"].values()), path
        filters = [
            spec["selector"]["entity"]["filter"]
            for name, spec in metadata["input"].items()
            if name in {"player", "players"}
        ]
        assert filters, path
        assert all(rule["integration"] == "spotify_player" for rule in filters[0]), path


def test_readme_links_every_blueprint_for_import() -> None:
    """The README offers each one through My Home Assistant's import link."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        link = (
            "https://my.home-assistant.io/redirect/blueprint_import/"
            f"?blueprint_url={quote(import_url(name), safe='')}"
        )
        assert link in readme, name


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
@pytest.mark.parametrize(
    ("sensor", "states"),
    [
        ("binary_sensor.doorbell", ["off", "on", "off"]),
        ("sensor.phone_state", ["idle", "ringing", "offhook", "idle"]),
    ],
    ids=["doorbell", "call"],
)
async def test_pause_for_the_doorbell_or_a_call(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    spotify_env: EmulatorServer,
    emulator_world: World,
    tmp_path: Path,
    sensor: str,
    states: list[str],
) -> None:
    """It pauses the player that plays (not the idle AVR) until it is over."""
    import_blueprints(hass, tmp_path)
    await async_setup_wake_entities(hass, spotify_env)
    first, *during, last = states
    hass.states.async_set(sensor, first)
    automation = await automation_from(
        hass,
        "pause_for_doorbell_or_call",
        {"trigger_entity": sensor, "players": [ENTITY_ID, SPEAKER]},
    )
    assert (state(hass).state, state(hass, SPEAKER).state) == ("playing", "idle")
    since = len(emulator_world.request_log)

    for during_state in during:
        hass.states.async_set(sensor, during_state)
        # The automation waits for the end: nothing to block until.
        await until(lambda: emulator_world.snapshot(USER).is_playing is False)  # type: ignore[union-attr]
    assert state(hass, automation).attributes["current"] == 1
    assert api_requests(emulator_world, since) == ["PUT /v1/me/player/pause"]

    hass.states.async_set(sensor, last)
    await hass.async_block_till_done()
    assert api_requests(emulator_world, since) == [
        "PUT /v1/me/player/pause",
        "PUT /v1/me/player/play",
    ]
    assert emulator_world.snapshot(USER).is_playing is True  # type: ignore[union-attr]
    assert state(hass, automation).attributes["current"] == 0


async def test_music_follows_me_into_the_living_room(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    tmp_path: Path,
    tick: Tick,
) -> None:
    """Someone enters the room while music plays: playback moves to its speaker."""
    import_blueprints(hass, tmp_path)
    hass.states.async_set("binary_sensor.living_room_occupancy", "off")
    await automation_from(
        hass,
        "music_follows_me",
        {
            "player": ENTITY_ID,
            "occupancy": "binary_sensor.living_room_occupancy",
            "speaker": "Living Room Speaker",
        },
    )
    assert state(hass).attributes["source"] == "Study Computer"
    since = len(emulator_world.request_log)

    await occupy(hass, "binary_sensor.living_room_occupancy")

    assert api_requests(emulator_world, since) == [
        "PUT /v1/me/player",
        "GET /v1/me/player/devices",
    ]
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.device_key, snapshot.is_playing) == ("speaker", True)
    await tick(2)
    assert state(hass).attributes["source"] == "Living Room Speaker"

    # Already there, or paused: nothing moves.
    since = len(emulator_world.request_log)
    await occupy(hass, "binary_sensor.living_room_occupancy")
    assert api_requests(emulator_world, since) == []
    await hass.services.async_call(
        "media_player", "media_pause", {"entity_id": ENTITY_ID}, blocking=True
    )
    await tick(2)
    await hass.services.async_call(
        "media_player",
        "select_source",
        {"entity_id": ENTITY_ID, "source": "Study Computer"},
        blocking=True,
    )
    await tick(2)
    since = len(emulator_world.request_log)
    await occupy(hass, "binary_sensor.living_room_occupancy")
    assert api_requests(emulator_world, since) == []


async def test_like_what_is_playing_by_button_or_event(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    tmp_path: Path,
    tick: Tick,
) -> None:
    """A helper button, or a tag the event names, saves the track playing."""
    import_blueprints(hass, tmp_path)
    assert await async_setup_component(
        hass, "input_button", {"input_button": {"like": {"name": "Like"}}}
    )
    await automation_from(
        hass,
        "like_what_is_playing",
        {
            "player": ENTITY_ID,
            "buttons": ["input_button.like"],
            "event_type": "tag_scanned",
            "event_data": {"tag_id": "kitchen-like"},
        },
    )
    saved = emulator_world.user(USER).saved
    playing = emulator_world.snapshot(USER).item_uri  # type: ignore[union-attr]
    assert playing not in saved
    since = len(emulator_world.request_log)

    await hass.services.async_call(
        "input_button", "press", {"entity_id": "input_button.like"}, blocking=True
    )
    await hass.async_block_till_done()
    assert api_requests(emulator_world, since) == ["PUT /v1/me/library"]
    assert emulator_world.request_log[-1].query == f"uris={playing}"
    assert playing in saved

    # The next track, by the tag; another tag likes nothing.
    await hass.services.async_call(
        "media_player", "media_next_track", {"entity_id": ENTITY_ID}, blocking=True
    )
    await tick(2)
    playing = emulator_world.snapshot(USER).item_uri  # type: ignore[union-attr]
    since = len(emulator_world.request_log)
    hass.bus.async_fire("tag_scanned", {"tag_id": "front-door"})
    await hass.async_block_till_done()
    assert api_requests(emulator_world, since) == []
    hass.bus.async_fire("tag_scanned", {"tag_id": "kitchen-like"})
    await hass.async_block_till_done()
    assert api_requests(emulator_world, since) == ["PUT /v1/me/library"]
    assert playing in saved
