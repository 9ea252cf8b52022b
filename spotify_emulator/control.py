"""The control API under /_emulator/: drive the world over HTTP."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .clock import ManualClock
from .errors import PlayerError
from .faults import FaultKind
from .images import serve_image
from .order import RepeatState

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp.typedefs import Handler

    from .users import Device
    from .world import World

PREFIX = "/_emulator"

Body = dict[str, Any]
# POST /_emulator/users/{id}/playback/{action}: playback changed from another app. Each
# action is one operation of the world; its entry turns the JSON body into arguments.
APP_ACTIONS: dict[str, Callable[[World, str, Body], object]] = {
    "skip": lambda w, user, _: w.skip(user),
    "previous": lambda w, user, _: w.previous(user),
    "pause": lambda w, user, _: w.pause(user),
    "resume": lambda w, user, _: w.resume(user),
    "stop": lambda w, user, _: w.stop_playback(user),
    "device": lambda w, user, body: w.switch_device(
        user, body.get("device_id"), name=body.get("name")
    ),
    "ad": lambda w, user, body: w.start_ad(user, body.get("duration_ms")),
    "episode": lambda w, user, body: w.play_episode(
        user, body.get("uri"), position_ms=int(body.get("position_ms", 0))
    ),
    "volume": lambda w, user, body: w.set_volume_from_app(
        user, int(body["volume_percent"])
    ),
    "queue": lambda w, user, body: w.playback(user).add_to_queue(str(body["uri"])),
    "shuffle": lambda w, user, body: w.playback(user).set_shuffle(bool(body["state"])),
    "smart_shuffle": lambda w, user, body: w.set_smart_shuffle(
        user, bool(body["state"])
    ),
    "repeat": lambda w, user, body: w.playback(user).set_repeat(
        RepeatState(body["state"])
    ),
    "seek": lambda w, user, body: w.playback(user).seek(int(body["position_ms"])),
}


class ControlError(Exception):
    """A control request turned down, answered as {"error": message}."""

    def __init__(self, message: str, status: int = 400) -> None:
        """Store the message and the HTTP status."""
        super().__init__(message)
        self.message = message
        self.status = status


def _answering(handler: Handler) -> Handler:
    """Wrap a handler: a refusal or a PlayerError answers as {"error": message}."""

    async def answer(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (ControlError, PlayerError) as err:
            return web.json_response({"error": err.message}, status=err.status)

    return answer


def _device_state(device: Device) -> dict[str, Any]:
    return {
        "id": device.id,
        "name": device.name,
        "asleep": device.asleep,
        "wakes_at": device.wakes_at,
    }


class Control:
    """Handlers of the control API."""

    def __init__(self, world: World) -> None:
        """Serve `world`."""
        self.world = world

    def routes(self) -> list[web.RouteDef]:
        """Return the route table."""
        p = PREFIX
        table = [
            web.get(p + "/", self.index),
            web.get(p + "/images/{image_id}.png", serve_image),
            web.post(p + "/reset", self.reset),
            web.get(p + "/clock", self.clock),
            web.post(p + "/clock/advance", self.advance),
            web.get(p + "/config", self.get_config),
            web.patch(p + "/config", self.set_config),
            web.post(p + "/config", self.set_config),
            web.patch(p + "/apps/{client_id}", self.set_app),
            web.get(p + "/users", self.users),
            web.get(p + "/users/{user_id}/playback", self.playback),
            web.post(p + "/users/{user_id}/playback/{action}", self.playback_action),
            web.post(p + "/users/{user_id}/devices/{device}/wake", self.wake_device),
            web.post(p + "/users/{user_id}/devices/{device}/sleep", self.sleep_device),
            web.post(p + "/tokens", self.issue_tokens),
            web.post(p + "/tokens/expire", self.expire_tokens),
            web.post(p + "/tokens/revoke", self.revoke_tokens),
            web.get(p + "/faults", self.faults),
            web.post(p + "/faults", self.add_fault),
            web.delete(p + "/faults", self.clear_faults),
            web.get(p + "/requests", self.requests),
            web.delete(p + "/requests", self.clear_requests),
        ]
        return [web.route(r.method, r.path, _answering(r.handler)) for r in table]

    def _user_id(self, request: web.Request) -> str:
        """Return the id of the user the path names (404 if there is none)."""
        user_id = request.match_info["user_id"]
        if user_id not in self.world.users:
            raise ControlError("unknown user", 404)
        return user_id

    @staticmethod
    async def _body(request: web.Request) -> Body:
        raw = await request.read()
        if not raw.strip():
            return {}
        data = json.loads(raw)
        if not isinstance(data, dict):
            msg = "body must be a JSON object"
            raise TypeError(msg)
        return data

    async def index(self, request: web.Request) -> web.Response:
        """GET /_emulator/: what is here."""
        return web.json_response(
            {
                "accounts_url": str(request.url.origin()),
                "api_url": f"{request.url.origin()}/v1",
                "apps": [
                    {"client_id": a.client_id, "redirect_uris": a.redirect_uris}
                    for a in self.world.apps.values()
                ],
                "users": list(self.world.users),
                "routes": sorted({r.path for r in self.routes()}),
            }
        )

    async def reset(self, request: web.Request) -> web.Response:
        """POST /_emulator/reset {"seed"?}."""
        body = await self._body(request)
        seed = body.get("seed")
        if seed is not None and not isinstance(seed, int):
            raise ControlError("seed must be an integer")
        self.world.reset(seed=seed)
        return web.json_response({"seed": self.world.seed})

    async def clock(self, request: web.Request) -> web.Response:
        """GET /_emulator/clock."""
        return web.json_response(
            {
                "now": self.world.clock.now(),
                "manual": isinstance(self.world.clock, ManualClock),
            }
        )

    async def advance(self, request: web.Request) -> web.Response:
        """POST /_emulator/clock/advance {"seconds"}."""
        body = await self._body(request)
        seconds = body.get("seconds")
        if (
            not isinstance(seconds, (int, float))
            or isinstance(seconds, bool)
            or seconds < 0
        ):
            raise ControlError("seconds must be a non-negative number")
        try:
            now = self.world.advance(float(seconds))
        except TypeError as err:
            raise ControlError(str(err), 409) from None
        return web.json_response({"now": now})

    async def get_config(self, request: web.Request) -> web.Response:
        """GET /_emulator/config."""
        return web.json_response(dataclasses.asdict(self.world.config))

    async def set_config(self, request: web.Request) -> web.Response:
        """PATCH /_emulator/config {field: value, ...}."""
        body = await self._body(request)
        fields = {f.name: f for f in dataclasses.fields(self.world.config)}
        for name, value in body.items():
            if name not in fields:
                raise ControlError(f"unknown config field {name}")
            current = getattr(self.world.config, name)
            if type(value) is not type(current) and not (
                isinstance(current, float) and isinstance(value, int)
            ):
                raise ControlError(f"{name} must be {type(current).__name__}")
        for name, value in body.items():
            setattr(self.world.config, name, value)
        return web.json_response(dataclasses.asdict(self.world.config))

    async def set_app(self, request: web.Request) -> web.Response:
        """PATCH /_emulator/apps/{client_id} {"owner_premium"?, "developer"?}."""
        app = self.world.apps.get(request.match_info["client_id"])
        if app is None:
            raise ControlError("unknown app", 404)
        body = await self._body(request)
        owner_premium = body.get("owner_premium", app.owner_premium)
        developer = body.get("developer", app.developer)
        if set(body) - {"owner_premium", "developer"}:
            raise ControlError("only owner_premium and developer can change")
        if not isinstance(owner_premium, bool) or not isinstance(developer, str):
            raise ControlError("owner_premium must be bool, developer str")
        app.owner_premium, app.developer = owner_premium, developer
        return web.json_response(
            {
                "client_id": app.client_id,
                "owner_premium": app.owner_premium,
                "developer": app.developer,
                "quota_used_today": self.world.quota.used(app.developer),
            }
        )

    async def users(self, request: web.Request) -> web.Response:
        """GET /_emulator/users."""
        return web.json_response(
            [
                {
                    "id": u.id,
                    "display_name": u.display_name,
                    "product": u.product,
                    "devices": [
                        {
                            "id": d.id,
                            "name": d.name,
                            "type": d.type,
                            "is_restricted": d.is_restricted,
                            "asleep": d.asleep,
                        }
                        for d in u.devices
                    ],
                }
                for u in self.world.users.values()
            ]
        )

    async def playback(self, request: web.Request) -> web.Response:
        """GET /_emulator/users/{id}/playback: the simulation's own view."""
        user = self.world.users[self._user_id(request)]
        snap = user.playback.snapshot()
        if snap is None:
            return web.json_response({"active": False})
        data = dataclasses.asdict(snap)
        data["repeat_state"] = str(snap.repeat_state)
        data["active"] = True
        data["queue"] = list(user.playback.queue)
        return web.json_response(data)

    async def playback_action(self, request: web.Request) -> web.Response:
        """POST /_emulator/users/{id}/playback/{action}: another app acts."""
        user_id = self._user_id(request)
        body = await self._body(request)
        action = APP_ACTIONS.get(request.match_info["action"])
        if action is None:
            raise ControlError("unknown action", 404)
        try:
            action(self.world, user_id, body)
        except (KeyError, ValueError) as err:
            raise ControlError(f"bad body: {err}") from None
        return web.Response(status=204)

    async def wake_device(self, request: web.Request) -> web.Response:
        """POST /_emulator/users/{id}/devices/{key or id}/wake {"delay"?, "new_id"?}.

        What a smart plug or an AVR's power button does: the device re-joins Spotify
        Connect `delay` seconds later (default: the wake_delay config).
        """
        user_id = self._user_id(request)
        body = await self._body(request)
        delay, new_id = body.get("delay"), body.get("new_id", False)
        if delay is not None and (
            not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0
        ):
            raise ControlError("delay must be a non-negative number")
        if not isinstance(new_id, bool):
            raise ControlError("new_id must be bool")
        device = self.world.wake_device(
            user_id,
            request.match_info["device"],
            delay=None if delay is None else float(delay),
            new_id=new_id,
        )
        return web.json_response(_device_state(device))

    async def sleep_device(self, request: web.Request) -> web.Response:
        """POST /_emulator/users/{id}/devices/{key or id}/sleep: standby."""
        device = self.world.sleep_device(
            self._user_id(request), request.match_info["device"]
        )
        return web.json_response(_device_state(device))

    async def issue_tokens(self, request: web.Request) -> web.Response:
        """POST /_emulator/tokens {"user_id", "scopes"?}: skip the browser dance."""
        body = await self._body(request)
        user_id = body.get("user_id")
        if not isinstance(user_id, str) or user_id not in self.world.users:
            raise ControlError("unknown user")
        scopes = body.get("scopes")
        if isinstance(scopes, str):
            scopes = scopes.split()
        grant = self.world.issue_tokens(user_id, scopes)
        return web.json_response(grant.as_json())

    async def expire_tokens(self, request: web.Request) -> web.Response:
        """POST /_emulator/tokens/expire {"user_id"?}."""
        body = await self._body(request)
        return web.json_response(
            {"expired": self.world.expire_access_tokens(body.get("user_id"))}
        )

    async def revoke_tokens(self, request: web.Request) -> web.Response:
        """POST /_emulator/tokens/revoke {"user_id"?}."""
        body = await self._body(request)
        return web.json_response(
            {"revoked": self.world.revoke_refresh_tokens(body.get("user_id"))}
        )

    async def faults(self, request: web.Request) -> web.Response:
        """GET /_emulator/faults."""
        return web.json_response([f.as_json() for f in self.world.faults.pending])

    async def add_fault(self, request: web.Request) -> web.Response:
        """POST /_emulator/faults {"kind", "path_prefix", "method", "count", ...}."""
        body = await self._body(request)
        try:
            fault = self.world.faults.add(
                FaultKind(body.get("kind", "status")),
                path_prefix=str(body.get("path_prefix", "/")),
                method=body.get("method"),
                count=int(body.get("count", 1)),
                status=int(body.get("status", 500)),
                body=body.get("body"),
                headers={
                    str(k): str(v) for k, v in (body.get("headers") or {}).items()
                },
                delay=float(body.get("delay", 0.0)),
            )
        except (TypeError, ValueError) as err:
            raise ControlError(str(err)) from None
        return web.json_response(fault.as_json(), status=201)

    async def clear_faults(self, request: web.Request) -> web.Response:
        """DELETE /_emulator/faults."""
        self.world.faults.clear()
        return web.Response(status=204)

    async def requests(self, request: web.Request) -> web.Response:
        """GET /_emulator/requests[?clear=1]."""
        log = self.world.request_log
        entries = (
            log.clear() if request.query.get("clear") in {"1", "true"} else log.entries
        )
        return web.json_response([e.as_json() for e in entries])

    async def clear_requests(self, request: web.Request) -> web.Response:
        """DELETE /_emulator/requests."""
        self.world.request_log.clear()
        return web.Response(status=204)
