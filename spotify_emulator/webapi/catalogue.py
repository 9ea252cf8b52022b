"""/search, /albums, /artists, /shows, /episodes and /tracks: the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from spotify_emulator.errors import bad_request, not_found

from .common import Area, paging

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from spotify_emulator.shapes import JSON, Shapes

SEARCH_TYPES = ("album", "artist", "playlist", "track", "show", "episode", "audiobook")
SEARCH_DEFAULT_LIMIT = 5
SEARCH_MAX_LIMIT = 10
SEARCH_MAX_OFFSET = 1000
# Since February 2026 artist albums page by at most 10 (default 5), like search.
ARTIST_ALBUMS_DEFAULT_LIMIT = 5
ARTIST_ALBUMS_MAX_LIMIT = 10
ALBUM_GROUPS = frozenset({"album", "single", "appears_on", "compilation"})


class Catalogue(Area):
    """Search, and every catalogue object by id."""

    async def search(self, request: web.Request) -> web.Response:
        """GET /search."""
        self.authenticate(request)
        query = request.query.get("q", "").strip()
        if not query:
            raise bad_request("No search query")
        raw_types = request.query.get("type")
        if not raw_types:
            raise bad_request("Missing parameter type")
        types = [t.strip() for t in raw_types.split(",")]
        for t in types:
            if t not in SEARCH_TYPES:
                raise bad_request(f"Bad search type field {t}")
        limit, offset = paging(
            request,
            default=SEARCH_DEFAULT_LIMIT,
            maximum=SEARCH_MAX_LIMIT,
            max_offset=SEARCH_MAX_OFFSET,
        )
        needle = query.lower()
        shapes = self.shapes(request)
        result: JSON = {}
        for t in types:
            items, shape = self._searchable(t, shapes)
            result[t + "s"] = shapes.paged(
                "/search",
                [x for x in items if self._hit(needle, x)],
                shape,
                limit=limit,
                offset=offset,
                params={"query": query, "type": t},
            )
        return web.json_response(result)

    def _searchable(
        self, search_type: str, shapes: Shapes
    ) -> tuple[Iterable[Any], Callable[[Any], JSON]]:
        """Return what a search type looks through, and how a hit is shaped."""
        cat = self.world.catalogue
        sources: dict[str, tuple[Iterable[Any], Callable[[Any], JSON]]] = {
            "playlist": (
                (p for p in cat.playlists.values() if p.public),
                lambda p: self.listed_playlist(shapes, p),
            ),
            "track": (cat.tracks.values(), shapes.track),
            "album": (cat.albums.values(), shapes.simplified_album),
            "artist": (cat.artists.values(), shapes.artist),
            "show": (cat.shows.values(), shapes.simplified_show),
            "episode": (cat.episodes.values(), shapes.simplified_episode),
            "audiobook": (cat.audiobooks.values(), shapes.simplified_audiobook),
        }
        return sources[search_type]

    def _hit(self, needle: str, item: Any) -> bool:
        """Whether the name (or, of a track or album, an artist's name) matches."""
        if needle in item.name.lower():
            return True
        artists = self.world.catalogue.artists
        return any(
            needle in artists[a].name.lower() for a in getattr(item, "artist_ids", ())
        )

    def _find[T](
        self, request: web.Request, table: Mapping[str, T], id_field: str
    ) -> T:
        """Authenticate, then return the object the path names (404 if unknown)."""
        self.authenticate(request)
        item = table.get(request.match_info[id_field])
        if item is None:
            raise not_found()
        return item

    async def album(self, request: web.Request) -> web.Response:
        """GET /albums/{id}."""
        album = self._find(request, self.world.catalogue.albums, "album_id")
        return web.json_response(self.shapes(request).album(album))

    async def artist(self, request: web.Request) -> web.Response:
        """GET /artists/{id}."""
        artist = self._find(request, self.world.catalogue.artists, "artist_id")
        return web.json_response(self.shapes(request).artist(artist))

    async def artist_albums(self, request: web.Request) -> web.Response:
        """GET /artists/{id}/albums."""
        artist = self._find(request, self.world.catalogue.artists, "artist_id")
        limit, offset = paging(
            request,
            default=ARTIST_ALBUMS_DEFAULT_LIMIT,
            maximum=ARTIST_ALBUMS_MAX_LIMIT,
        )
        albums = self.world.catalogue.artist_albums(artist.id)
        groups = request.query.get("include_groups")
        params: dict[str, str] = {}
        if groups:
            wanted = {g.strip() for g in groups.split(",")}
            if not wanted <= ALBUM_GROUPS:
                raise bad_request("Invalid include_groups")
            albums = [a for a in albums if a.album_type in wanted]
            params["include_groups"] = groups
        shapes = self.shapes(request)
        return web.json_response(
            shapes.paged(
                f"/artists/{artist.id}/albums",
                albums,
                lambda a: shapes.simplified_album(a, album_group=True),
                limit=limit,
                offset=offset,
                params=params,
            )
        )

    async def show(self, request: web.Request) -> web.Response:
        """GET /shows/{id}."""
        show = self._find(request, self.world.catalogue.shows, "show_id")
        return web.json_response(self.shapes(request).show(show))

    async def show_episodes(self, request: web.Request) -> web.Response:
        """GET /shows/{id}/episodes."""
        show = self._find(request, self.world.catalogue.shows, "show_id")
        limit, offset = paging(request)
        shapes = self.shapes(request)
        episodes = self.world.catalogue.episodes
        return web.json_response(
            shapes.paged(
                f"/shows/{show.id}/episodes",
                show.episode_ids,
                lambda e: shapes.simplified_episode(episodes[e]),
                limit=limit,
                offset=offset,
            )
        )

    async def episode(self, request: web.Request) -> web.Response:
        """GET /episodes/{id}."""
        episode = self._find(request, self.world.catalogue.episodes, "episode_id")
        return web.json_response(self.shapes(request).episode(episode))

    async def track(self, request: web.Request) -> web.Response:
        """GET /tracks/{id}."""
        track = self._find(request, self.world.catalogue.tracks, "track_id")
        return web.json_response(self.shapes(request).track(track))
