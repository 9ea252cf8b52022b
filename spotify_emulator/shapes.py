"""JSON shapes of Spotify Web API objects, built from catalogue entities.

`base` is the emulator's own origin (e.g. "http://127.0.0.1:8080"): hrefs, paging links
and image URLs all point back at the emulator.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .catalogue import (
    Album,
    Artist,
    Audiobook,
    Catalogue,
    Chapter,
    Episode,
    Playable,
    Playlist,
    Show,
    Track,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .player import Device, PlaybackSnapshot, PlayHistoryEntry
    from .world import User

JSON = dict[str, Any]
IMAGE_SIZES = (640, 300, 64)


def iso(timestamp: float, *, millis: bool = False) -> str:
    """Format a Unix time like Spotify does."""
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    if millis:
        return (
            moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
        )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# Where albums and shows are available (deprecated, yet still sent and required).
MARKETS = ("DE", "GB", "NL", "SE", "US")
# Fields Development Mode apps no longer receive in GET /me (February 2026).
DEV_MODE_PROFILE_OMITS = ("product", "email", "country", "followers")


class Shapes:
    """Builds JSON objects for one request's base URL."""

    def __init__(
        self,
        catalogue: Catalogue,
        base: str,
        *,
        strip_dev_mode_fields: bool = False,
        development_mode: bool = False,
    ) -> None:
        """Bind to a catalogue and the emulator origin."""
        self.cat = catalogue
        self.strip = strip_dev_mode_fields
        self.development_mode = development_mode
        self.base = base.rstrip("/")
        self.api = self.base + "/v1"

    # ----------------------------------------------------------------- helpers

    def images(self, image_id: str, sizes: Sequence[int] = IMAGE_SIZES) -> list[JSON]:
        """Return an images array pointing at generated PNGs."""
        return [
            {
                "url": f"{self.base}/_emulator/images/{image_id}.png?size={s}",
                "height": s,
                "width": s,
            }
            for s in sizes
        ]

    def _common(self, kind: str, item_id: str, path: str | None = None) -> JSON:
        return {
            "external_urls": {"spotify": f"https://open.spotify.com/{kind}/{item_id}"},
            "href": f"{self.api}/{path or kind + 's'}/{item_id}",
            "id": item_id,
            "type": kind,
            "uri": f"spotify:{kind}:{item_id}",
        }

    def page(
        self,
        path: str,
        items: list[JSON],
        *,
        total: int,
        limit: int,
        offset: int,
        params: dict[str, str] | None = None,
    ) -> JSON:
        """Return an offset paging object with absolute next/previous links."""
        extra = dict(params or {})

        def link(off: int) -> str:
            return f"{self.api}{path}?" + urlencode(
                {**extra, "offset": off, "limit": limit}
            )

        return {
            "href": link(offset),
            "items": items,
            "limit": limit,
            "next": link(offset + limit) if offset + limit < total else None,
            "offset": offset,
            "previous": link(max(0, offset - limit)) if offset > 0 else None,
            "total": total,
        }

    def _drop(self, data: JSON, *keys: str) -> JSON:
        """Remove fields development-mode apps no longer get (when configured)."""
        if self.strip:
            for key in keys:
                data.pop(key, None)
        return data

    # ------------------------------------------------------------------ users

    def user(self, user: User) -> JSON:
        """Return GET /me."""
        data = {
            "country": user.country,
            "display_name": user.display_name,
            "explicit_content": {"filter_enabled": False, "filter_locked": False},
            "external_urls": {"spotify": f"https://open.spotify.com/user/{user.id}"},
            "followers": {"href": None, "total": 0},
            "href": f"{self.api}/users/{user.id}",
            "id": user.id,
            "images": self.images("user-" + user.id, (300, 64)),
            "product": user.product,
            "type": "user",
            "uri": f"spotify:user:{user.id}",
        }
        if self.development_mode:
            for key in DEV_MODE_PROFILE_OMITS:
                data.pop(key, None)
        return self._drop(
            data, "country", "email", "explicit_content", "followers", "product"
        )

    def public_user(self, user_id: str, display_name: str | None) -> JSON:
        """Return a public user object (playlist owner, added_by)."""
        data = {
            "external_urls": {"spotify": f"https://open.spotify.com/user/{user_id}"},
            "href": f"{self.api}/users/{user_id}",
            "id": user_id,
            "type": "user",
            "uri": f"spotify:user:{user_id}",
        }
        if display_name is not None:
            data["display_name"] = display_name
        return data

    # --------------------------------------------------------------- music

    def simplified_artist(self, artist: Artist) -> JSON:
        """Return a simplified artist."""
        return {**self._common("artist", artist.id), "name": artist.name}

    def artist(self, artist: Artist) -> JSON:
        """Return a full artist."""
        data = {
            **self.simplified_artist(artist),
            "followers": {"href": None, "total": artist.followers},
            "genres": list(artist.genres),
            "images": self.images(artist.id),
            "popularity": artist.popularity,
        }
        return self._drop(data, "followers", "popularity")

    def simplified_album(self, album: Album, *, album_group: bool = False) -> JSON:
        """Return a simplified album."""
        data = {
            "album_type": album.album_type,
            "total_tracks": len(album.track_ids),
            "available_markets": list(MARKETS),
            **self._common("album", album.id),
            "images": self.images(album.id),
            "name": album.name,
            "release_date": album.release_date,
            "release_date_precision": album.release_date_precision,
            "artists": [
                self.simplified_artist(self.cat.artists[a]) for a in album.artist_ids
            ],
        }
        if album_group:
            data["album_group"] = album.album_type
        return data

    def album(self, album: Album) -> JSON:
        """Return a full album (first 50 tracks inline)."""
        tracks = [
            self.simplified_track(self.cat.tracks[t]) for t in album.track_ids[:50]
        ]
        data = {
            **self.simplified_album(album),
            "tracks": self.page(
                f"/albums/{album.id}/tracks",
                tracks,
                total=len(album.track_ids),
                limit=50,
                offset=0,
            ),
            "copyrights": [
                {"text": f"(C) {album.release_date[:4]} {album.label}", "type": "C"}
            ],
            "external_ids": {"upc": "0" + album.id.encode().hex()[:11]},
            "genres": [],
            "label": album.label,
            "popularity": album.popularity,
        }
        return self._drop(data, "popularity")

    def simplified_track(self, track: Track) -> JSON:
        """Return a simplified track (no album)."""
        return {
            "artists": [
                self.simplified_artist(self.cat.artists[a]) for a in track.artist_ids
            ],
            "disc_number": track.disc_number,
            "duration_ms": track.duration_ms,
            "explicit": track.explicit,
            **self._common("track", track.id),
            "is_local": False,
            "is_playable": True,
            "name": track.name,
            "preview_url": None,
            "track_number": track.track_number,
        }

    def track(self, track: Track) -> JSON:
        """Return a full track."""
        data = {
            "album": self.simplified_album(self.cat.albums[track.album_id]),
            **self.simplified_track(track),
            "external_ids": {"isrc": track.isrc},
            "popularity": track.popularity,
        }
        return self._drop(data, "popularity")

    # ------------------------------------------------------------- podcasts

    def simplified_show(self, show: Show) -> JSON:
        """Return a simplified show."""
        data = {
            "available_markets": list(MARKETS),
            "copyrights": [],
            "description": show.description,
            "html_description": f"<p>{show.description}</p>",
            "explicit": show.explicit,
            **self._common("show", show.id),
            "images": self.images(show.id),
            "is_externally_hosted": False,
            "languages": [show.language],
            "media_type": "audio",
            "name": show.name,
            "publisher": show.publisher,
            "total_episodes": len(show.episode_ids),
        }
        return self._drop(data, "publisher")

    def show(self, show: Show) -> JSON:
        """Return a full show (first 50 episodes inline)."""
        episodes = [
            self.simplified_episode(self.cat.episodes[e]) for e in show.episode_ids[:50]
        ]
        return {
            **self.simplified_show(show),
            "episodes": self.page(
                f"/shows/{show.id}/episodes",
                episodes,
                total=len(show.episode_ids),
                limit=50,
                offset=0,
            ),
        }

    def simplified_episode(self, episode: Episode, *, resume_ms: int = 0) -> JSON:
        """Return a simplified episode (no show)."""
        return {
            "audio_preview_url": None,
            "description": episode.description,
            "html_description": f"<p>{episode.description}</p>",
            "duration_ms": episode.duration_ms,
            "explicit": episode.explicit,
            **self._common("episode", episode.id),
            "images": self.images(episode.show_id),
            "is_externally_hosted": False,
            "is_playable": True,
            "language": episode.language,
            "languages": [episode.language],
            "name": episode.name,
            "release_date": episode.release_date,
            "release_date_precision": "day",
            "resume_point": {"fully_played": False, "resume_position_ms": resume_ms},
        }

    def episode(self, episode: Episode) -> JSON:
        """Return a full episode."""
        return {
            **self.simplified_episode(episode),
            "show": self.simplified_show(self.cat.shows[episode.show_id]),
        }

    # ------------------------------------------------------------ audiobooks

    def simplified_audiobook(self, book: Audiobook) -> JSON:
        """Return a simplified audiobook."""
        data = {
            "authors": [{"name": a} for a in book.authors],
            "copyrights": [],
            "description": book.description,
            "html_description": f"<p>{book.description}</p>",
            "edition": book.edition,
            "explicit": False,
            **self._common("audiobook", book.id),
            "images": self.images(book.id),
            "languages": ["en"],
            "media_type": "audio",
            "name": book.name,
            "narrators": [{"name": n} for n in book.narrators],
            "publisher": book.publisher,
            "total_chapters": len(book.chapter_ids),
        }
        return self._drop(data, "publisher")

    def chapter(self, chapter: Chapter) -> JSON:
        """Return a full chapter."""
        return {
            "audio_preview_url": None,
            "chapter_number": chapter.chapter_number,
            "description": "",
            "html_description": "",
            "duration_ms": chapter.duration_ms,
            "explicit": False,
            **self._common("chapter", chapter.id),
            "images": self.images(chapter.audiobook_id),
            "is_playable": True,
            "languages": ["en"],
            "name": chapter.name,
            "release_date": chapter.release_date,
            "release_date_precision": "day",
            "resume_point": {"fully_played": False, "resume_position_ms": 0},
            "audiobook": self.simplified_audiobook(
                self.cat.audiobooks[chapter.audiobook_id]
            ),
        }

    def chapter_as_episode(self, chapter: Chapter) -> JSON:
        """Return a chapter the way the player shows it: an episode of a show."""
        book = self.cat.audiobooks[chapter.audiobook_id]
        return {
            "audio_preview_url": None,
            "description": "",
            "html_description": "",
            "duration_ms": chapter.duration_ms,
            "explicit": False,
            **self._common("episode", chapter.id),
            "images": self.images(book.id),
            "is_externally_hosted": False,
            "language": "",
            "languages": [""],
            "name": chapter.name,
            "release_date": chapter.release_date,
            "release_date_precision": "day",
            "resume_point": {"fully_played": False, "resume_position_ms": 0},
            "show": {
                "available_markets": list(MARKETS),
                "copyrights": [],
                "description": book.description,
                "html_description": f"<p>{book.description}</p>",
                "explicit": False,
                **self._common("show", book.id),
                "images": self.images(book.id),
                "is_externally_hosted": False,
                "languages": ["en"],
                "media_type": "audio",
                "name": book.name,
                "publisher": book.publisher,
                "total_episodes": len(book.chapter_ids),
            },
        }

    def playable(self, item: Playable) -> JSON:
        """Return the full object of a track, episode or (player view of a) chapter."""
        if isinstance(item, Track):
            return self.track(item)
        if isinstance(item, Episode):
            return self.episode(item)
        return self.chapter_as_episode(item)

    # ------------------------------------------------------------- playlists

    def simplified_playlist(self, playlist: Playlist, owner_name: str | None) -> JSON:
        """Return a simplified playlist with its `items` reference.

        In Development Mode the deprecated `tracks` comes too, as Spotify sends it.
        """
        data = {
            "collaborative": playlist.collaborative,
            "description": playlist.description,
            **self._common("playlist", playlist.id),
            "images": self.images(playlist.id, (640,)),
            "name": playlist.name,
            "owner": self.public_user(playlist.owner_id, owner_name),
            "primary_color": None,
            "public": playlist.public,
            "snapshot_id": playlist.snapshot_id,
            "items": {
                "href": f"{self.api}/playlists/{playlist.id}/items",
                "total": len(playlist.entries),
            },
        }
        return self._deprecated_alias(data, "items", "tracks")

    def playlist(
        self,
        playlist: Playlist,
        owner_name: str | None,
        *,
        include_episodes: bool,
        with_items: bool = True,
    ) -> JSON:
        """Return a full playlist with the first 100 items.

        Without `with_items` (Development Mode, a playlist the user neither owns nor
        collaborates on) the items are left out, as Spotify does.
        """
        data = {
            **self.simplified_playlist(playlist, owner_name),
            "followers": {"href": None, "total": playlist.followers},
        }
        data.pop("items")
        data.pop("tracks", None)
        if with_items:
            items = self.playlist_items(
                playlist, include_episodes=include_episodes, limit=100, offset=0
            )
            data["items"] = items
            self._deprecated_alias(data, "items", "tracks")
        return data

    def _deprecated_alias(self, data: JSON, key: str, deprecated: str) -> JSON:
        """In Development Mode, repeat `key` under its deprecated name."""
        if self.development_mode:
            data[deprecated] = data[key]
        return data

    def playlist_items(
        self, playlist: Playlist, *, include_episodes: bool, limit: int, offset: int
    ) -> JSON:
        """Return a page of playlist items (each with `item`, not `track`)."""
        items = []
        for entry in playlist.entries[offset : offset + limit]:
            playable = self.cat.playable(entry.uri)
            obj: JSON | None = None
            if isinstance(playable, Track):
                obj = self.track(playable)
            elif isinstance(playable, Episode):
                # Without additional_types=episode Spotify answers episodes as null.
                obj = self.episode(playable) if include_episodes else None
            item = {
                "added_at": entry.added_at,
                "added_by": self.public_user(entry.added_by, None),
                "is_local": False,
                "primary_color": None,
                "item": obj,
            }
            items.append(self._deprecated_alias(item, "item", "track"))
        return self.page(
            f"/playlists/{playlist.id}/items",
            items,
            total=len(playlist.entries),
            limit=limit,
            offset=offset,
        )

    # -------------------------------------------------------------- player

    def device(self, device: Device, *, active: bool) -> JSON:
        """Return a device object."""
        return {
            "id": device.id,
            "is_active": active,
            "is_private_session": device.is_private_session,
            "is_restricted": device.is_restricted,
            "name": device.name,
            "supports_volume": device.supports_volume,
            "type": device.type,
            "volume_percent": device.volume_percent,
        }

    def context(self, uri: str | None) -> JSON | None:
        """Return a playback context object."""
        if uri is None:
            return None
        parts = uri.split(":")
        if len(parts) == 4 and parts[3] == "collection":
            return {
                "external_urls": {
                    "spotify": "https://open.spotify.com/collection/tracks"
                },
                "href": f"{self.api}/me/tracks",
                "type": "collection",
                "uri": uri,
            }
        kind, item_id = parts[1], parts[-1]
        return {
            "external_urls": {"spotify": f"https://open.spotify.com/{kind}/{item_id}"},
            "href": f"{self.api}/{kind}s/{item_id}",
            "type": kind,
            "uri": uri,
        }

    def playback(
        self,
        snap: PlaybackSnapshot,
        device: Device | None,
        *,
        include_episodes: bool,
        with_device: bool = True,
    ) -> JSON:
        """Return GET /me/player (or /currently-playing without the device part)."""
        item_json: JSON | None = None
        if (
            snap.item_uri is not None
            and (playable := self.cat.playable(snap.item_uri)) is not None
        ) and (isinstance(playable, Track) or include_episodes):
            item_json = self.playable(playable)
        data: JSON = {}
        if with_device and device is not None:
            data["device"] = self.device(device, active=True)
            data["shuffle_state"] = snap.shuffle_state
            data["smart_shuffle"] = snap.smart_shuffle
            data["repeat_state"] = str(snap.repeat_state)
        data.update(
            {
                "timestamp": snap.timestamp_ms,
                "context": self.context(snap.context_uri),
                "progress_ms": snap.progress_ms,
                "item": item_json,
                "currently_playing_type": snap.currently_playing_type,
                "actions": {"disallows": dict(snap.disallows)},
                "is_playing": snap.is_playing,
            }
        )
        return data

    def history_item(self, entry: PlayHistoryEntry) -> JSON:
        """Return one recently-played item."""
        playable = self.cat.playable(entry.uri)
        return {
            "track": self.playable(playable) if playable is not None else None,
            "played_at": iso(entry.played_at, millis=True),
            "context": self.context(entry.context_uri),
        }
