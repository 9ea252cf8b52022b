"""play_media through the media player: play now, enqueue, bad media ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import (
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_ENQUEUE,
    SERVICE_PLAY_MEDIA,
    MediaPlayerEnqueue,
)
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import FaultKind, seed
from tests.helpers import USER, call_player, playing_uri, spotify_error, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick


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
    assert playing_uri(emulator_world) == f"spotify:track:{track}"


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
