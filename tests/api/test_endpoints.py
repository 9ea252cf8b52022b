"""Every client method sends the right request and parses the answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_player.api import (
    Album,
    Artist,
    CurrentlyPlayingType,
    CursorPage,
    Episode,
    Page,
    PlaybackState,
    Playlist,
    Queue,
    RepeatMode,
    SearchResult,
    SearchType,
    Show,
    SpotifyClient,
    SpotifyMalformedResponseError,
    TimeRange,
    Track,
    UserProfile,
)

from .conftest import ACCESS_TOKEN, FakeSpotify

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

TRACK: dict[str, Any] = {
    "type": "track",
    "id": "trk1",
    "name": "First Song",
    "uri": "spotify:track:trk1",
    "duration_ms": 180000,
    "album": {
        "id": "alb1",
        "name": "First Album",
        "images": [
            {"url": "https://img.example/small", "height": 64, "width": 64},
            {"url": "https://img.example/large", "height": 640, "width": 640},
        ],
    },
    "artists": [{"id": "art1", "name": "First Artist", "uri": "spotify:artist:art1"}],
    "some_future_field": {"nested": True},
}
EPISODE: dict[str, Any] = {
    "type": "episode",
    "id": "epi1",
    "name": "Pilot",
    "uri": "spotify:episode:epi1",
    "duration_ms": 3600000,
    "show": {"id": "shw1", "name": "The Show", "publisher": None},
}
ARTIST: dict[str, Any] = {"id": "art1", "name": "First Artist", "genres": ["metal"]}


def page(items: list[Any], *, next_url: str | None = None) -> dict[str, Any]:
    """Wrap `items` in a Spotify offset page."""
    return {
        "href": "https://api.spotify.com/v1/x",
        "items": items,
        "limit": 20,
        "offset": 0,
        "previous": None,
        "next": next_url,
        "total": len(items),
    }


@dataclass(frozen=True, kw_only=True)
class Case:
    """One endpoint: the call, what the server must receive, what it answers."""

    call: Callable[[SpotifyClient], Awaitable[Any]]
    method: str
    path: str
    query: dict[str, str]
    body: Any = None
    status: int = 200
    reply: Any = None
    check: Callable[[Any], bool] = lambda result: result is None


CASES = {
    "current_user": Case(
        call=lambda c: c.get_current_user(),
        method="GET",
        path="/v1/me",
        query={},
        reply={"id": "user1", "display_name": "Joe", "product": "premium"},
        check=lambda r: (
            isinstance(r, UserProfile)
            and (r.id, r.display_name, r.product) == ("user1", "Joe", "premium")
        ),
    ),
    "playback_state": Case(
        call=lambda c: c.get_playback_state(),
        method="GET",
        path="/v1/me/player",
        query={"additional_types": "track,episode"},
        reply={
            "device": {"id": "dev1", "name": "Desk", "type": "Computer"},
            "is_playing": True,
            "repeat_state": "track",
            "item": TRACK,
            "currently_playing_type": "track",
        },
        check=lambda r: (
            isinstance(r, PlaybackState)
            and isinstance(r.item, Track)
            and r.repeat_state is RepeatMode.TRACK
            and r.device is not None
            and r.device.type == "Computer"
        ),
    ),
    "playback_state_none": Case(
        call=lambda c: c.get_playback_state(),
        method="GET",
        path="/v1/me/player",
        query={"additional_types": "track,episode"},
        status=204,
    ),
    "devices": Case(
        call=lambda c: c.get_devices(),
        method="GET",
        path="/v1/me/player/devices",
        query={},
        reply={"devices": [{"id": None, "name": "Roam", "volume_percent": None}]},
        check=lambda r: len(r) == 1 and r[0].id is None and r[0].volume_percent is None,
    ),
    "transfer_play": Case(
        call=lambda c: c.transfer_playback("dev1", play=True),
        method="PUT",
        path="/v1/me/player",
        query={},
        body={"device_ids": ["dev1"], "play": True},
        status=204,
    ),
    "transfer_keep_state": Case(
        call=lambda c: c.transfer_playback("dev1"),
        method="PUT",
        path="/v1/me/player",
        query={},
        body={"device_ids": ["dev1"]},
        status=204,
    ),
    "play_context": Case(
        call=lambda c: c.start_playback(
            device_id="dev1",
            context_uri="spotify:album:alb1",
            offset_position=3,
            position_ms=1500,
        ),
        method="PUT",
        path="/v1/me/player/play",
        query={"device_id": "dev1"},
        body={
            "context_uri": "spotify:album:alb1",
            "offset": {"position": 3},
            "position_ms": 1500,
        },
        status=204,
    ),
    "play_uris": Case(
        call=lambda c: c.start_playback(
            uris=["spotify:track:a", "spotify:track:b"], offset_uri="spotify:track:b"
        ),
        method="PUT",
        path="/v1/me/player/play",
        query={},
        body={
            "uris": ["spotify:track:a", "spotify:track:b"],
            "offset": {"uri": "spotify:track:b"},
        },
        status=202,
    ),
    "resume": Case(
        call=lambda c: c.start_playback(),
        method="PUT",
        path="/v1/me/player/play",
        query={},
        status=204,
    ),
    "pause": Case(
        call=lambda c: c.pause_playback(device_id="dev1"),
        method="PUT",
        path="/v1/me/player/pause",
        query={"device_id": "dev1"},
        status=204,
    ),
    "next": Case(
        call=lambda c: c.next_track(),
        method="POST",
        path="/v1/me/player/next",
        query={},
        status=204,
    ),
    "previous": Case(
        call=lambda c: c.previous_track(device_id="dev1"),
        method="POST",
        path="/v1/me/player/previous",
        query={"device_id": "dev1"},
        status=200,
    ),
    "seek": Case(
        call=lambda c: c.seek(61000),
        method="PUT",
        path="/v1/me/player/seek",
        query={"position_ms": "61000"},
        status=204,
    ),
    "volume": Case(
        call=lambda c: c.set_volume(40, device_id="dev1"),
        method="PUT",
        path="/v1/me/player/volume",
        query={"volume_percent": "40", "device_id": "dev1"},
        status=204,
    ),
    "volume_clamped": Case(
        call=lambda c: c.set_volume(150),
        method="PUT",
        path="/v1/me/player/volume",
        query={"volume_percent": "100"},
        status=204,
    ),
    "shuffle_on": Case(
        call=lambda c: c.set_shuffle(True),
        method="PUT",
        path="/v1/me/player/shuffle",
        query={"state": "true"},
        status=204,
    ),
    "shuffle_off": Case(
        call=lambda c: c.set_shuffle(False, device_id="dev1"),
        method="PUT",
        path="/v1/me/player/shuffle",
        query={"state": "false", "device_id": "dev1"},
        status=204,
    ),
    "repeat_track": Case(
        call=lambda c: c.set_repeat(RepeatMode.TRACK),
        method="PUT",
        path="/v1/me/player/repeat",
        query={"state": "track"},
        status=204,
    ),
    "repeat_context": Case(
        call=lambda c: c.set_repeat(RepeatMode.CONTEXT, device_id="dev1"),
        method="PUT",
        path="/v1/me/player/repeat",
        query={"state": "context", "device_id": "dev1"},
        status=204,
    ),
    "repeat_off": Case(
        call=lambda c: c.set_repeat(RepeatMode.OFF),
        method="PUT",
        path="/v1/me/player/repeat",
        query={"state": "off"},
        status=204,
    ),
    "queue": Case(
        call=lambda c: c.get_queue(),
        method="GET",
        path="/v1/me/player/queue",
        query={},
        reply={"currently_playing": EPISODE, "queue": [TRACK, EPISODE, None]},
        check=lambda r: (
            isinstance(r, Queue)
            and isinstance(r.currently_playing, Episode)
            and [type(i) for i in r.queue] == [Track, Episode]
        ),
    ),
    "add_to_queue": Case(
        call=lambda c: c.add_to_queue("spotify:track:trk1", device_id="dev1"),
        method="POST",
        path="/v1/me/player/queue",
        query={"uri": "spotify:track:trk1", "device_id": "dev1"},
        status=204,
    ),
    "recently_played": Case(
        call=lambda c: c.get_recently_played(limit=5),
        method="GET",
        path="/v1/me/player/recently-played",
        query={"limit": "5"},
        reply={
            "items": [
                {
                    "track": TRACK,
                    "played_at": "2026-02-25T20:15:20.497Z",
                    "context": {"type": "album", "uri": "spotify:album:alb1"},
                }
            ],
            "next": None,
            "cursors": {"after": "1772050520497", "before": "1772028370058"},
            "limit": 5,
        },
        check=lambda r: (
            isinstance(r, CursorPage)
            and r.items[0].track.id == "trk1"
            and r.items[0].played_at == datetime(2026, 2, 25, 20, 15, 20, 497000, UTC)
            and r.cursors is not None
            and r.cursors.after == "1772050520497"
        ),
    ),
    "my_playlists": Case(
        call=lambda c: c.get_my_playlists(limit=10, offset=20),
        method="GET",
        path="/v1/me/playlists",
        query={"limit": "10", "offset": "20"},
        reply=page(
            [
                {"id": "pl1", "name": "New", "items": {"href": None, "total": 3}},
                {"id": "pl2", "name": "Old", "tracks": {"total": 4}, "items": None},
            ]
        ),
        check=lambda r: (
            isinstance(r, Page)
            and [p.items.total for p in r.items if p.items] == [3, 4]
        ),
    ),
    "playlist": Case(
        call=lambda c: c.get_playlist("pl1"),
        method="GET",
        path="/v1/playlists/pl1",
        query={"additional_types": "track,episode"},
        reply={
            "id": "pl1",
            "name": "Mixed",
            "tracks": None,
            "items": page([{"item": EPISODE}, {"track": TRACK}, {"item": None}]),
        },
        check=lambda r: (
            isinstance(r, Playlist)
            and r.items is not None
            and [type(i.item) for i in r.items.items] == [Episode, Track, type(None)]
        ),
    ),
    "playlist_items": Case(
        call=lambda c: c.get_playlist_items("pl1", limit=2, offset=4),
        method="GET",
        path="/v1/playlists/pl1/items",
        query={"limit": "2", "offset": "4", "additional_types": "track,episode"},
        reply=page([{"added_at": "2025-07-29T21:11:55Z", "item": TRACK}]),
        check=lambda r: (
            r.items[0].item.id == "trk1"
            and r.items[0].added_at == datetime(2025, 7, 29, 21, 11, 55, tzinfo=UTC)
        ),
    ),
    "saved_tracks": Case(
        call=lambda c: c.get_saved_tracks(limit=3),
        method="GET",
        path="/v1/me/tracks",
        query={"limit": "3", "offset": "0"},
        reply=page([{"added_at": "2026-02-23T13:28:26Z", "track": TRACK}]),
        check=lambda r: r.items[0].track.name == "First Song",
    ),
    "saved_albums": Case(
        call=lambda c: c.get_saved_albums(offset=50),
        method="GET",
        path="/v1/me/albums",
        query={"limit": "50", "offset": "50"},
        reply=page([{"album": {"id": "alb1", "name": "A", "tracks": page([])}}]),
        check=lambda r: r.items[0].album.id == "alb1",
    ),
    "saved_shows": Case(
        call=lambda c: c.get_saved_shows(limit=0),
        method="GET",
        path="/v1/me/shows",
        query={"limit": "1", "offset": "0"},
        reply=page([{"show": {"id": "shw1", "name": "The Show"}}]),
        check=lambda r: r.items[0].show.name == "The Show",
    ),
    "followed_artists": Case(
        call=lambda c: c.get_followed_artists(limit=10, after="art0"),
        method="GET",
        path="/v1/me/following",
        query={"type": "artist", "limit": "10", "after": "art0"},
        reply={
            "artists": {
                "items": [ARTIST],
                "next": None,
                "cursors": {"after": "art1"},
                "total": 1,
            }
        },
        check=lambda r: isinstance(r.items[0], Artist) and r.total == 1,
    ),
    "top_artists": Case(
        call=lambda c: c.get_top_artists(time_range=TimeRange.SHORT_TERM),
        method="GET",
        path="/v1/me/top/artists",
        query={"limit": "20", "offset": "0", "time_range": "short_term"},
        reply=page([ARTIST]),
        check=lambda r: r.items[0].genres == ["metal"],
    ),
    "top_tracks": Case(
        call=lambda c: c.get_top_tracks(limit=5, offset=5),
        method="GET",
        path="/v1/me/top/tracks",
        query={"limit": "5", "offset": "5", "time_range": "medium_term"},
        reply=page([TRACK]),
        check=lambda r: isinstance(r.items[0], Track),
    ),
    "search": Case(
        call=lambda c: c.search(
            "never gonna", [SearchType.TRACK, SearchType.ARTIST], limit=50
        ),
        method="GET",
        path="/v1/search",
        query={
            "q": "never gonna",
            "type": "track,artist",
            "limit": "10",
            "offset": "0",
        },
        reply={"tracks": page([TRACK]), "artists": page([ARTIST, None])},
        check=lambda r: (
            isinstance(r, SearchResult)
            and r.tracks is not None
            and r.artists is not None
            and len(r.artists.items) == 1
            and r.albums is None
        ),
    ),
    "album": Case(
        call=lambda c: c.get_album("alb1"),
        method="GET",
        path="/v1/albums/alb1",
        query={},
        reply={"id": "alb1", "name": "A", "tracks": page([{"id": "t", "name": "T"}])},
        check=lambda r: (
            isinstance(r, Album)
            and r.tracks is not None
            and r.tracks.items[0].name == "T"
        ),
    ),
    "artist": Case(
        call=lambda c: c.get_artist("art1"),
        method="GET",
        path="/v1/artists/art1",
        query={},
        reply=ARTIST | {"images": [{"url": "https://img.example/a", "height": 64}]},
        check=lambda r: (
            isinstance(r, Artist)
            and (r.name, r.genres) == ("First Artist", ["metal"])
            and r.images[0].url == "https://img.example/a"
        ),
    ),
    "artist_albums": Case(
        call=lambda c: c.get_artist_albums("art1", limit=50),
        method="GET",
        path="/v1/artists/art1/albums",
        query={"limit": "10", "offset": "0"},
        reply=page([{"id": "alb1", "name": "A", "album_group": "single"}]),
        check=lambda r: r.items[0].album_group == "single",
    ),
    "show": Case(
        call=lambda c: c.get_show("shw1"),
        method="GET",
        path="/v1/shows/shw1",
        query={},
        reply={"id": "shw1", "name": "The Show", "episodes": page([EPISODE])},
        check=lambda r: (
            isinstance(r, Show)
            and r.name == "The Show"
            and r.episodes is not None
            and r.episodes.items[0].id == "epi1"
        ),
    ),
    "show_episodes": Case(
        call=lambda c: c.get_show_episodes("shw1", limit=5),
        method="GET",
        path="/v1/shows/shw1/episodes",
        query={"limit": "5", "offset": "0"},
        reply=page([EPISODE]),
        check=lambda r: r.items[0].id == "epi1",
    ),
    "save_to_library": Case(
        call=lambda c: c.save_to_library(["spotify:track:a", "spotify:album:b"]),
        method="PUT",
        path="/v1/me/library",
        query={"uris": "spotify:track:a,spotify:album:b"},
        status=200,
    ),
    "remove_from_library": Case(
        call=lambda c: c.remove_from_library(["spotify:show:c"]),
        method="DELETE",
        path="/v1/me/library",
        query={"uris": "spotify:show:c"},
        status=200,
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_endpoint(
    case: Case, client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """The server receives method, path, query and body; the result is parsed."""
    spotify_server.reply(case.method, case.path, case.status, case.reply)

    result = await case.call(client)

    assert case.check(result), result
    (received,) = spotify_server.received
    assert received.method == case.method
    assert received.path == case.path
    assert received.query == case.query
    assert received.body == case.body
    assert received.authorization == f"Bearer {ACCESS_TOKEN}"
    assert client.stats.requests == 1
    assert client.stats.by_status == {case.status: 1}


@pytest.mark.parametrize("body", [b"", b"  \n"], ids=["empty", "blank"])
async def test_playback_state_empty_200_is_malformed(
    client: SpotifyClient, spotify_server: FakeSpotify, body: bytes
) -> None:
    """Only a 204 means "nothing playing": an empty 200 is a broken answer."""
    spotify_server.reply("GET", "/v1/me/player", 200, body=body)
    spotify_server.reply("GET", "/v1/me/player", 204)
    with pytest.raises(SpotifyMalformedResponseError):
        await client.get_playback_state()
    assert await client.get_playback_state() is None


async def test_playback_state_ad(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """During an ad the item is null and the type is `ad`."""
    spotify_server.reply(
        "GET",
        "/v1/me/player",
        json={"item": None, "currently_playing_type": "ad", "is_playing": True},
    )
    state = await client.get_playback_state()
    assert state is not None
    assert state.item is None
    assert state.currently_playing_type is CurrentlyPlayingType.AD


async def test_ids_are_quoted(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """An id cannot change the path it is placed in."""
    spotify_server.reply("GET", "/v1/playlists/a/../b", json={"id": "x"})
    await client.get_playlist("a/../b")
    (received,) = spotify_server.received
    assert received.raw_path.split("?")[0] == "/v1/playlists/a%2F..%2Fb"


async def test_empty_uri_lists_send_nothing(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """Library calls without URIs are no-ops."""
    await client.save_to_library([])
    await client.remove_from_library([])
    assert spotify_server.received == []
