"""Assist's media intents end to end against the emulator, a sleeping speaker too.

Home Assistant's own handlers (homeassistant.helpers.intent) pick the target by name
and by the features it needs: search_media and play_media for
HassMediaSearchAndPlay, pause, play, next and volume_set for the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.setup import async_setup_component
import pytest

from custom_components.spotify_player.speakers import ACTIVE_FEATURES, IDLE_FEATURES
from spotify_emulator import seed
from tests.helpers import USER, call_player, state
from tests.wake_helpers import LINKED_OPTIONS, async_setup_wake_entities, drive

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

PLAYER_NAME = "Robin Emulated"
SPEAKER = "media_player.living_room_avr"


@pytest.fixture
def options() -> dict[str, Any]:
    """Link the AVR to its power switch."""
    return LINKED_OPTIONS


@pytest.fixture
async def assist(
    hass: HomeAssistant,
    spotify_env: EmulatorServer,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> MockConfigEntry:
    """Set up the account with the AVR linked, and the intents loaded."""
    emulator_world.config.wake_delay = 5.0
    entry = init_integration
    await async_setup_wake_entities(hass, spotify_env)
    assert await async_setup_component(hass, "intent", {})
    await hass.async_block_till_done()
    return entry


def _handle(hass: HomeAssistant, intent_type: str, **slots: Any) -> Any:
    return intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
    )


def _catalogue_name(world: World, kind: str) -> tuple[str, str]:
    """(name, URI) of a catalogue item of `kind` whose name no other item has."""
    catalogue = world.catalogue
    items = {
        "artist": catalogue.artists,
        "album": catalogue.albums,
        "playlist": catalogue.playlists,
        "track": catalogue.tracks,
    }
    names: dict[str, int] = {}
    for group in items.values():
        for item in group.values():
            names[item.name.casefold()] = names.get(item.name.casefold(), 0) + 1
    for item in sorted(items[kind].values(), key=lambda i: i.uri):
        if names[item.name.casefold()] == 1 and getattr(item, "public", True):
            return item.name, item.uri
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["artist", "album", "playlist", "track"])
async def test_search_and_play_by_type(
    hass: HomeAssistant, emulator_world: World, assist: MockConfigEntry, kind: str
) -> None:
    """Play <name>, with the type said: the best match of that type plays."""
    name, uri = _catalogue_name(emulator_world, kind)

    response = await _handle(
        hass,
        "HassMediaSearchAndPlay",
        search_query=name,
        media_class=kind,
        name=PLAYER_NAME,
    )

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    if kind == "track":
        # Within its album, so next continues there.
        assert snapshot.item_uri == uri
        assert snapshot.context_uri is not None
        assert snapshot.context_uri.startswith("spotify:album:")
    else:
        assert snapshot.context_uri == uri


async def test_search_and_play_any_type(
    hass: HomeAssistant, emulator_world: World, assist: MockConfigEntry
) -> None:
    """Without a type, the item named exactly as asked wins (an artist here)."""
    name, uri = _catalogue_name(emulator_world, "artist")
    await _handle(hass, "HassMediaSearchAndPlay", search_query=name, name=PLAYER_NAME)
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.context_uri == uri


async def test_pause_resume_next_volume(
    hass: HomeAssistant, tick: Tick, emulator_world: World, assist: MockConfigEntry
) -> None:
    """Pause, resume, next and volume by voice, on the account's player."""
    playback = emulator_world.playback(USER)
    await _handle(hass, "HassMediaPause", name=PLAYER_NAME)
    assert emulator_world.snapshot(USER).is_playing is False  # type: ignore[union-attr]
    await tick(2)
    await _handle(hass, "HassMediaUnpause", name=PLAYER_NAME)
    assert emulator_world.snapshot(USER).is_playing is True  # type: ignore[union-attr]
    await tick(2)
    before = emulator_world.snapshot(USER).item_uri  # type: ignore[union-attr]
    await _handle(hass, "HassMediaNext", name=PLAYER_NAME)
    assert emulator_world.snapshot(USER).item_uri != before  # type: ignore[union-attr]
    await tick(2)
    await _handle(hass, "HassSetVolume", name=PLAYER_NAME, volume_level=30)
    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.volume_percent == 30
    assert playback.active


async def test_play_on_the_sleeping_speaker_by_name(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    assist: MockConfigEntry,
) -> None:
    """Play <playlist> on the Living Room AVR: the AVR wakes, then it plays."""
    assert state(hass, SPEAKER).state == "idle"
    name, uri = _catalogue_name(emulator_world, "playlist")

    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        _handle(
            hass,
            "HassMediaSearchAndPlay",
            search_query=name,
            media_class="playlist",
            name=seed.SLEEPER_DEVICE_NAME,
        ),
    )

    assert task.exception() is None
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.context_uri, snapshot.device_key) == (
        uri,
        seed.SLEEPER_DEVICE_KEY,
    )
    assert seconds == 6
    await hass.async_block_till_done()
    await _handle(hass, "HassMediaPause", name=seed.SLEEPER_DEVICE_NAME)
    assert emulator_world.snapshot(USER).is_playing is False  # type: ignore[union-attr]


async def test_speaker_controls(
    hass: HomeAssistant,
    tick: Tick,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    assist: MockConfigEntry,
) -> None:
    """The speaker starts playback on its device; it controls it only while it plays."""
    assert state(hass, SPEAKER).attributes["supported_features"] == IDLE_FEATURES
    with pytest.raises(ServiceValidationError) as err:
        await call_player(
            hass,
            "play_media",
            SPEAKER,
            media_content_id="spotify:nope",
            media_content_type="music",
        )
    assert err.value.translation_key == "invalid_media_id"

    task, _seconds = await drive(
        hass, freezer, emulator_world, call_player(hass, "media_play", SPEAKER)
    )
    assert task.exception() is None
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.is_playing
    assert snapshot.device_key == seed.SLEEPER_DEVICE_KEY
    await tick(2)
    current = state(hass, SPEAKER)
    assert current.state == "playing"
    assert current.attributes["supported_features"] == ACTIVE_FEATURES

    await call_player(hass, "volume_set", SPEAKER, volume_level=0.25)
    assert emulator_world.active_device(USER).volume_percent == 25  # type: ignore[union-attr]
    await tick(2)
    before = emulator_world.snapshot(USER).item_uri  # type: ignore[union-attr]
    await call_player(hass, "media_next_track", SPEAKER)
    assert emulator_world.snapshot(USER).item_uri != before  # type: ignore[union-attr]
    await tick(2)
    await call_player(hass, "media_pause", SPEAKER)
    await tick(2)
    assert state(hass, SPEAKER).state == "paused"
    await call_player(hass, "media_play", SPEAKER)
    assert emulator_world.snapshot(USER).is_playing  # type: ignore[union-attr]


async def test_unlinked_speaker_goes_away(
    hass: HomeAssistant, assist: MockConfigEntry
) -> None:
    """Removing a link in the options removes its speaker and its device."""
    registry = dr.async_get(hass)
    assert state(hass, SPEAKER)
    hass.config_entries.async_update_entry(assist, options={})
    assert await hass.config_entries.async_reload(assist.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(SPEAKER) is None
    names = {
        device.name
        for device in dr.async_entries_for_config_entry(registry, assist.entry_id)
    }
    assert names == {PLAYER_NAME}
