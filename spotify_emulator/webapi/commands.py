"""PUT/POST /me/player/...: the player commands (Premium only).

The handlers check the request; the world checks the devices and the session and
raises PlayerError, which answers as Spotify's error body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spotify_emulator.errors import bad_request
from spotify_emulator.order import RepeatState

from .common import Area, device_id, json_body, no_content, required, required_int

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp import web

    from spotify_emulator.users import User


class Commands(Area):
    """Transfer, play, pause, skip, seek, volume, shuffle, repeat and queue."""

    @staticmethod
    def _send(
        request: web.Request, user: User, command: Callable[..., None], *args: Any
    ) -> web.Response:
        """Run a world command for the device the request addresses."""
        command(user.id, *args, device_id=device_id(request))
        return no_content()

    async def transfer(self, request: web.Request) -> web.Response:
        """PUT /me/player."""
        user = self.premium(request)
        body = await json_body(request)
        device_ids = body.get("device_ids")
        if not isinstance(device_ids, list) or not device_ids:
            raise bad_request("Required field device_ids missing")
        if len(device_ids) != 1:
            raise bad_request("Only one device_id allowed")
        play = body.get("play")
        if play is not None and not isinstance(play, bool):
            raise bad_request("Invalid play value")
        self.world.command_transfer(user.id, str(device_ids[0]), play=play)
        return no_content()

    async def play(self, request: web.Request) -> web.Response:
        """PUT /me/player/play."""
        user = self.premium(request)
        body = await json_body(request)
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
        self.world.command_play(
            user.id,
            device_id=device_id(request),
            context_uri=context_uri,
            uris=uris,
            offset_position=offset_position,
            offset_uri=offset_uri,
            position_ms=position_ms,
        )
        return no_content()

    async def pause(self, request: web.Request) -> web.Response:
        """PUT /me/player/pause."""
        return self._send(request, self.premium(request), self.world.command_pause)

    async def next(self, request: web.Request) -> web.Response:
        """POST /me/player/next."""
        return self._send(request, self.premium(request), self.world.command_next)

    async def previous(self, request: web.Request) -> web.Response:
        """POST /me/player/previous."""
        return self._send(request, self.premium(request), self.world.command_previous)

    async def seek(self, request: web.Request) -> web.Response:
        """PUT /me/player/seek?position_ms=."""
        user = self.premium(request)
        position = required_int(request, "position_ms")
        if position < 0:
            raise bad_request("Invalid position_ms")
        return self._send(request, user, self.world.command_seek, position)

    async def volume(self, request: web.Request) -> web.Response:
        """PUT /me/player/volume?volume_percent=."""
        user = self.premium(request)
        volume = required_int(request, "volume_percent")
        if not 0 <= volume <= 100:
            raise bad_request("Invalid volume_percent")
        return self._send(request, user, self.world.command_volume, volume)

    async def shuffle(self, request: web.Request) -> web.Response:
        """PUT /me/player/shuffle?state=."""
        user = self.premium(request)
        raw = required(request, "state").lower()
        if raw not in {"true", "false"}:
            raise bad_request("Invalid state")
        return self._send(request, user, self.world.command_shuffle, raw == "true")

    async def repeat(self, request: web.Request) -> web.Response:
        """PUT /me/player/repeat?state=."""
        user = self.premium(request)
        try:
            state = RepeatState(required(request, "state"))
        except ValueError:
            raise bad_request("Invalid state") from None
        return self._send(request, user, self.world.command_repeat, state)

    async def add_to_queue(self, request: web.Request) -> web.Response:
        """POST /me/player/queue?uri=."""
        user = self.premium(request)
        uri = request.query.get("uri")
        if not uri:
            raise bad_request("Required parameter uri missing")
        return self._send(request, user, self.world.command_queue, uri)
