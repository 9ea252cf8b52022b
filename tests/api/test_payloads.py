"""Captured real Spotify responses parse into the right models.

The captures live outside the repository (they may not be copied into it); this module
is skipped when they are absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import orjson
import pytest

from custom_components.spotify_player.api import (
    Album,
    Artist,
    ArtistPage,
    CurrentlyPlayingType,
    DevicesResponse,
    Episode,
    FollowedArtistsResponse,
    Image,
    PlaybackState,
    PlayHistoryPage,
    Playlist,
    PlaylistItemPage,
    PlaylistPage,
    SavedAlbumPage,
    SavedShowPage,
    SavedTrackPage,
    SearchResult,
    Show,
    SimplifiedAlbumPage,
    SimplifiedEpisodePage,
    SpotifyClient,
    SpotifyModel,
    SpotifyNotFoundError,
    SpotifyRateLimitedError,
    Track,
    TrackPage,
    UserProfile,
    error_from_response,
    largest_image,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .conftest import FakeSpotify

PAYLOADS = Path(__file__).parents[2].parent / "shared" / "spotify-payloads"

pytestmark = pytest.mark.skipif(
    not PAYLOADS.is_dir(), reason="captured Spotify payloads not available"
)


def load(name: str) -> bytes:
    """Read one captured response."""
    return (PAYLOADS / name).read_bytes()


@dataclass(frozen=True, kw_only=True)
class Expect:
    """How to parse a capture and what must hold afterwards."""

    parse: Callable[[bytes], Any]
    check: Callable[[Any], bool]


def model(cls: type[SpotifyModel]) -> Callable[[bytes], Any]:
    """Parse with a model, insisting on the exact class."""

    def parse(raw: bytes) -> Any:
        parsed = cls.from_json(raw)
        assert type(parsed) is cls
        return parsed

    return parse


def playback(raw: bytes) -> PlaybackState:
    """Parse a player state."""
    return PlaybackState.from_json(raw)


def images(raw: bytes) -> list[Image]:
    """Parse a bare list of images (playlist cover endpoint)."""
    return [Image.from_dict(item) for item in orjson.loads(raw)]


def error(status: int, retry_after: float | None = None) -> Callable[[bytes], Any]:
    """Run an error body through the client's error parser."""
    return lambda raw: error_from_response(status, raw, retry_after=retry_after)


def saved_episodes(raw: bytes) -> list[Episode]:
    """Parse the episodes of a saved-episodes page."""
    return [Episode.from_dict(item["episode"]) for item in orjson.loads(raw)["items"]]


# Captures of endpoints the client does not call, whose objects no model holds.
UNMODELLED: Final = frozenset(
    {
        "audio_features.json",
        "audiobook.json",
        "audiobook_chapters.json",
        "chapter.json",
        "library_contains.json",
        "playlist_update_items.json",
    }
)

