"""The aiohttp application and EmulatorServer."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from .accounts import Accounts
from .control import PREFIX as CONTROL_PREFIX, Control
from .errors import ApiError, error_response
from .faults import Fault, FaultKind
from .quota import DAY
from .requestlog import RequestLogEntry
from .seed import seeded_world
from .webapi import WebApi

if TYPE_CHECKING:
    from types import TracebackType

    from aiohttp.typedefs import Handler

    from .world import World

API_PREFIX = "/v1"
MALFORMED_BODY = '{"device": {"id": "truncated'


class _Dropped(web.Response):
    """Stands in for the response of a request whose connection was dropped."""

    def __init__(self) -> None:
        super().__init__(status=500)


def _fault_response(fault: Fault) -> web.StreamResponse | None:
    """Return the canned answer of a fault (None means: answer normally)."""
    if fault.kind is FaultKind.STATUS:
        if fault.body is None:
            return web.Response(status=fault.status, headers=fault.headers)
        if isinstance(fault.body, str):
            return web.Response(
                status=fault.status, text=fault.body, headers=fault.headers
            )
        return web.json_response(fault.body, status=fault.status, headers=fault.headers)
    if fault.kind is FaultKind.EMPTY:
        return web.Response(status=200, content_type="application/json")
    if fault.kind is FaultKind.MALFORMED:
        return web.Response(
            status=fault.status if fault.status != 500 else 200,
            text=MALFORMED_BODY,
            content_type="application/json",
        )
    if fault.kind is FaultKind.EXPIRED_TOKEN:
        return error_response(401, "The access token expired")
    if fault.kind is FaultKind.REVOKED_REFRESH_TOKEN:
        return web.json_response(
            {"error": "invalid_grant", "error_description": "Refresh token revoked"},
            status=400,
        )
    return None


def build_app(world: World) -> web.Application:
    """Return the aiohttp application serving `world`."""
    api = WebApi(world)

    @web.middleware
    async def emulate(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if path.startswith(CONTROL_PREFIX + "/"):
            try:
                return await handler(request)
            except (TypeError, ValueError) as err:
                return web.json_response({"error": f"bad request: {err}"}, status=400)
        status = 0
        retry_after: str | None = None
        fault = world.faults.take(request.method, request.path)
        try:
            response = await _answer(request, handler, fault)
        except web.HTTPException as err:  # /authorize redirects by raising
            status = err.status
            raise
        else:
            if not isinstance(response, _Dropped):
                status = response.status
                retry_after = response.headers.get("Retry-After")
            return response
        finally:
            world.request_log.append(
                RequestLogEntry(
                    time=world.clock.now(),
                    method=request.method,
                    path=path,
                    status=status,
                    query=request.query_string,
                    fault=None if fault is None else str(fault.kind),
                    retry_after=retry_after,
                )
            )

    async def _answer(
        request: web.Request, handler: Handler, fault: Fault | None
    ) -> web.StreamResponse:
        if fault is not None:
            if fault.kind is FaultKind.RESET:
                if request.transport is not None:
                    request.transport.abort()
                # Nothing reaches the client: the transport is already gone.
                return _Dropped()
            if fault.kind is FaultKind.DELAY:
                world.faults.hanging += 1
                try:
                    await asyncio.sleep(fault.delay)
                finally:
                    world.faults.hanging -= 1
            else:
                canned = _fault_response(fault)
                if canned is not None:
                    _keep_window(request, fault, canned)
                    return canned
        is_api = request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")
        if is_api:
            limited = _rate_limit(request)
            if limited is not None:
                return limited
        try:
            return await handler(request)
        except ApiError as err:
            return err.response()
        except web.HTTPNotFound:
            if is_api:
                return error_response(404, "Service not found")
            raise
        except web.HTTPMethodNotAllowed:
            if is_api:
                return error_response(405, "Method not allowed")
            raise

    def _rate_limit(request: web.Request) -> web.Response | None:
        config = world.config
        if config.quota_exceeded:
            return error_response(
                429,
                "API rate limit exceeded",
                "QUOTA_EXCEEDED",
                {"Retry-After": str(config.quota_retry_after)},
            )
        token = api.token_info(request)
        client_id = token.client_id if token is not None else ""
        if (wait := _daily_quota(client_id)) is not None:
            return error_response(
                429,
                "API rate limit exceeded",
                "QUOTA_EXCEEDED",
                {"Retry-After": str(wait)},
            )
        retry_after = world.rate_limiter.check(client_id)
        if retry_after is None:
            return None
        return error_response(
            429, "API rate limit exceeded", headers={"Retry-After": str(retry_after)}
        )

    def _keep_window(
        request: web.Request, fault: Fault, response: web.StreamResponse
    ) -> None:
        """Close the app's window for Retry-After after an injected 429 (no quota)."""
        if response.status != 429 or (token := api.token_info(request)) is None:
            return
        error = fault.body.get("error") if isinstance(fault.body, dict) else None
        if isinstance(error, dict) and error.get("reason") == "QUOTA_EXCEEDED":
            return
        try:
            seconds = float(response.headers.get("Retry-After", ""))
        except ValueError:
            return
        world.rate_limiter.close(token.client_id, min(seconds, DAY))

    def _daily_quota(client_id: str) -> int | None:
        """Charge the app's developer account; Retry-After once its day is spent."""
        app = world.apps.get(client_id)
        if not world.config.development_mode or app is None:
            return None
        return world.quota.check(app.developer)

    app = web.Application(middlewares=[emulate])
    app.add_routes(Accounts(world).routes())
    app.add_routes(api.routes())
    app.add_routes(Control(world).routes())
    return app


class EmulatorServer:
    """Runs the emulator on a TCP port; port 0 picks a free one."""

    def __init__(
        self, world: World | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        """Prepare (but do not start) a server for `world` (default: a seeded world)."""
        self.world = world if world is not None else seeded_world()
        self.host = host
        self._requested_port = port
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        """Return the base URL (accounts service and control API live here)."""
        if self.port is None:
            msg = "the emulator is not running"
            raise RuntimeError(msg)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Return the Web API base URL (url + "/v1")."""
        return self.url + API_PREFIX

    async def start(self) -> None:
        """Start serving."""
        if self._runner is not None:
            return
        runner = web.AppRunner(
            build_app(self.world), access_log=None, handle_signals=False
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        await site.start()
        self._runner = runner
        address: Any = runner.addresses[0]
        self.port = int(address[1])

    async def close(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self.port = None

    async def __aenter__(self) -> Self:
        """Start on entry."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close on exit."""
        await self.close()
