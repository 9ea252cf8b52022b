"""Spotify Web API routes (/v1/...)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .catalogue import split_uri
from .errors import (
    APP_OWNER_PREMIUM_REQUIRED,
    NO_TOKEN,
    PLAYLIST_FORBIDDEN,
    USER_NOT_REGISTERED,
    ApiError,
    bad_request,
    not_found,
)
from .player import PlayerError, RepeatState
from .shapes import JSON, Shapes, iso

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .tokens import AccessToken
    from .world import User, World

SCOPE_PLAYBACK_READ = "user-read-playback-state"
SCOPE_PLAYBACK_MODIFY = "user-modify-playback-state"
SCOPE_RECENTLY_PLAYED = "user-read-recently-played"
SCOPE_PLAYLIST_PRIVATE = "playlist-read-private"
SCOPE_LIBRARY_READ = "user-library-read"
SCOPE_LIBRARY_MODIFY = "user-library-modify"
SCOPE_FOLLOW_READ = "user-follow-read"
SCOPE_TOP_READ = "user-top-read"

SEARCH_TYPES = ("album", "artist", "playlist", "track", "show", "episode", "audiobook")
SEARCH_MAX_LIMIT = 10
SEARCH_MAX_OFFSET = 1000
PLAYLIST_ITEMS_MAX_LIMIT = 50
# Since February 2026 artist albums page by at most 10 (default 5), like search.
ARTIST_ALBUMS_DEFAULT_LIMIT = 5
ARTIST_ALBUMS_MAX_LIMIT = 10
LIBRARY_MAX_URIS = 40
LIBRARY_KINDS = {
    "track",
    "album",
    "episode",
    "show",
    "audiobook",
    "artist",
    "playlist",
    "user",
}
TIME_RANGES = ("short_term", "medium_term", "long_term")


def _no_content() -> web.Response:
    return web.Response(status=204)


class WebApi:
    """Handlers for every Web API endpoint the integration's client uses."""

    def __init__(self, world: World) -> None:
        """Serve `world`."""
        self.world = world

    def routes(self) -> list[web.RouteDef]:
        """Return the route table."""
        r = web
        return [
            r.get("/v1/me", self.me),
            r.get("/v1/me/player", self.player_state),
            r.put("/v1/me/player", self.transfer),
            r.get("/v1/me/player/devices", self.devices),
            r.get("/v1/me/player/currently-playing", self.currently_playing),
            r.put("/v1/me/player/play", self.play),
            r.put("/v1/me/player/pause", self.pause),
            r.post("/v1/me/player/next", self.next),
            r.post("/v1/me/player/previous", self.previous),
            r.put("/v1/me/player/seek", self.seek),
            r.put("/v1/me/player/volume", self.volume),
            r.put("/v1/me/player/shuffle", self.shuffle),
            r.put("/v1/me/player/repeat", self.repeat),
            r.get("/v1/me/player/queue", self.queue),
            r.post("/v1/me/player/queue", self.add_to_queue),
            r.get("/v1/me/player/recently-played", self.recently_played),
            r.get("/v1/me/playlists", self.my_playlists),
            r.get("/v1/playlists/{playlist_id}", self.playlist),
            r.get("/v1/playlists/{playlist_id}/items", self.playlist_items),
            r.get("/v1/me/tracks", self.saved_tracks),
            r.get("/v1/me/albums", self.saved_albums),
            r.get("/v1/me/shows", self.saved_shows),
            r.get("/v1/me/episodes", self.saved_episodes),
            r.get("/v1/me/following", self.followed_artists),
            r.get("/v1/me/top/{kind}", self.top_items),
            r.get("/v1/search", self.search),
            r.get("/v1/albums/{album_id}", self.album),
            r.get("/v1/artists/{artist_id}", self.artist),
            r.get("/v1/artists/{artist_id}/albums", self.artist_albums),
            r.get("/v1/shows/{show_id}", self.show),
            r.get("/v1/shows/{show_id}/episodes", self.show_episodes),
            r.get("/v1/episodes/{episode_id}", self.episode),
            r.get("/v1/tracks/{track_id}", self.track),
            r.put("/v1/me/library", self.library_save),
            r.delete("/v1/me/library", self.library_remove),
            r.get("/v1/me/library/contains", self.library_contains),
        ]

    # ------------------------------------------------------------------ auth

    def authenticate(self, request: web.Request, scope: str | None = None) -> User:
        """Check the bearer token, the allow-list and a scope; return the user."""
        header = request.headers.get("Authorization")
        if not header:
            raise ApiError(401, NO_TOKEN)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            # Spotify treats another scheme as a malformed request, not as a 401.
            raise ApiError(400, "Only valid bearer authentication supported")
        info = self.world.tokens.access_token_info(token.strip())
        if info is None:
            raise ApiError(401, "Invalid access token")
        if self.world.tokens.is_expired(info):
            raise ApiError(401, "The access token expired")
        app = self.world.apps.get(info.client_id)
        if (
            app is not None
            and app.allowed_users is not None
            and info.user_id not in app.allowed_users
        ):
            raise ApiError(403, USER_NOT_REGISTERED)
        dev_mode = self.world.config.development_mode
        if dev_mode and app is not None and not app.owner_premium:
            raise ApiError(403, APP_OWNER_PREMIUM_REQUIRED)
        if scope is not None and scope not in info.scopes:
            raise ApiError(403, "Insufficient client scope")
        return self.world.user(info.user_id)

    def token_info(self, request: web.Request) -> AccessToken | None:
        """Return the access token a request carries, if it is a known one."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.world.tokens.access_token_info(token.strip())

    def premium(self, request: web.Request) -> User:
        """Authenticate a player command: scope, then Premium."""
        user = self.authenticate(request, SCOPE_PLAYBACK_MODIFY)
        if not user.is_premium:
            raise ApiError(
                403, "Player command failed: Premium required", "PREMIUM_REQUIRED"
            )
        return user

    def shapes(self, request: web.Request) -> Shapes:
        """Return a shape builder for this request's origin."""
        return Shapes(
            self.world.catalogue,
            str(request.url.origin()),
            strip_dev_mode_fields=self.world.config.strip_dev_mode_fields,
            development_mode=self.world.config.development_mode,
        )

    # ------------------------------------------------------------- helpers

    @staticmethod
    def _int(request: web.Request, name: str) -> int | None:
        raw = request.query.get(name)
        if raw is None or raw == "":
            return None
        try:
            return int(raw)
        except ValueError:
            raise bad_request(f"Invalid {name}") from None

    def _int_or(self, request: web.Request, name: str, default: int) -> int:
        value = self._int(request, name)
        return default if value is None else value

    def _paging(
        self, request: web.Request, *, default: int = 20, maximum: int = 50
    ) -> tuple[int, int]:
        limit = self._int_or(request, "limit", default)
        offset = self._int_or(request, "offset", 0)
        if not 1 <= limit <= maximum:
            raise bad_request("Invalid limit")
        if offset < 0:
            raise bad_request("Invalid offset")
        return limit, offset

    @staticmethod
    def _types(request: web.Request) -> set[str]:
        return {
            t.strip()
            for t in request.query.get("additional_types", "").split(",")
            if t.strip()
        }

    @staticmethod
    def _device_id(request: web.Request) -> str | None:
        return request.query.get("device_id") or None

    @staticmethod
    async def _json_body(request: web.Request) -> dict[str, Any]:
        raw = await request.read()
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            raise bad_request("Malformed json") from None
        if not isinstance(data, dict):
            raise bad_request("Malformed json")
        return data

    @staticmethod
    def _player(call: Callable[[], None]) -> web.Response:
        try:
            call()
        except PlayerError as err:
            raise ApiError(err.status, err.message, err.reason) from None
        return _no_content()

    # --------------------------------------------------------------- user

    async def me(self, request: web.Request) -> web.Response:
        """GET /me."""
        user = self.authenticate(request)
        return web.json_response(self.shapes(request).user(user))

    # -------------------------------------------------------------- player

    async def player_state(self, request: web.Request) -> web.Response:
        """GET /me/player."""
        user = self.authenticate(request, SCOPE_PLAYBACK_READ)
        snap = user.playback.snapshot()
        if snap is None:
            return _no_content()
        device = user.device_by_key(snap.device_key)
        body = self.shapes(request).playback(
            snap, device, include_episodes="episode" in self._types(request)
        )
        return web.json_response(body)

    async def currently_playing(self, request: web.Request) -> web.Response:
        """GET /me/player/currently-playing."""
        user = self.authenticate(request, SCOPE_PLAYBACK_READ)
        snap = user.playback.snapshot()
        if snap is None:
            return _no_content()
        body = self.shapes(request).playback(
            snap,
            None,
            include_episodes="episode" in self._types(request),
            with_device=False,
        )
        return web.json_response(body)

    async def devices(self, request: web.Request) -> web.Response:
        """GET /me/player/devices."""
        user = self.authenticate(request, SCOPE_PLAYBACK_READ)
        active = self.world.active_device(user.id)
        shapes = self.shapes(request)
        devices = [
            shapes.device(d, active=active is not None and d.key == active.key)
            for d in user.awake_devices
        ]
        return web.json_response({"devices": devices})

    async def transfer(self, request: web.Request) -> web.Response:
        """PUT /me/player."""
        user = self.premium(request)
        body = await self._json_body(request)
        device_ids = body.get("device_ids")
        if not isinstance(device_ids, list) or not device_ids:
            raise bad_request("Required field device_ids missing")
        if len(device_ids) != 1:
            raise bad_request("Only one device_id allowed")
        play = body.get("play")
        if play is not None and not isinstance(play, bool):
            raise bad_request("Invalid play value")
        device_id = str(device_ids[0])
        return self._player(
            lambda: self.world.command_transfer(user.id, device_id, play=play)
        )

    async def play(self, request: web.Request) -> web.Response:
        """PUT /me/player/play."""
        user = self.premium(request)
        body = await self._json_body(request)
        context_uri = body.get("context_uri")
        uris = body.get("uris")
        offset = body.get("offset")
        position_ms = body.get("position_ms", 0)
        if context_uri is not None and not isinstance(context_uri, str):
            raise bad_request("Invalid context uri")
        if uris is not None and (
            not isinstance(uris, list) or not all(isinstance(u, str) for u in uris)
        ):
            raise bad_request("Invalid uris")
        if context_uri is not None and uris is not None:
            raise bad_request("Only one of context_uri and uris can be specified")
        if (
            not isinstance(position_ms, int)
            or isinstance(position_ms, bool)
            or position_ms < 0
        ):
            raise bad_request("Invalid position_ms")
        offset_position: int | None = None
        offset_uri: str | None = None
        if offset is not None:
            if context_uri is None and uris is None:
                raise bad_request("Can't have offset without context_uri or uris")
            if not isinstance(offset, dict):
                raise bad_request("Invalid offset")
            if "uri" in offset:
                if not isinstance(offset["uri"], str):
                    raise bad_request("Invalid offset")
                offset_uri = offset["uri"]
            elif "position" in offset:
                if not isinstance(offset["position"], int) or offset["position"] < 0:
                    raise bad_request("Invalid offset")
                offset_position = offset["position"]
            else:
                raise bad_request("Invalid offset")
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_play(
                user.id,
                device_id=device_id,
                context_uri=context_uri,
                uris=uris,
                offset_position=offset_position,
                offset_uri=offset_uri,
                position_ms=position_ms,
            )
        )

    async def pause(self, request: web.Request) -> web.Response:
        """PUT /me/player/pause."""
        user = self.premium(request)
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_pause(user.id, device_id=device_id)
        )

    async def next(self, request: web.Request) -> web.Response:
        """POST /me/player/next."""
        user = self.premium(request)
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_next(user.id, device_id=device_id)
        )

    async def previous(self, request: web.Request) -> web.Response:
        """POST /me/player/previous."""
        user = self.premium(request)
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_previous(user.id, device_id=device_id)
        )

    async def seek(self, request: web.Request) -> web.Response:
        """PUT /me/player/seek?position_ms=."""
        user = self.premium(request)
        position = self._int(request, "position_ms")
        if position is None:
            raise bad_request("Required parameter position_ms missing")
        if position < 0:
            raise bad_request("Invalid position_ms")
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_seek(user.id, position, device_id=device_id)
        )

    async def volume(self, request: web.Request) -> web.Response:
        """PUT /me/player/volume?volume_percent=."""
        user = self.premium(request)
        volume = self._int(request, "volume_percent")
        if volume is None:
            raise bad_request("Required parameter volume_percent missing")
        if not 0 <= volume <= 100:
            raise bad_request("Invalid volume_percent")
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_volume(user.id, volume, device_id=device_id)
        )

    async def shuffle(self, request: web.Request) -> web.Response:
        """PUT /me/player/shuffle?state=."""
        user = self.premium(request)
        raw = request.query.get("state")
        if raw is None:
            raise bad_request("Required parameter state missing")
        if raw.lower() not in {"true", "false"}:
            raise bad_request("Invalid state")
        state = raw.lower() == "true"
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_shuffle(user.id, state, device_id=device_id)
        )

    async def repeat(self, request: web.Request) -> web.Response:
        """PUT /me/player/repeat?state=."""
        user = self.premium(request)
        raw = request.query.get("state")
        if raw is None:
            raise bad_request("Required parameter state missing")
        try:
            state = RepeatState(raw)
        except ValueError:
            raise bad_request("Invalid state") from None
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_repeat(user.id, state, device_id=device_id)
        )

    async def queue(self, request: web.Request) -> web.Response:
        """GET /me/player/queue."""
        user = self.authenticate(request, SCOPE_PLAYBACK_READ)
        shapes = self.shapes(request)
        snap = user.playback.snapshot()
        if snap is None:
            return web.json_response({"currently_playing": None, "queue": []})
        current = user.playback.current_item()
        upcoming = [
            self.world.catalogue.playable(u) for u in user.playback.upcoming(20)
        ]
        return web.json_response(
            {
                "currently_playing": shapes.playable(current)
                if current is not None
                else None,
                "queue": [shapes.playable(p) for p in upcoming if p is not None],
            }
        )

    async def add_to_queue(self, request: web.Request) -> web.Response:
        """POST /me/player/queue?uri=."""
        user = self.premium(request)
        uri = request.query.get("uri")
        if not uri:
            raise bad_request("Required parameter uri missing")
        device_id = self._device_id(request)
        return self._player(
            lambda: self.world.command_queue(user.id, uri, device_id=device_id)
        )

    async def recently_played(self, request: web.Request) -> web.Response:
        """GET /me/player/recently-played (cursor paging on played_at milliseconds)."""
        user = self.authenticate(request, SCOPE_RECENTLY_PLAYED)
        limit = self._int_or(request, "limit", 20)
        after = self._int(request, "after")
        before = self._int(request, "before")
        if not 1 <= limit <= 50:
            raise bad_request("Invalid limit")
        if after is not None and before is not None:
            raise bad_request("Only one of after and before can be specified")
        user.playback.sync()
        entries = sorted(user.history, key=lambda e: e.played_at, reverse=True)
        if after is not None:
            entries = [e for e in entries if e.played_at * 1000 > after][-limit:]
        elif before is not None:
            entries = [e for e in entries if e.played_at * 1000 < before][:limit]
        else:
            entries = entries[:limit]
        shapes = self.shapes(request)
        items = [shapes.history_item(e) for e in entries]
        cursors: JSON | None = None
        next_link: str | None = None
        base = f"{shapes.api}/me/player/recently-played"
        if entries:
            newest = int(entries[0].played_at * 1000)
            oldest = int(entries[-1].played_at * 1000)
            cursors = {"after": str(newest), "before": str(oldest)}
            if any(e.played_at * 1000 < oldest for e in user.history):
                next_link = f"{base}?before={oldest}&limit={limit}"
        return web.json_response(
            {
                "items": items,
                "next": next_link,
                "cursors": cursors,
                "limit": limit,
                "href": f"{base}?limit={limit}",
            }
        )

    # ------------------------------------------------------------ playlists

    async def my_playlists(self, request: web.Request) -> web.Response:
        """GET /me/playlists."""
        user = self.authenticate(request, SCOPE_PLAYLIST_PRIVATE)
        limit, offset = self._paging(request)
        shapes = self.shapes(request)
        ids = user.playlist_ids
        items = [
            shapes.simplified_playlist(
                self.world.catalogue.playlists[pid],
                self._owner_name(self.world.catalogue.playlists[pid].owner_id),
            )
            for pid in ids[offset : offset + limit]
        ]
        return web.json_response(
            shapes.page(
                "/me/playlists", items, total=len(ids), limit=limit, offset=offset
            )
        )

    def _owner_name(self, user_id: str) -> str | None:
        owner = self.world.users.get(user_id)
        return owner.display_name if owner is not None else None

    def _readable_playlist(
        self, request: web.Request, user: User, playlist_id: str
    ) -> Any:
        playlist = self.world.catalogue.playlists.get(playlist_id)
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

    def _lists_contents(self, user: User, playlist: Any) -> bool:
        """Whether Development Mode lets the user see the playlist's items.

        Only for playlists the user owns or collaborates on (a collaborative
        playlist in the user's library); outside Development Mode, always.
        """
        return (
            not self.world.config.development_mode
            or playlist.owner_id == user.id
            or (playlist.collaborative and playlist.id in user.playlist_ids)
        )

    async def playlist(self, request: web.Request) -> web.Response:
        """GET /playlists/{id}."""
        user = self.authenticate(request)
        playlist = self._readable_playlist(
            request, user, request.match_info["playlist_id"]
        )
        body = self.shapes(request).playlist(
            playlist,
            self._owner_name(playlist.owner_id),
            include_episodes="episode" in self._types(request),
            with_items=self._lists_contents(user, playlist),
        )
        return web.json_response(body)

    async def playlist_items(self, request: web.Request) -> web.Response:
        """GET /playlists/{id}/items."""
        user = self.authenticate(request)
        playlist = self._readable_playlist(
            request, user, request.match_info["playlist_id"]
        )
        if not self._lists_contents(user, playlist):
            raise ApiError(403, PLAYLIST_FORBIDDEN)
        limit, offset = self._paging(request, maximum=PLAYLIST_ITEMS_MAX_LIMIT)
        body = self.shapes(request).playlist_items(
            playlist,
            include_episodes="episode" in self._types(request),
            limit=limit,
            offset=offset,
        )
        return web.json_response(body)

    # -------------------------------------------------------------- library

    def _saved_page(
        self,
        request: web.Request,
        kind: str,
        key: str,
        render: Callable[[Shapes, str], JSON | None],
    ) -> web.Response:
        user = self.authenticate(request, SCOPE_LIBRARY_READ)
        limit, offset = self._paging(request)
        shapes = self.shapes(request)
        saved = user.saved_of(kind)
        items = []
        for uri, added_at in saved[offset : offset + limit]:
            obj = render(shapes, uri)
            if obj is not None:
                items.append({"added_at": iso(added_at), key: obj})
        return web.json_response(
            shapes.page(
                f"/me/{kind}s", items, total=len(saved), limit=limit, offset=offset
            )
        )

    def _lookup(self, uri: str) -> Any:
        parsed = split_uri(uri)
        if parsed is None:
            return None
        kind, item_id = parsed
        cat = self.world.catalogue
        tables: dict[str, Mapping[str, object]] = {
            "track": cat.tracks,
            "album": cat.albums,
            "show": cat.shows,
            "episode": cat.episodes,
            "artist": cat.artists,
            "audiobook": cat.audiobooks,
        }
        table = tables.get(kind)
        return table.get(item_id) if table is not None else None

    async def saved_tracks(self, request: web.Request) -> web.Response:
        """GET /me/tracks."""
        return self._saved_page(
            request,
            "track",
            "track",
            lambda s, uri: s.track(t) if (t := self._lookup(uri)) else None,
        )

    async def saved_albums(self, request: web.Request) -> web.Response:
        """GET /me/albums."""
        return self._saved_page(
            request,
            "album",
            "album",
            lambda s, uri: s.album(a) if (a := self._lookup(uri)) else None,
        )

    async def saved_shows(self, request: web.Request) -> web.Response:
        """GET /me/shows."""
        return self._saved_page(
            request,
            "show",
            "show",
            lambda s, uri: s.simplified_show(x) if (x := self._lookup(uri)) else None,
        )

    async def saved_episodes(self, request: web.Request) -> web.Response:
        """GET /me/episodes."""
        return self._saved_page(
            request,
            "episode",
            "episode",
            lambda s, uri: s.episode(e) if (e := self._lookup(uri)) else None,
        )

    async def followed_artists(self, request: web.Request) -> web.Response:
        """GET /me/following?type=artist (cursor paging on artist id)."""
        user = self.authenticate(request, SCOPE_FOLLOW_READ)
        if request.query.get("type") != "artist":
            raise bad_request("Invalid type, only artist is supported")
        limit = self._int_or(request, "limit", 20)
        if not 1 <= limit <= 50:
            raise bad_request("Invalid limit")
        after = request.query.get("after")
        ids = [uri.rsplit(":", 1)[1] for uri, _ in user.saved_of("artist")]
        ids.sort()
        start = 0
        if after:
            start = next((i + 1 for i, a in enumerate(ids) if a == after), len(ids))
        chunk = ids[start : start + limit]
        shapes = self.shapes(request)
        base = f"{shapes.api}/me/following?type=artist"
        has_more = start + limit < len(ids)
        body = {
            "href": f"{base}&limit={limit}" + (f"&after={after}" if after else ""),
            "limit": limit,
            "next": f"{base}&after={chunk[-1]}&limit={limit}"
            if has_more and chunk
            else None,
            "cursors": {"after": chunk[-1] if has_more and chunk else None},
            "total": len(ids),
            "items": [shapes.artist(self.world.catalogue.artists[a]) for a in chunk],
        }
        return web.json_response({"artists": body})

    async def top_items(self, request: web.Request) -> web.Response:
        """GET /me/top/{artists|tracks}."""
        user = self.authenticate(request, SCOPE_TOP_READ)
        kind = request.match_info["kind"]
        if kind not in {"artists", "tracks"}:
            raise ApiError(404, "Service not found")
        limit, offset = self._paging(request)
        time_range = request.query.get("time_range", "medium_term")
        if time_range not in TIME_RANGES:
            raise bad_request("Invalid time_range")
        ids = user.top_artist_ids if kind == "artists" else user.top_track_ids
        # Each time range sees the same favourites in a different order.
        shift = TIME_RANGES.index(time_range) * 3
        ids = ids[shift:] + ids[:shift] if ids else ids
        shapes = self.shapes(request)
        cat = self.world.catalogue
        items = [
            shapes.artist(cat.artists[i])
            if kind == "artists"
            else shapes.track(cat.tracks[i])
            for i in ids[offset : offset + limit]
        ]
        return web.json_response(
            shapes.page(
                f"/me/top/{kind}",
                items,
                total=len(ids),
                limit=limit,
                offset=offset,
                params={"time_range": time_range},
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

    # -------------------------------------------------------------- catalogue

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
        limit = self._int_or(request, "limit", 5)
        offset = self._int_or(request, "offset", 0)
        if not 1 <= limit <= SEARCH_MAX_LIMIT:
            raise bad_request("Invalid limit")
        if not 0 <= offset <= SEARCH_MAX_OFFSET:
            raise bad_request("Invalid offset")
        needle = query.lower()
        shapes = self.shapes(request)
        cat = self.world.catalogue
        result: JSON = {}
        for t in types:
            found: list[JSON]
            if t == "track":
                tracks = [
                    x
                    for x in cat.tracks.values()
                    if self._hit(needle, x.name, x.artist_ids)
                ]
                found = [shapes.track(x) for x in tracks]
            elif t == "album":
                found = [
                    shapes.simplified_album(x)
                    for x in cat.albums.values()
                    if self._hit(needle, x.name, x.artist_ids)
                ]
            elif t == "artist":
                found = [
                    shapes.artist(x)
                    for x in cat.artists.values()
                    if needle in x.name.lower()
                ]
            elif t == "playlist":
                found = [
                    shapes.simplified_playlist(x, self._owner_name(x.owner_id))
                    for x in cat.playlists.values()
                    if x.public and needle in x.name.lower()
                ]
            elif t == "show":
                found = [
                    shapes.simplified_show(x)
                    for x in cat.shows.values()
                    if needle in x.name.lower()
                ]
            elif t == "episode":
                found = [
                    shapes.simplified_episode(x)
                    for x in cat.episodes.values()
                    if needle in x.name.lower()
                ]
            else:
                found = [
                    shapes.simplified_audiobook(x)
                    for x in cat.audiobooks.values()
                    if needle in x.name.lower()
                ]
            result[t + "s"] = shapes.page(
                "/search",
                found[offset : offset + limit],
                total=len(found),
                limit=limit,
                offset=offset,
                params={"query": query, "type": t},
            )
        return web.json_response(result)

    def _hit(self, needle: str, name: str, artist_ids: tuple[str, ...]) -> bool:
        if needle in name.lower():
            return True
        return any(
            needle in self.world.catalogue.artists[a].name.lower() for a in artist_ids
        )

    async def album(self, request: web.Request) -> web.Response:
        """GET /albums/{id}."""
        self.authenticate(request)
        album = self.world.catalogue.albums.get(request.match_info["album_id"])
        if album is None:
            raise not_found()
        return web.json_response(self.shapes(request).album(album))

    async def artist(self, request: web.Request) -> web.Response:
        """GET /artists/{id}."""
        self.authenticate(request)
        artist = self.world.catalogue.artists.get(request.match_info["artist_id"])
        if artist is None:
            raise not_found()
        return web.json_response(self.shapes(request).artist(artist))

    async def artist_albums(self, request: web.Request) -> web.Response:
        """GET /artists/{id}/albums."""
        self.authenticate(request)
        artist_id = request.match_info["artist_id"]
        if artist_id not in self.world.catalogue.artists:
            raise not_found()
        limit, offset = self._paging(
            request,
            default=ARTIST_ALBUMS_DEFAULT_LIMIT,
            maximum=ARTIST_ALBUMS_MAX_LIMIT,
        )
        albums = self.world.catalogue.artist_albums(artist_id)
        groups = request.query.get("include_groups")
        params: dict[str, str] = {}
        if groups:
            wanted = {g.strip() for g in groups.split(",")}
            if not wanted <= {"album", "single", "appears_on", "compilation"}:
                raise bad_request("Invalid include_groups")
            albums = [a for a in albums if a.album_type in wanted]
            params["include_groups"] = groups
        shapes = self.shapes(request)
        items = [
            shapes.simplified_album(a, album_group=True)
            for a in albums[offset : offset + limit]
        ]
        return web.json_response(
            shapes.page(
                f"/artists/{artist_id}/albums",
                items,
                total=len(albums),
                limit=limit,
                offset=offset,
                params=params,
            )
        )

    async def show(self, request: web.Request) -> web.Response:
        """GET /shows/{id}."""
        self.authenticate(request)
        show = self.world.catalogue.shows.get(request.match_info["show_id"])
        if show is None:
            raise not_found()
        return web.json_response(self.shapes(request).show(show))

    async def show_episodes(self, request: web.Request) -> web.Response:
        """GET /shows/{id}/episodes."""
        self.authenticate(request)
        show = self.world.catalogue.shows.get(request.match_info["show_id"])
        if show is None:
            raise not_found()
        limit, offset = self._paging(request)
        shapes = self.shapes(request)
        items = [
            shapes.simplified_episode(self.world.catalogue.episodes[e])
            for e in show.episode_ids[offset : offset + limit]
        ]
        return web.json_response(
            shapes.page(
                f"/shows/{show.id}/episodes",
                items,
                total=len(show.episode_ids),
                limit=limit,
                offset=offset,
            )
        )

    async def episode(self, request: web.Request) -> web.Response:
        """GET /episodes/{id}."""
        self.authenticate(request)
        episode = self.world.catalogue.episodes.get(request.match_info["episode_id"])
        if episode is None:
            raise not_found()
        return web.json_response(self.shapes(request).episode(episode))

    async def track(self, request: web.Request) -> web.Response:
        """GET /tracks/{id}."""
        self.authenticate(request)
        track = self.world.catalogue.tracks.get(request.match_info["track_id"])
        if track is None:
            raise not_found()
        return web.json_response(self.shapes(request).track(track))