EXPECTED: dict[str, Expect] = {
    # GET /albums/{id}/tracks (not called): the page an album holds its tracks in.
    "album_tracks.json": Expect(
        parse=lambda raw: Album.from_dict({"tracks": orjson.loads(raw)}).tracks,
        check=lambda p: (
            p.total == 18
            and p.items[0].name == "Global Warming (feat. Sensato)"
            and p.items[0].artists[0].name == "Pitbull"
        ),
    ),
    "artist.json": Expect(
        parse=model(Artist),
        check=lambda a: (
            a.name == "Pitbull"
            and a.followers.total == 12425030
            and largest_image(a.images) == a.images[0]
            and a.images[0].height == 640
        ),
    ),
    "artist_albums.json": Expect(
        parse=model(SimplifiedAlbumPage),
        check=lambda p: (
            p.total == 918
            and p.next is not None
            and p.items[0].name == "UNDERDOGS"
            and p.items[0].album_group == "album"
        ),
    ),
    # GET /me/player/currently-playing: same model as the playback state, no device.
    "current_playing_track.json": Expect(
        parse=playback,
        check=lambda s: (
            s.device is None
            and isinstance(s.item, Track)
            and s.item.name == "Witte Was"
            and s.context.type == "artist"
            and s.actions.disallows.resuming
        ),
    ),
    "current_user.json": Expect(
        parse=model(UserProfile),
        check=lambda u: (
            (u.id, u.display_name, u.product)
            == ("1112264649", "Joost Lekkerkerker", "premium")
        ),
    ),
    # New-style simplified playlists: `items` ref next to the deprecated `tracks`.
    "current_user_playlist_1.json": Expect(
        parse=model(PlaylistPage),
        check=lambda p: (
            p.total == 94
            and p.items[0].name == "To find"
            and p.items[0].items.total == 1
            and p.items[0].owner.display_name == "Joost Lekkerkerker"
        ),
    ),
    # Old-style simplified playlists: only `tracks`.
    "current_user_playlist_2.json": Expect(
        parse=model(PlaylistPage),
        check=lambda p: (
            p.total == 111
            and all(pl.items is not None and pl.items.total >= 0 for pl in p.items)
            and p.items[0].items.total == 50
        ),
    ),
    "devices.json": Expect(
        parse=model(DevicesResponse),
        check=lambda r: (
            r.devices[0].type == "Computer" and r.devices[0].volume_percent == 69
        ),
    ),
    "episode.json": Expect(
        parse=model(Episode),
        check=lambda e: (
            e.show.name == "Safety Third" and e.resume_point.resume_position_ms == 90000
        ),
    ),
    "followed_artists.json": Expect(
        parse=model(FollowedArtistsResponse),
        check=lambda r: (
            r.artists.total == 83
            and r.artists.cursors.after == "7CajNmpbOovFoOoasH2HaY"
            and isinstance(r.artists.items[0], Artist)
        ),
    ),
    "get_album.json": Expect(
        parse=model(Album),
        check=lambda a: (
            a.name == "SINGLARITY"
            and a.label == "Smihilism Records"
            and a.tracks.total == 11
            and a.artists[0].name == "Area 11"
        ),
    ),
    # POST /users/{id}/playlists (not called): a full playlist with an empty page.
    "new_playlist.json": Expect(
        parse=model(Playlist),
        check=lambda p: (
            p.name == "New Playlist" and p.items.total == 0 and p.items.items == []
        ),
    ),
    "playback_1.json": Expect(
        parse=playback,
        check=lambda s: (
            s.device.name == "DESKTOP-BKC5SIK"
            and s.item.name == "WARRIORS, Pt. 1 (Final Stage)"
            and s.context.type == "collection"
            and s.actions.disallows.resuming
            and not s.actions.disallows.pausing
        ),
    ),
    # Older capture: no supports_volume, no smart_shuffle.
    "playback_2.json": Expect(
        parse=playback,
        check=lambda s: (
            s.device.supports_volume
            and s.device.type == "Speaker"
            and s.actions.disallows.toggling_repeat_track
            and not s.smart_shuffle
        ),
    ),
    # Restricted device without an id.
    "playback_3.json": Expect(
        parse=playback,
        check=lambda s: (
            s.device.id is None
            and s.device.is_restricted
            and s.item.name == "Ome Robert"
        ),
    ),
    # Local file: ids and album fields are null.
    "playback_4.json": Expect(
        parse=playback,
        check=lambda s: (
            s.context is None
            and s.item.is_local
            and s.item.id is None
            and s.item.album.id is None
            and s.actions.disallows.skipping_prev
        ),
    ),
    "playback_audiobook_1.json": Expect(
        parse=playback,
        check=lambda s: (
            isinstance(s.item, Episode)
            and s.currently_playing_type is CurrentlyPlayingType.EPISODE
            and not s.device.supports_volume
            and s.item.show is not None
            and s.item.show.name == "De nomade"
        ),
    ),
    "playback_episode_1.json": Expect(
        parse=playback,
        check=lambda s: (
            isinstance(s.item, Episode)
            and s.item.show is not None
            and s.item.show.name == "Safety Third"
            and s.device.id is None
        ),
    ),
    # Both `items` and the deprecated `tracks`; entries carry `item` and `track`.
    "playlist_1.json": Expect(
        parse=model(Playlist),
        check=lambda p: (
            p.items.total == 1 and p.items.items[0].item.name == "All I Need"
        ),
    ),
    # Only the deprecated `tracks`, with local files.
    "playlist_2.json": Expect(
        parse=model(Playlist),
        check=lambda p: (
            p.name == "Starred"
            and p.items.total == 2
            and p.items.items[0].is_local
            and p.items.items[0].item.id is None
        ),
    ),
    # A playlist mixing tracks and an episode, under deprecated `track` keys.
    "playlist_3.json": Expect(
        parse=model(Playlist),
        check=lambda p: (
            [type(i.item) for i in p.items.items] == [Track, Track, Episode]
            and p.items.items[2].item.name == "Toni Delivers Semen"
        ),
    ),
    # GET /playlists/{id}/images (not called): a bare list of images.
    "playlist_cover_image.json": Expect(
        parse=images, check=lambda i: len(i) == 1 and i[0].height is None and i[0].url
    ),
    "playlist_items.json": Expect(
        parse=model(PlaylistItemPage),
        check=lambda p: (
            p.items[0].item.name == "All I Need"
            and p.items[0].added_by.id == "1112264649"
            and p.items[0].added_at == datetime(2025, 7, 29, 21, 11, 55, tzinfo=UTC)
        ),
    ),
    "playlist_not_found.json": Expect(
        parse=error(404),
        check=lambda e: (
            type(e) is SpotifyNotFoundError
            and e.message == "Resource not found"
            and e.status == 404
        ),
    ),
    "rate_limit.json": Expect(
        parse=error(429, retry_after=5),
        check=lambda e: (
            isinstance(e, SpotifyRateLimitedError)
            and e.retry_after == 5
            and e.message == "API rate limit exceeded"
        ),
    ),
    "recently_played_tracks.json": Expect(
        parse=model(PlayHistoryPage),
        check=lambda p: (
            len(p.items) == 48
            and p.cursors.after == "1772050520497"
            and p.items[0].played_at == datetime(2026, 2, 25, 20, 15, 20, 497000, UTC)
            and p.items[0].context.type == "album"
        ),
    ),
    "saved_albums.json": Expect(
        parse=model(SavedAlbumPage),
        check=lambda p: (
            p.total == 45
            and p.items[0].album.label == "Napalm Records Handels GmbH"
            and p.items[0].album.tracks is not None
        ),
    ),
    # GET /me/audiobooks (not called): the page search lists audiobooks in.
    "saved_audiobooks.json": Expect(
        parse=lambda raw: (
            SearchResult.from_dict({"audiobooks": orjson.loads(raw)}).audiobooks
        ),
        check=lambda p: (
            p.total == 2
            and p.items[0].name == "De nomade"
            and p.items[0].narrators[0].name == "Nienke Brinkhuis"
        ),
    ),
    # GET /me/episodes (not called): the first episode is no longer available, so
    # nearly every field is null.
    "saved_episodes.json": Expect(
        parse=saved_episodes,
        check=lambda e: (
            len(e) == 2
            and e[0].id is None
            and e[0].name == ""
            # `languages: [null]` must not become ['None'].
            and e[0].languages == []
            and e[1].name == "Ep 26. Katherine Parkinson - S11 Ep.3"
        ),
    ),
    "saved_shows.json": Expect(
        parse=model(SavedShowPage),
        check=lambda p: p.total == 13 and p.items[0].show.name == "Open Source Stories",
    ),
    "saved_tracks.json": Expect(
        parse=model(SavedTrackPage),
        check=lambda p: (
            p.total == 5320
            and p.next is not None
            and p.items[0].track.name == "Cold Silver"
        ),
    ),
    "search.json": Expect(
        parse=model(SearchResult),
        check=lambda r: (
            r.tracks.total == 16
            and r.tracks.items[0].name == "Never Gonna Give You Up"
            and r.artists is None
        ),
    ),
    "show.json": Expect(
        parse=model(Show),
        check=lambda s: (
            s.total_episodes == 159
            and s.episodes.total == 159
            and s.episodes.items[0].name
            == "We Tried Making a Better Coke  - Safety Third 158"
        ),
    ),
    "show_episodes.json": Expect(
        parse=model(SimplifiedEpisodePage),
        check=lambda p: (
            p.total == 395
            and p.items[0].name == "The Great War - Fallout Lorecast EP 1"
        ),
    ),
    "top_artists.json": Expect(
        parse=model(ArtistPage),
        check=lambda p: (
            p.total == 198
            and p.items[0].name == "Machinae Supremacy"
            and p.items[0].genres == ["power metal"]
        ),
    ),
    "top_tracks.json": Expect(
        parse=model(TrackPage),
        check=lambda p: p.total == 2742 and p.items[0].name == "My Sanctuary",
    ),
}


