"""The media player entity, driven through Home Assistant against the emulator.

play_media is in test_play_media.py; the device commands fall back to and the
order commands go out in are in test_commands.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_REPEAT,
    ATTR_MEDIA_SEEK_POSITION,
    ATTR_MEDIA_SHUFFLE,
    ATTR_MEDIA_VOLUME_LEVEL,
    ATTR_MEDIA_VOLUME_MUTED,
    DOMAIN as MP_DOMAIN,
    SERVICE_PLAY_MEDIA,
    SERVICE_SELECT_SOURCE,
    MediaPlayerEntityFeature as Feature,
    RepeatMode,
)
from homeassistant.const import (
    SERVICE_MEDIA_NEXT_TRACK,
    SERVICE_MEDIA_PAUSE,
    SERVICE_MEDIA_PLAY,
    SERVICE_MEDIA_PREVIOUS_TRACK,
    SERVICE_MEDIA_SEEK,
    SERVICE_MEDIA_STOP,
    SERVICE_REPEAT_SET,
    SERVICE_SHUFFLE_SET,
    SERVICE_VOLUME_DOWN,
    SERVICE_VOLUME_MUTE,
    SERVICE_VOLUME_SET,
    SERVICE_VOLUME_UP,
    STATE_IDLE,
    STATE_PAUSED,
    STATE_PLAYING,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from syrupy.filters import props

from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.features import ALWAYS, START
from spotify_emulator import seed
from tests.helpers import (
    USER,
    api_requests,
    call_player,
    features,
    playing_uri,
    setup_integration,
    spotify_error,
    state,
)
from tests.snapshot_helpers import entry_device, snapshot_platform, state_data

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import device_registry as dr, issue_registry as ir
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion

    from spotify_emulator import World
    from tests.helpers import Tick

CONTROLS = (
    Feature.PAUSE
    | Feature.STOP
    | Feature.PLAY
    | Feature.NEXT_TRACK
    | Feature.PREVIOUS_TRACK
    | Feature.SEEK
    | Feature.SHUFFLE_SET
    | Feature.REPEAT_SET
)
VOLUME = Feature.VOLUME_SET | Feature.VOLUME_STEP | Feature.VOLUME_MUTE


async def test_all_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """One player per account: its registry entry and state (the artwork proxied)."""
    snapshot_platform(
        hass,
        snapshot,
        init_integration.entry_id,
        MP_DOMAIN,
        exclude=props("entity_picture"),
    )


async def test_podcast_episode(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """An episode shows its show as series and its publisher as artist."""
    emulator_world.play_episode(USER)
    await tick(15)
    assert state_data(state(hass)) == snapshot(exclude=props("entity_picture"))


async def test_audiobook(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Chapters play as episodes; the audiobook context tells them apart."""
    book = sorted(emulator_world.catalogue.audiobooks)[0]
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:audiobook:{book}",
            ATTR_MEDIA_CONTENT_TYPE: "audiobook",
        },
    )
    await tick(1.1)
    attributes = state(hass).attributes
    assert attributes[ATTR_MEDIA_CONTENT_TYPE] == "audiobook"
    assert (
        attributes["media_series_title"]
        == emulator_world.catalogue.audiobooks[book].name
    )


