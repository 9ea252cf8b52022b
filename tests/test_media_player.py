"""The media player entity, driven through Home Assistant against the emulator."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_ENQUEUE,
    ATTR_MEDIA_REPEAT,
    ATTR_MEDIA_SEEK_POSITION,
    ATTR_MEDIA_SHUFFLE,
    ATTR_MEDIA_VOLUME_LEVEL,
    ATTR_MEDIA_VOLUME_MUTED,
    DOMAIN as MP_DOMAIN,
    SERVICE_PLAY_MEDIA,
    SERVICE_SELECT_SOURCE,
    MediaPlayerEnqueue,
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
from spotify_emulator import FaultKind, seed
from tests.helpers import (
    USER,
    api_requests,
    call_player,
    features,
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


def _playing_uri(world: World) -> str | None:
    snapshot = world.snapshot(USER)
    return snapshot.item_uri if snapshot else None


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
async def test_free_account_only_browses(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> None:
    """A profile that names the free product shows no player controls."""
    emulator_world.config.development_mode = False  # only then is `product` sent
    await setup_integration(hass, mock_config_entry)
    entry = mock_config_entry
    assert features(hass, "media_player.sam_freeman") == ALWAYS
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
    first = _playing_uri(emulator_world)
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_NEXT_TRACK)
    await tick(1.1)
    assert _playing_uri(emulator_world) != first
    assert state(hass).attributes[ATTR_MEDIA_CONTENT_ID] == _playing_uri(emulator_world)
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


@pytest.mark.parametrize(
    "media_id",
    [
        "spotify:track:{track}",
        "https://open.spotify.com/intl-de/track/{track}?si=abc",
        "spotify_player://spotify:track:{track}",
    ],
)
async def test_play_media_item(
    hass: HomeAssistant,
    emulator_world: World,
    init_integration: MockConfigEntry,
    media_id: str,
) -> None:
    """URIs, links and browse ids play now."""
    track = sorted(emulator_world.catalogue.tracks)[7]
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: media_id.format(track=track),
            ATTR_MEDIA_CONTENT_TYPE: "music",
        },
    )
    assert _playing_uri(emulator_world) == f"spotify:track:{track}"


async def test_play_media_replace_starts_context(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Replace plays an album as the context."""
    album = sorted(emulator_world.catalogue.albums)[3]
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:album:{album}",
            ATTR_MEDIA_CONTENT_TYPE: "album",
            ATTR_MEDIA_ENQUEUE: MediaPlayerEnqueue.REPLACE,
        },
    )
    assert emulator_world.playback(USER).context_uri == f"spotify:album:{album}"


@pytest.mark.parametrize("enqueue", [MediaPlayerEnqueue.ADD, MediaPlayerEnqueue.NEXT])
async def test_enqueue(
    hass: HomeAssistant,
    emulator_world: World,
    init_integration: MockConfigEntry,
    enqueue: MediaPlayerEnqueue,
) -> None:
    """Add and next put a track, or the tracks of an album, in the queue."""
    playback = emulator_world.playback(USER)
    queued = len(playback.queue)
    track = sorted(emulator_world.catalogue.tracks)[9]
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:track:{track}",
            ATTR_MEDIA_CONTENT_TYPE: "music",
            ATTR_MEDIA_ENQUEUE: enqueue,
        },
    )
    assert playback.queue[queued:] == [f"spotify:track:{track}"]

    album_id = sorted(emulator_world.catalogue.albums)[0]
    album = emulator_world.catalogue.albums[album_id]
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:album:{album_id}",
            ATTR_MEDIA_CONTENT_TYPE: "album",
            ATTR_MEDIA_ENQUEUE: enqueue,
        },
    )
    assert playback.queue[queued + 1 :] == [
        f"spotify:track:{track_id}" for track_id in album.track_ids
    ]


