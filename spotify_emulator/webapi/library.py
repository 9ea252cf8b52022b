"""/me/tracks, /me/albums, /me/shows, /me/episodes and /me/library: saved items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from spotify_emulator.catalogue import split_uri
from spotify_emulator.errors import bad_request, not_found
from spotify_emulator.objects import iso
from spotify_emulator.shapes import Shapes

from .common import SCOPE_LIBRARY_MODIFY, SCOPE_LIBRARY_READ, Area, paging

if TYPE_CHECKING:
    from collections.abc import Callable

    from spotify_emulator.shapes import JSON

LIBRARY_MAX_URIS = 40
LIBRARY_KINDS = frozenset(
    {"track", "album", "episode", "show", "audiobook", "artist", "playlist", "user"}
)


class Library(Area):
    """What the user saved: listed by kind, saved, removed and looked up."""

    async def saved_tracks(self, request: web.Request) -> web.Response:
        """GET /me/tracks."""
        return self._saved_page(request, "track", Shapes.track)

    async def saved_albums(self, request: web.Request) -> web.Response:
        """GET /me/albums."""
        return self._saved_page(request, "album", Shapes.album)

    async def saved_shows(self, request: web.Request) -> web.Response:
        """GET /me/shows."""
        return self._saved_page(request, "show", Shapes.simplified_show)

    async def saved_episodes(self, request: web.Request) -> web.Response:
        """GET /me/episodes."""
        return self._saved_page(request, "episode", Shapes.episode)

    def _saved_page(
        self, request: web.Request, kind: str, render: Callable[[Shapes, Any], JSON]
    ) -> web.Response:
        """Return saved items of one kind, newest first."""
        user = self.authenticate(request, SCOPE_LIBRARY_READ)
        limit, offset = paging(request)
        shapes = self.shapes(request)
        saved = user.saved_of(kind)
        items = []
        for uri, added_at in saved[offset : offset + limit]:
            item = self.world.catalogue.lookup(uri)
            if item is not None:
                items.append({"added_at": iso(added_at), kind: render(shapes, item)})
        return web.json_response(
            shapes.page(
                f"/me/{kind}s", items, total=len(saved), limit=limit, offset=offset
            )
        )

    async def library_save(self, request: web.Request) -> web.Response:
        """PUT /me/library?uris=."""
        user = self.authenticate(request, SCOPE_LIBRARY_MODIFY)
        now = self.world.clock.now()
        for uri in self._library_uris(request):
            user.saved.setdefault(uri, now)
        return web.Response(status=200)

    async def library_remove(self, request: web.Request) -> web.Response:
        """DELETE /me/library?uris=."""
        user = self.authenticate(request, SCOPE_LIBRARY_MODIFY)
        for uri in self._library_uris(request):
            user.saved.pop(uri, None)
        return web.Response(status=200)

    async def library_contains(self, request: web.Request) -> web.Response:
        """GET /me/library/contains?uris=."""
        user = self.authenticate(request, SCOPE_LIBRARY_READ)
        return web.json_response(
            [uri in user.saved for uri in self._library_uris(request)]
        )

    def _library_uris(self, request: web.Request) -> list[str]:
        raw = request.query.get("uris", "")
        uris = [u.strip() for u in raw.split(",") if u.strip()]
        if not uris:
            raise bad_request("Required parameter uris missing")
        if len(uris) > LIBRARY_MAX_URIS:
            raise bad_request("Too many ids requested")
        for uri in uris:
            parsed = split_uri(uri)
            if parsed is None or parsed[0] not in LIBRARY_KINDS:
                raise bad_request(f"Invalid uri: {uri}")
            if not self._exists(uri):
                raise not_found("Non existing id")
        return uris

    def _exists(self, uri: str) -> bool:
        if uri.startswith("spotify:user:"):
            return uri.removeprefix("spotify:user:") in self.world.users
        return self.world.catalogue.exists(uri)