async def test_advert(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """During an ad: playing, no item, and no skipping or seeking."""
    emulator_world.start_ad(USER)
    await tick(15)
    current = state(hass)
    assert current.state == STATE_PLAYING
    assert current.attributes[ATTR_MEDIA_CONTENT_TYPE] == "ad"
    assert "media_title" not in current.attributes
    shown = features(hass)
    assert not shown & (
        Feature.NEXT_TRACK
        | Feature.PREVIOUS_TRACK
        | Feature.SEEK
        | Feature.SHUFFLE_SET
        | Feature.PLAY_MEDIA
    )
    assert shown & Feature.PAUSE

    await tick(15)
    await tick(15)
    assert state(hass).attributes[ATTR_MEDIA_CONTENT_TYPE] == "music"


async def test_features_follow_the_player(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Controls come and go with disallows, the device and its volume support."""
    shown = features(hass)
    assert shown & (CONTROLS & ~Feature.PLAY) == CONTROLS & ~Feature.PLAY
    assert not shown & Feature.PLAY
    assert shown & VOLUME == VOLUME

    emulator_world.pause(USER)
    await tick(15)
    shown = features(hass)
    assert shown & Feature.PLAY
    assert not shown & (Feature.PAUSE | Feature.STOP)

    emulator_world.resume(USER)
    emulator_world.switch_device(USER, seed.PHONE_DEVICE_ID)
    await tick(60)
    shown = features(hass)
    assert not shown & VOLUME
    assert shown & Feature.PAUSE
    assert ATTR_MEDIA_VOLUME_LEVEL not in state(hass).attributes

    emulator_world.switch_device(USER, seed.RESTRICTED_DEVICE_ID)
    await tick(15)
    assert features(hass) == ALWAYS | Feature.SELECT_SOURCE

    emulator_world.stop_playback(USER)
    await tick(15)
    assert state(hass).state == STATE_IDLE
    assert features(hass) == ALWAYS | START


async def test_first_item_cannot_go_back(
    hass: HomeAssistant, tick: Tick, init_integration: MockConfigEntry
) -> None:
    """Spotify disallows skipping back on the first item of a context."""
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:playlist:{seed.START_PLAYLIST_ID}",
            ATTR_MEDIA_CONTENT_TYPE: "playlist",
        },
    )
    await tick(1.1)
    assert not features(hass) & Feature.PREVIOUS_TRACK


@pytest.mark.parametrize("user", [seed.FREE_USER_ID])
async def test_free_account_offers_only_starting(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A profile that names the free product offers only starting playback.

    One start that works (after an upgrade) brings every control back.
    """
    emulator_world.config.development_mode = False  # only then is `product` sent
    await setup_integration(hass, mock_config_entry)
    entry = mock_config_entry
    assert features(hass, "media_player.sam_freeman") == ALWAYS | START
    device = entry_device(device_registry, entry.entry_id, (DOMAIN, seed.FREE_USER_ID))
    assert device is not None
    assert device.model == "Spotify Free"
    assert entry.runtime_data.user.product == "free"


async def test_play_pause_stop(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Commands show at once and reach Spotify."""
    await call_player(hass, SERVICE_MEDIA_PAUSE)
    assert state(hass).state == STATE_PAUSED
    assert not emulator_world.playback(USER).is_playing

    await call_player(hass, SERVICE_MEDIA_PLAY)
    assert state(hass).state == STATE_PLAYING
    assert emulator_world.playback(USER).is_playing

    await call_player(hass, SERVICE_MEDIA_STOP)
    assert state(hass).state == STATE_PAUSED
    await tick(1.1)
    assert state(hass).state == STATE_PAUSED
    assert not emulator_world.playback(USER).is_playing


async def test_next_previous(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Skips show after the confirming refresh a second later."""
    first = playing_uri(emulator_world)
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_NEXT_TRACK)
    await tick(1.1)
    assert playing_uri(emulator_world) != first
    assert state(hass).attributes[ATTR_MEDIA_CONTENT_ID] == playing_uri(emulator_world)
    assert api_requests(emulator_world, start) == [
        "POST /v1/me/player/next",
        "GET /v1/me/player",
    ]

    await call_player(hass, SERVICE_MEDIA_PREVIOUS_TRACK)
    await tick(1.1)
    assert state(hass).attributes[ATTR_MEDIA_CONTENT_ID] == first


async def test_seek(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Seeking moves the position at once."""
    await call_player(hass, SERVICE_MEDIA_SEEK, **{ATTR_MEDIA_SEEK_POSITION: 120})
    assert state(hass).attributes["media_position"] == 120
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.progress_ms == 120_000
    await tick(1.1)
    assert state(hass).attributes["media_position"] == 120


async def test_volume(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Set, step, mute to 0 and unmute to the level before."""

    def device_volume() -> int | None:
        device = emulator_world.active_device(USER)
        assert device is not None
        return device.volume_percent

    await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.3
    assert device_volume() == 30
    await call_player(hass, SERVICE_VOLUME_UP)
    assert device_volume() == 40
    await call_player(hass, SERVICE_VOLUME_DOWN)
    await call_player(hass, SERVICE_VOLUME_DOWN)
    assert device_volume() == 20

    await call_player(hass, SERVICE_VOLUME_MUTE, **{ATTR_MEDIA_VOLUME_MUTED: True})
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_MUTED] is True
    assert device_volume() == 0
    await call_player(hass, SERVICE_VOLUME_MUTE, **{ATTR_MEDIA_VOLUME_MUTED: False})
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_MUTED] is False
    assert device_volume() == 20


async def test_unmute_without_known_level(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Muted elsewhere: unmuting picks a moderate level."""
    emulator_world.set_volume_from_app(USER, 0)
    await tick(15)
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_MUTED] is True
    await call_player(hass, SERVICE_VOLUME_MUTE, **{ATTR_MEDIA_VOLUME_MUTED: False})
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.5


async def test_shuffle_and_repeat(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Shuffle and the three repeat modes."""
    playback = emulator_world.playback(USER)
    await call_player(hass, SERVICE_SHUFFLE_SET, **{ATTR_MEDIA_SHUFFLE: True})
    assert state(hass).attributes[ATTR_MEDIA_SHUFFLE] is True
    assert playback.shuffle
    for mode, spotify in (
        (RepeatMode.ALL, "context"),
        (RepeatMode.ONE, "track"),
        (RepeatMode.OFF, "off"),
    ):
        await call_player(hass, SERVICE_REPEAT_SET, **{ATTR_MEDIA_REPEAT: mode})
        assert state(hass).attributes[ATTR_MEDIA_REPEAT] == mode
        assert playback.repeat == spotify


async def test_select_source(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Selecting a source transfers playback and refreshes the devices at once."""
    start = len(emulator_world.request_log)
    await call_player(
        hass, SERVICE_SELECT_SOURCE, **{ATTR_INPUT_SOURCE: "Living Room Speaker"}
    )
    assert state(hass).attributes[ATTR_INPUT_SOURCE] == "Living Room Speaker"
    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.id == seed.SPEAKER_DEVICE_ID
    assert api_requests(emulator_world, start) == [
        "PUT /v1/me/player",
        "GET /v1/me/player/devices",
    ]
    await tick(1.1)
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.35
    assert api_requests(emulator_world, start)[2:] == ["GET /v1/me/player"]
    assert state(hass).attributes["source_list"] == [
        "Study Computer",
        "Living Room Speaker",
        "Pocket Phone",
    ]

    with pytest.raises(ServiceValidationError) as err:
        await call_player(hass, SERVICE_SELECT_SOURCE, **{ATTR_INPUT_SOURCE: "Kitchen"})
    assert err.value.translation_key == "unknown_device"


async def test_failed_command_restores_state(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """The optimistic state is rolled back and a translated error raised."""
    emulator_world.faults.add("status", path_prefix="/v1/me/player/pause", status=502)
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PAUSE)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "server_error"
    assert state(hass).state == STATE_PLAYING


async def test_premium_required(
    hass: HomeAssistant,
    issue_registry: ir.IssueRegistry,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Spotify's Premium refusal raises the repair and keeps only starting."""
    emulator_world.faults.add(
        "status",
        path_prefix="/v1/me/player/pause",
        **spotify_error(
            403, "Player command failed: Premium required", reason="PREMIUM_REQUIRED"
        ),
    )
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PAUSE)
    assert err.value.translation_key == "premium_required"
    assert issue_registry.async_get_issue(
        DOMAIN, f"premium_required_{init_integration.entry_id}"
    )
    assert features(hass) == ALWAYS | START

    # A command that works again clears both.
    emulator_world.pause(USER)
    await call_player(hass, SERVICE_MEDIA_PLAY)
    assert not issue_registry.async_get_issue(
        DOMAIN, f"premium_required_{init_integration.entry_id}"
    )
    assert features(hass) & CONTROLS
