"""The catalogue: artists, albums, tracks, shows, episodes, audiobooks and playlists.

What is in it is made up by `generate`; this module holds the entities and the lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from .ids import base62_id

if TYPE_CHECKING:
    from collections.abc import Mapping


class _Item:
    """Anything with a Spotify id and URI (a mixin of the dataclasses below)."""

    __slots__ = ()
    kind: ClassVar[str]
    id: str

    @property
    def uri(self) -> str:
        """Return the Spotify URI."""
        return f"spotify:{self.kind}:{self.id}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Artist(_Item):
    """A made-up artist."""

    kind: ClassVar[str] = "artist"

    id: str
    name: str
    genres: tuple[str, ...]
    popularity: int
    followers: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Album(_Item):
    """A made-up album (or single / compilation)."""

    kind: ClassVar[str] = "album"

    id: str
    name: str
    album_type: str
    artist_ids: tuple[str, ...]
    release_date: str
    release_date_precision: str
    track_ids: tuple[str, ...]
    label: str
    popularity: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Track(_Item):
    """A made-up track."""

    kind: ClassVar[str] = "track"

    id: str
    name: str
    album_id: str
    artist_ids: tuple[str, ...]
    duration_ms: int
    track_number: int
    disc_number: int
    explicit: bool
    popularity: int
    isrc: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Show(_Item):
    """A made-up podcast."""

    kind: ClassVar[str] = "show"

    id: str
    name: str
    publisher: str
    description: str
    explicit: bool
    language: str
    episode_ids: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Episode(_Item):
    """A made-up podcast episode."""

    kind: ClassVar[str] = "episode"

    id: str
    name: str
    show_id: str
    description: str
    duration_ms: int
    release_date: str
    explicit: bool
    language: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Audiobook(_Item):
    """A made-up audiobook."""

    kind: ClassVar[str] = "audiobook"

    id: str
    name: str
    authors: tuple[str, ...]
    narrators: tuple[str, ...]
    publisher: str
    description: str
    edition: str
    chapter_ids: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Chapter(_Item):
    """A made-up audiobook chapter."""

    kind: ClassVar[str] = "chapter"

    id: str
    name: str
    audiobook_id: str
    chapter_number: int
    duration_ms: int
    release_date: str


@dataclass(frozen=True, kw_only=True, slots=True)
class PlaylistEntry:
    """One item of a playlist."""

    uri: str
    added_at: str
    added_by: str


@dataclass(kw_only=True, slots=True)
class Playlist(_Item):
    """A playlist owned by a user of the world."""

    kind: ClassVar[str] = "playlist"

    id: str
    name: str
    description: str
    owner_id: str
    public: bool
    collaborative: bool
    entries: list[PlaylistEntry] = field(default_factory=list)
    followers: int = 0

    @property
    def snapshot_id(self) -> str:
        """Return a snapshot id that changes whenever the entries change."""
        return (
            base62_id("snapshot", self.id, *(e.uri for e in self.entries))
            + "AAAAAAAAAA"
        )


type Playable = Track | Episode | Chapter
type Item = Artist | Album | Track | Show | Episode | Audiobook | Chapter | Playlist


@dataclass(kw_only=True, slots=True)
class Catalogue:
    """All generated content, indexed by id."""

    artists: dict[str, Artist] = field(default_factory=dict)
    albums: dict[str, Album] = field(default_factory=dict)
    tracks: dict[str, Track] = field(default_factory=dict)
    shows: dict[str, Show] = field(default_factory=dict)
    episodes: dict[str, Episode] = field(default_factory=dict)
    audiobooks: dict[str, Audiobook] = field(default_factory=dict)
    chapters: dict[str, Chapter] = field(default_factory=dict)
    playlists: dict[str, Playlist] = field(default_factory=dict)

    def playable(self, uri: str) -> Playable | None:
        """Return the track, episode or chapter behind `uri`."""
        kind, _, item_id = _split_uri(uri)
        if kind == "track":
            return self.tracks.get(item_id)
        if kind == "episode":
            return self.episodes.get(item_id)
        if kind == "chapter":
            return self.chapters.get(item_id)
        return None

    def lookup(self, uri: str) -> Item | None:
        """Return what `uri` names in the catalogue, if anything."""
        kind, _, item_id = _split_uri(uri)
        tables: dict[str, Mapping[str, Item]] = {
            "artist": self.artists,
            "album": self.albums,
            "track": self.tracks,
            "show": self.shows,
            "episode": self.episodes,
            "audiobook": self.audiobooks,
            "chapter": self.chapters,
            "playlist": self.playlists,
        }
        table = tables.get(kind)
        return table.get(item_id) if table is not None else None

    def exists(self, uri: str) -> bool:
        """Return whether `uri` names anything in the catalogue."""
        return self.lookup(uri) is not None

    def context_items(self, uri: str) -> list[str] | None:
        """Return the playable URIs of an album, playlist, artist, show or audiobook."""
        kind, _, item_id = _split_uri(uri)
        if kind == "album" and (album := self.albums.get(item_id)):
            return [f"spotify:track:{t}" for t in album.track_ids]
        if kind == "playlist" and (playlist := self.playlists.get(item_id)):
            return [e.uri for e in playlist.entries]
        if kind == "artist" and item_id in self.artists:
            return [t.uri for t in self.artist_tracks(item_id)][:10]
        if kind == "show" and (show := self.shows.get(item_id)):
            return [f"spotify:episode:{e}" for e in show.episode_ids]
        if kind == "audiobook" and (book := self.audiobooks.get(item_id)):
            return [f"spotify:chapter:{c}" for c in book.chapter_ids]
        return None

    def artist_albums(self, artist_id: str) -> list[Album]:
        """Return the albums an artist appears on, newest first."""
        albums = [a for a in self.albums.values() if artist_id in a.artist_ids]
        return sorted(albums, key=lambda a: a.release_date, reverse=True)

    def artist_tracks(self, artist_id: str) -> list[Track]:
        """Return an artist's tracks, most popular first."""
        tracks = [t for t in self.tracks.values() if artist_id in t.artist_ids]
        return sorted(tracks, key=lambda t: (-t.popularity, t.id))


def _split_uri(uri: str) -> tuple[str, str, str]:
    parts = uri.split(":")
    if len(parts) == 3 and parts[0] == "spotify":
        return parts[1], ":", parts[2]
    # Legacy user-scoped playlist URIs: spotify:user:<user>:playlist:<id>
    if len(parts) == 5 and parts[0] == "spotify" and parts[3] == "playlist":
        return "playlist", ":", parts[4]
    return "", "", ""


def split_uri(uri: str) -> tuple[str, str] | None:
    """Return (kind, id) of a Spotify URI, or None if it is not one."""
    kind, _, item_id = _split_uri(uri)
    return (kind, item_id) if kind else None
