"""Typed models of the catalogue, the library and search results.

Artists, albums, tracks, shows, episodes, audiobooks and playlists, parsed by the
rules model_base.py describes. Only what the client's endpoints return is modelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime  # noqa: TC003 (mashumaro resolves hints at runtime)
from typing import Any

from .model_base import CursorPage, Followers, Image, Page, PublicUser, SpotifyModel


@dataclass(frozen=True, kw_only=True)
class _CatalogueItem(SpotifyModel):
    """Fields of every catalogue object; some subclasses narrow `id` to never null."""

    id: str | None = None
    name: str = ""
    uri: str = ""
    href: str | None = None
    external_urls: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SimplifiedArtist(_CatalogueItem):
    """Artist as embedded in tracks and albums (ids are null for local files)."""


@dataclass(frozen=True, kw_only=True)
class Artist(SimplifiedArtist):
    """Full artist."""

    images: list[Image] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    popularity: int | None = None
    followers: Followers | None = None


@dataclass(frozen=True, kw_only=True)
class SimplifiedAlbum(_CatalogueItem):
    """Album as embedded in tracks and listed by artists."""

    album_type: str | None = None
    album_group: str | None = None
    total_tracks: int | None = None
    release_date: str | None = None
    release_date_precision: str | None = None
    images: list[Image] = field(default_factory=list)
    artists: list[SimplifiedArtist] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class SimplifiedTrack(_CatalogueItem):
    """Track as listed in an album."""

    type: str = "track"
    artists: list[SimplifiedArtist] = field(default_factory=list)
    duration_ms: int = 0
    track_number: int | None = None
    disc_number: int | None = None
    explicit: bool = False
    is_local: bool = False
    is_playable: bool | None = None
    preview_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Track(SimplifiedTrack):
    """Full track."""

    album: SimplifiedAlbum | None = None
    popularity: int | None = None
    external_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ResumePoint(SpotifyModel):
    """Listening progress of an episode."""

    fully_played: bool = False
    resume_position_ms: int = 0


@dataclass(frozen=True, kw_only=True)
class _SpokenWord(_CatalogueItem):
    """Fields shows, episodes and audiobooks share."""

    description: str = ""
    explicit: bool = False
    languages: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class _Publication(_SpokenWord):
    """A show or an audiobook."""

    id: str = ""
    publisher: str | None = None
    media_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class SimplifiedShow(_Publication):
    """Podcast show as embedded in episodes and saved-shows lists."""

    total_episodes: int | None = None


@dataclass(frozen=True, kw_only=True)
class SimplifiedEpisode(_SpokenWord):
    """Episode as listed in a show (audiobook chapters play as episodes too)."""

    type: str = "episode"
    duration_ms: int = 0
    is_playable: bool | None = None
    release_date: str | None = None
    release_date_precision: str | None = None
    resume_point: ResumePoint | None = None
    language: str | None = None
    audio_preview_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Episode(SimplifiedEpisode):
    """Full episode, with its show."""

    show: SimplifiedShow | None = None


@dataclass(frozen=True, kw_only=True)
class Person(SpotifyModel):
    """Author or narrator of an audiobook."""

    name: str = ""


@dataclass(frozen=True, kw_only=True)
class SimplifiedAudiobook(_Publication):
    """Audiobook as search lists it."""

    edition: str | None = None
    total_chapters: int | None = None
    authors: list[Person] = field(default_factory=list)
    narrators: list[Person] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Album(SimplifiedAlbum):
    """Full album with its first page of tracks."""

    tracks: Page[SimplifiedTrack] | None = None
    label: str | None = None
    popularity: int | None = None
    genres: list[str] = field(default_factory=list)
    external_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Show(SimplifiedShow):
    """Full show with its first page of episodes."""

    episodes: Page[SimplifiedEpisode] | None = None


type Playable = Track | Episode


def parse_playable(value: object) -> Playable | None:
    """Parse a track or an episode by its `type`; anything else (ads...) is None."""
    if not isinstance(value, Mapping):
        return None
    data = dict(value)
    kind = data.get("type")
    if kind == "episode":
        return Episode.from_dict(data)
    if kind == "track" or (kind is None and "album" in data):
        return Track.from_dict(data)
    return None


def _parse_playables(value: object) -> list[Playable]:
    """Parse a list of tracks and episodes, skipping unknown kinds."""
    if not isinstance(value, list):
        raise TypeError("expected a list of tracks and episodes")
    return [item for item in map(parse_playable, value) if item is not None]


@dataclass(frozen=True, kw_only=True)
class PlaylistItemsRef(SpotifyModel):
    """Link to a playlist's items and their count."""

    href: str | None = None
    total: int = 0


