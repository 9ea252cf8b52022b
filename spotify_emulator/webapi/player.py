"""GET /me/player/...: what is playing, where, what comes next and what played."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from spotify_emulator.errors import bad_request

from .common import (
    SCOPE_PLAYBACK_READ,
    SCOPE_RECENTLY_PLAYED,
    Area,
    include_episodes,
    no_content,
    query_int,
    query_int_or,
)

if TYPE_CHECKING:
    from spotify_emulator.shapes import JSON

QUEUE_LENGTH = 20


class Player(Area):
    """Playback state, devices, the queue and recently played."""

    async def player_state(self, request: web.Request) -> web.Response:
        """GET /me/player."""
        return self._playback(request, with_device=True)

    async def currently_playing(self, request: web.Request) -> web.Response:
        """GET /me/player/currently-playing."""
        return self._playback(request, with_device=False)

    def _playback(self, request: web.Request, *, with_device: bool) -> web.Response:
        user = self.authenticate(request, SCOPE_PLAYBACK_READ)
        snap = user.playback.snapshot()
        if snap is None:
            return no_content()
        device = user.device_by_key(snap.device_key) if with_device else None
        body = self.shapes(request).playback(
            snap,
            device,
            include_episodes=include_episodes(request),
            with_device=with_device,
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

    async def queue(self, request: web.Request) -> web.Response:
        """GET /me/player/queue."""
        user = self.authenticate(request, SCOPE_PLAYBACK_READ)
        shapes = self.shapes(request)
        snap = user.playback.snapshot()
        if snap is None:
            return web.json_response({"currently_playing": None, "queue": []})
        current = user.playback.current_item()
        upcoming = [
            self.world.catalogue.playable(u)
            for u in user.playback.upcoming(QUEUE_LENGTH)
        ]
        return web.json_response(
            {
                "currently_playing": shapes.playable(current)
                if current is not None
                else None,
                "queue": [shapes.playable(p) for p in upcoming if p is not None],
            }
        )

    async def recently_played(self, request: web.Request) -> web.Response:
        """GET /me/player/recently-played (cursor paging on played_at milliseconds)."""
        user = self.authenticate(request, SCOPE_RECENTLY_PLAYED)
        limit = query_int_or(request, "limit", 20)
        after = query_int(request, "after")
        before = query_int(request, "before")
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
