"""/me/playlists and /playlists/{id}: who may read a playlist, and its items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from spotify_emulator.errors import PLAYLIST_FORBIDDEN, ApiError, not_found

from .common import SCOPE_PLAYLIST_PRIVATE, Area, include_episodes, paging

if TYPE_CHECKING:
    from spotify_emulator.catalogue import Playlist
    from spotify_emulator.users import User

PLAYLIST_ITEMS_MAX_LIMIT = 50


class Playlists(Area):
    """A user's playlists, one playlist, and its items."""

    async def my_playlists(self, request: web.Request) -> web.Response:
        """GET /me/playlists."""
        user = self.authenticate(request, SCOPE_PLAYLIST_PRIVATE)
        limit, offset = paging(request)
        shapes = self.shapes(request)
        playlists = self.world.catalogue.playlists
        return web.json_response(
            shapes.paged(
                "/me/playlists",
                user.playlist_ids,
                lambda pid: self.listed_playlist(shapes, playlists[pid]),
                limit=limit,
                offset=offset,
            )
        )

    async def playlist(self, request: web.Request) -> web.Response:
        """GET /playlists/{id}."""
        user = self.authenticate(request)
        playlist = self._readable_playlist(request, user)
        body = self.shapes(request).playlist(
            playlist,
            self.owner_name(playlist),
            include_episodes=include_episodes(request),
            with_items=self._lists_contents(user, playlist),
        )
        return web.json_response(body)

    async def playlist_items(self, request: web.Request) -> web.Response:
        """GET /playlists/{id}/items."""
        user = self.authenticate(request)
        playlist = self._readable_playlist(request, user)
        if not self._lists_contents(user, playlist):
            raise ApiError(403, PLAYLIST_FORBIDDEN)
        limit, offset = paging(request, maximum=PLAYLIST_ITEMS_MAX_LIMIT)
        body = self.shapes(request).playlist_items(
            playlist,
            include_episodes=include_episodes(request),
            limit=limit,
            offset=offset,
        )
        return web.json_response(body)

    def _readable_playlist(self, request: web.Request, user: User) -> Playlist:
        """Return the playlist the path names, if the user may see it at all."""
        playlist = self.world.catalogue.playlists.get(request.match_info["playlist_id"])
        if playlist is None:
            raise not_found()
        if (
            not playlist.public
            and playlist.owner_id != user.id
            and not playlist.collaborative
        ):
            raise not_found()
        if not playlist.public:
            token = self.token_info(request)
            if token is None or SCOPE_PLAYLIST_PRIVATE not in token.scopes:
                raise ApiError(403, "Insufficient client scope")
        return playlist

    def _lists_contents(self, user: User, playlist: Playlist) -> bool:
        """Whether Development Mode lets the user see the playlist's items.

        Only for playlists the user owns or collaborates on (a collaborative
        playlist in the user's library); outside Development Mode, always.
        """
        return (
            not self.world.config.development_mode
            or playlist.owner_id == user.id
            or (playlist.collaborative and playlist.id in user.playlist_ids)
        )
