"""JSON shapes of catalogue objects: artists, albums, tracks, shows, episodes, books.

`base` is the emulator's own origin (e.g. "http://127.0.0.1:8080"): hrefs, paging links
and image URLs all point back at the emulator.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .catalogue import Episode, Show, Track

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .catalogue import Album, Artist, Audiobook, Catalogue, Chapter, Playable

JSON = dict[str, Any]
IMAGE_SIZES = (640, 300, 64)
# How many tracks or episodes a full album or show carries inline.
INLINE_LIMIT = 50


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


class ObjectShapes:
    """Builds the JSON of catalogue objects for one request's base URL."""

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

    def paged[T](
        self,
        path: str,
        items: Sequence[T],
        render: Callable[[T], JSON],
        *,
        limit: int,
        offset: int,
        params: dict[str, str] | None = None,
    ) -> JSON:
        """Return the page of `items` at `offset`, each shaped by `render`."""
        return self.page(
            path,
            [render(item) for item in items[offset : offset + limit]],
            total=len(items),
            limit=limit,
            offset=offset,
            params=params,
        )

    def inline[T](
        self, path: str, items: Sequence[T], render: Callable[[T], JSON]
    ) -> JSON:
        """Return the first page of children a full object carries inline."""
        return self.paged(path, items, render, limit=INLINE_LIMIT, offset=0)

    def _drop(self, data: JSON, *keys: str) -> JSON:
        """Remove fields development-mode apps no longer get (when configured)."""
        if self.strip:
            for key in keys:
                data.pop(key, None)
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
        data = {
            **self.simplified_album(album),
            "tracks": self.inline(
                f"/albums/{album.id}/tracks",
                album.track_ids,
                lambda t: self.simplified_track(self.cat.tracks[t]),
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
        return self._drop(self._show(show), "publisher")

    def _show(self, show: Show) -> JSON:
        return {
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

    def show(self, show: Show) -> JSON:
        """Return a full show (first 50 episodes inline)."""
        return {
            **self.simplified_show(show),
            "episodes": self.inline(
                f"/shows/{show.id}/episodes",
                show.episode_ids,
                lambda e: self.simplified_episode(self.cat.episodes[e]),
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
            # The player shows a book as a show, with its chapters as episodes.
            "show": self._show(
                Show(
                    id=book.id,
                    name=book.name,
                    publisher=book.publisher,
                    description=book.description,
                    explicit=False,
                    language="en",
                    episode_ids=book.chapter_ids,
                )
            ),
        }

    def playable(self, item: Playable) -> JSON:
        """Return the full object of a track, episode or (player view of a) chapter."""
        if isinstance(item, Track):
            return self.track(item)
        if isinstance(item, Episode):
            return self.episode(item)
        return self.chapter_as_episode(item)