async def test_followed_playlist_in_development_mode(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Enqueueing a followed playlist says why it cannot; playing it works."""
    uri = f"spotify:playlist:{seed.CURATED_PLAYLIST_ID}"
    playback = emulator_world.playback(USER)
    queued = list(playback.queue)
    with pytest.raises(ServiceValidationError) as err:
        await call_player(
            hass,
            SERVICE_PLAY_MEDIA,
            **{
                ATTR_MEDIA_CONTENT_ID: uri,
                ATTR_MEDIA_CONTENT_TYPE: "playlist",
                ATTR_MEDIA_ENQUEUE: MediaPlayerEnqueue.ADD,
            },
        )
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "playlist_items_forbidden"
    assert playback.queue == queued
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{ATTR_MEDIA_CONTENT_ID: uri, ATTR_MEDIA_CONTENT_TYPE: "playlist"},
    )
    await tick(1.1)
    assert state(hass).attributes["media_playlist"] == "Curator's Picks"


@pytest.mark.parametrize(
    ("media_id", "count"),
    [
        (f"spotify:playlist:{seed.BIG_PLAYLIST_ID}", 50),
        (f"spotify:user:{seed.PREMIUM_USER_ID}:collection", 50),
        ("show", 50),
    ],
)
async def test_enqueue_is_bounded(
    hass: HomeAssistant,
    emulator_world: World,
    init_integration: MockConfigEntry,
    media_id: str,
    count: int,
) -> None:
    """Enqueueing a long context adds at most 50 items."""
    if media_id == "show":
        show = max(
            emulator_world.catalogue.shows.values(), key=lambda s: len(s.episode_ids)
        )
        media_id = show.uri
        count = min(count, len(show.episode_ids))
    playback = emulator_world.playback(USER)
    queued = len(playback.queue)
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: media_id,
            ATTR_MEDIA_CONTENT_TYPE: "playlist",
            ATTR_MEDIA_ENQUEUE: MediaPlayerEnqueue.ADD,
        },
    )
    assert len(playback.queue) - queued == count


@pytest.mark.parametrize(
    ("media_id", "enqueue", "key"),
    [
        ("spotify:nothing:here", None, "invalid_media_id"),
        ("https://example.com/track/x", None, "invalid_media_id"),
        ("artist", MediaPlayerEnqueue.ADD, "enqueue_not_supported"),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_play_media_bad_input(
    hass: HomeAssistant,
    emulator_world: World,
    media_id: str,
    enqueue: MediaPlayerEnqueue | None,
    key: str,
) -> None:
    """Bad media ids are the user's mistake: ServiceValidationError."""
    if media_id == "artist":
        media_id = f"spotify:artist:{sorted(emulator_world.catalogue.artists)[0]}"
    data: dict[str, Any] = {
        ATTR_MEDIA_CONTENT_ID: media_id,
        ATTR_MEDIA_CONTENT_TYPE: "music",
    }
    if enqueue:
        data[ATTR_MEDIA_ENQUEUE] = enqueue
    with pytest.raises(ServiceValidationError) as err:
        await call_player(hass, SERVICE_PLAY_MEDIA, **data)
    assert err.value.translation_key == key


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
    """Spotify's Premium refusal raises the repair and removes the controls."""
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
    assert features(hass) == ALWAYS

    # A command that works again (here through the commands module) clears both.
    await init_integration.runtime_data.commands.async_pause()
    assert not issue_registry.async_get_issue(
        DOMAIN, f"premium_required_{init_integration.entry_id}"
    )
    assert features(hass) & CONTROLS


async def test_no_device_uses_last_active(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Nothing active: transfer to the device that played last, then play."""
    emulator_world.stop_playback(USER)
    await tick(15)
    assert state(hass).state == STATE_IDLE
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_PLAY)
    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.id == seed.COMPUTER_DEVICE_ID
    assert emulator_world.playback(USER).is_playing
    assert api_requests(emulator_world, start) == [
        "PUT /v1/me/player",
        "PUT /v1/me/player/play",
    ]
    await tick(1.1)
    assert state(hass).state == STATE_PLAYING


@pytest.mark.parametrize("options", [{"default_device": seed.SPEAKER_DEVICE_ID}])
@pytest.mark.usefixtures("init_integration")
async def test_no_device_uses_default_device(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """The default device option wins over the last active device."""
    emulator_world.stop_playback(USER)
    await tick(15)
    track = sorted(emulator_world.catalogue.tracks)[3]
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:track:{track}",
            ATTR_MEDIA_CONTENT_TYPE: "music",
        },
    )
    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.id == seed.SPEAKER_DEVICE_ID
    assert _playing_uri(emulator_world) == f"spotify:track:{track}"


async def test_no_device_at_all(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """Idle since setup and no default device: a clear translated error."""
    emulator_world.stop_playback(USER)
    await setup_integration(hass, mock_config_entry)
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PLAY)
    assert err.value.translation_key == "no_device_available"


async def test_device_lost_since_last_poll(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Spotify lost the session before we noticed: transfer back and retry once."""
    emulator_world.stop_playback(USER)
    first = _playing_uri(emulator_world)
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_NEXT_TRACK)
    assert api_requests(emulator_world, start) == [
        "POST /v1/me/player/next",
        "PUT /v1/me/player",
        "POST /v1/me/player/next",
    ]
    assert _playing_uri(emulator_world) != first


async def test_failed_fallback_restores_state(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Spotify lost the session and no known device is left: the pause is not shown."""
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/me/player/devices",
        status=200,
        body={"devices": []},
    )
    await init_integration.runtime_data.coordinator.async_refresh_devices()
    emulator_world.stop_playback(USER)
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PAUSE)
    assert err.value.translation_key == "no_device_available"
    assert state(hass).state == STATE_PLAYING


async def test_enqueue_retry_adds_each_item_once(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Spotify loses the device after the first track: the rest follow, once each."""
    playback = emulator_world.playback(USER)
    queued = len(playback.queue)
    album_id = sorted(emulator_world.catalogue.albums)[0]
    album = emulator_world.catalogue.albums[album_id]
    assert len(album.track_ids) > 1
    # The first POST is answered normally, the second finds no active device.
    emulator_world.faults.add(FaultKind.DELAY, path_prefix="/v1/me/player/queue")
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/me/player/queue",
        **spotify_error(
            404,
            "Player command failed: No active device found",
            reason="NO_ACTIVE_DEVICE",
        ),
    )
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:album:{album_id}",
            ATTR_MEDIA_CONTENT_TYPE: "album",
            ATTR_MEDIA_ENQUEUE: MediaPlayerEnqueue.ADD,
        },
    )
    assert playback.queue[queued:] == [
        f"spotify:track:{track_id}" for track_id in album.track_ids
    ]


async def test_volume_sent_once_per_level(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A level asked twice in a row (one slider click) reaches Spotify once.

    A different level, or the same one after Spotify confirmed, is sent again.
    """
    start = len(emulator_world.request_log)

    async def volume_set(level: float) -> None:
        await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: level})

    await asyncio.gather(volume_set(0.42), volume_set(0.42))
    await volume_set(0.42)
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 1
    await volume_set(0.43)
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 2
    await tick(2)
    await volume_set(0.43)
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 3


async def test_volume_already_shown_is_sent_after_another_command(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Only a level this entity sent counts as on its way, not any level shown."""
    await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
    await tick(2)
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_PAUSE)
    # Someone turned it up on the phone; the entity still shows 0.3.
    emulator_world.set_volume_from_app(USER, 80)
    await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 1