def _playlist_items_alias(d: dict[Any, Any]) -> dict[Any, Any]:
    """Use the deprecated `tracks` when `items` is absent (renamed in 2026)."""
    if "items" not in d and "tracks" in d:
        d["items"] = d["tracks"]
    d.pop("tracks", None)
    return d


@dataclass(frozen=True, kw_only=True)
class _PlaylistBase(_CatalogueItem):
    """Fields shared by simplified and full playlists."""

    id: str = ""
    description: str | None = None
    owner: PublicUser | None = None
    public: bool | None = None
    collaborative: bool = False
    snapshot_id: str | None = None
    images: list[Image] = field(default_factory=list)

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Accept `items` or the deprecated `tracks`."""
        return _playlist_items_alias(super().__pre_deserialize__(d))


@dataclass(frozen=True, kw_only=True)
class SimplifiedPlaylist(_PlaylistBase):
    """Playlist as listed by GET /me/playlists and search."""

    items: PlaylistItemsRef | None = None


@dataclass(frozen=True, kw_only=True)
class PlaylistItem(SpotifyModel):
    """One entry of a playlist: a track or an episode."""

    added_at: datetime | None = None
    added_by: PublicUser | None = None
    is_local: bool = False
    item: Playable | None = field(
        default=None, metadata={"deserialize": parse_playable}
    )

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Accept `item` or the deprecated `track`."""
        d = super().__pre_deserialize__(d)
        if "item" not in d and "track" in d:
            d["item"] = d["track"]
        d.pop("track", None)
        return d


@dataclass(frozen=True, kw_only=True)
class Playlist(_PlaylistBase):
    """Full playlist with its first page of items."""

    items: Page[PlaylistItem] | None = None
    followers: Followers | None = None


@dataclass(frozen=True, kw_only=True)
class SavedTrack(SpotifyModel):
    """Track in the user's library."""

    added_at: datetime | None = None
    track: Track


@dataclass(frozen=True, kw_only=True)
class SavedAlbum(SpotifyModel):
    """Album in the user's library."""

    added_at: datetime | None = None
    album: Album


@dataclass(frozen=True, kw_only=True)
class SavedShow(SpotifyModel):
    """Show the user follows."""

    added_at: datetime | None = None
    show: SimplifiedShow


@dataclass(frozen=True, kw_only=True)
class SearchResult(SpotifyModel):
    """Search results; only the requested types are present."""

    tracks: Page[Track] | None = None
    artists: Page[Artist] | None = None
    albums: Page[SimplifiedAlbum] | None = None
    playlists: Page[SimplifiedPlaylist] | None = None
    shows: Page[SimplifiedShow] | None = None
    episodes: Page[SimplifiedEpisode] | None = None
    audiobooks: Page[SimplifiedAudiobook] | None = None


# Concrete pages and envelopes of top-level responses: mashumaro needs the item type
# bound in a class to decode a page on its own.


@dataclass(frozen=True, kw_only=True)
class PlaylistPage(Page[SimplifiedPlaylist]):
    """GET /me/playlists."""


@dataclass(frozen=True, kw_only=True)
class PlaylistItemPage(Page[PlaylistItem]):
    """GET /playlists/{id}/items."""


@dataclass(frozen=True, kw_only=True)
class SavedTrackPage(Page[SavedTrack]):
    """GET /me/tracks."""


@dataclass(frozen=True, kw_only=True)
class SavedAlbumPage(Page[SavedAlbum]):
    """GET /me/albums."""


@dataclass(frozen=True, kw_only=True)
class SavedShowPage(Page[SavedShow]):
    """GET /me/shows."""


@dataclass(frozen=True, kw_only=True)
class ArtistPage(Page[Artist]):
    """GET /me/top/artists."""


@dataclass(frozen=True, kw_only=True)
class TrackPage(Page[Track]):
    """GET /me/top/tracks."""


@dataclass(frozen=True, kw_only=True)
class SimplifiedAlbumPage(Page[SimplifiedAlbum]):
    """GET /artists/{id}/albums."""


@dataclass(frozen=True, kw_only=True)
class SimplifiedEpisodePage(Page[SimplifiedEpisode]):
    """GET /shows/{id}/episodes."""


@dataclass(frozen=True, kw_only=True)
class FollowedArtistsResponse(SpotifyModel):
    """GET /me/following?type=artist wraps its cursor page in `artists`."""

    artists: CursorPage[Artist] = field(default_factory=CursorPage[Artist])