def test_every_payload_is_covered() -> None:
    """A capture added later must get an expectation here (or be unmodelled)."""
    assert {path.name for path in PAYLOADS.glob("*.json")} == set(EXPECTED) | UNMODELLED
    assert not UNMODELLED & set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_payload_parses(name: str) -> None:
    """The capture parses into its model and key fields are right."""
    expect = EXPECTED[name]
    assert expect.check(expect.parse(load(name)))


# Captures of endpoints the client calls, served over HTTP to the real client.
THROUGH_CLIENT: dict[str, tuple[str, Callable[[SpotifyClient], Any], type]] = {
    "current_user.json": ("/v1/me", lambda c: c.get_current_user(), UserProfile),
    "playback_1.json": (
        "/v1/me/player",
        lambda c: c.get_playback_state(),
        PlaybackState,
    ),
    "devices.json": ("/v1/me/player/devices", lambda c: c.get_devices(), list),
    "current_user_playlist_1.json": (
        "/v1/me/playlists",
        lambda c: c.get_my_playlists(),
        PlaylistPage,
    ),
    "playlist_3.json": ("/v1/playlists/x", lambda c: c.get_playlist("x"), Playlist),
    "followed_artists.json": (
        "/v1/me/following",
        lambda c: c.get_followed_artists(),
        type(FollowedArtistsResponse().artists),
    ),
    "search.json": ("/v1/search", lambda c: c.search("x", []), SearchResult),
}


@pytest.mark.parametrize("name", sorted(THROUGH_CLIENT))
async def test_payload_through_client(
    name: str, client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """The client returns the right type for real responses."""
    path, call, expected_type = THROUGH_CLIENT[name]
    spotify_server.reply("GET", path, body=load(name))
    assert isinstance(await call(client), expected_type)
