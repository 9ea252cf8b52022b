"""Fixtures for the API client tests: a scripted Spotify server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web
import orjson
import pytest

from custom_components.spotify_player.api import SpotifyClient

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ACCESS_TOKEN = "access-token-first"
REFRESHED_TOKEN = "access-token-refreshed"


@dataclass(frozen=True, kw_only=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    body: Any
    authorization: str | None


@dataclass(kw_only=True)
class Reply:
    """A scripted response."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeSpotify:
    """Scripted Web API: replies are queued per (method, path) and recorded."""

    def __init__(self) -> None:
        """Start with no routes; unknown routes answer Spotify's 404."""
        self.received: list[Received] = []
        self._replies: dict[tuple[str, str], list[Reply | Handler]] = {}
        self.release = asyncio.Event()
        self.api_base = ""

    def reply(
        self,
        method: str,
        path: str,
        status: int = 200,
        json: Any = None,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue a reply; the last one queued for a route is repeated."""
        self._replies.setdefault((method, path), []).append(
            Reply(status=status, json=json, body=body, headers=headers or {})
        )

    def handle(self, method: str, path: str, handler: Handler) -> None:
        """Queue a custom handler (slow responses, dropped connections)."""
        self._replies.setdefault((method, path), []).append(handler)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """Count the requests received, optionally for one route."""
        return sum(
            1
            for item in self.received
            if (method is None or item.method == method)
            and (path is None or item.path == path)
        )

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        """Record the request and play the next scripted reply."""
        raw = await request.read()
        self.received.append(
            Received(
                method=request.method,
                path=request.path,
                raw_path=request.raw_path,
                query=dict(request.query),
                body=orjson.loads(raw) if raw else None,
                authorization=request.headers.get("Authorization"),
            )
        )
        queue = self._replies.get((request.method, request.path))
        if not queue:
            return web.Response(
                status=404,
                body=orjson.dumps(
                    {"error": {"status": 404, "message": "Service not found"}}
                ),
                content_type="application/json",
            )
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if not isinstance(reply, Reply):
            return await reply(request)
        if reply.body is not None:
            body = reply.body
        elif reply.json is not None:
            body = orjson.dumps(reply.json)
        else:
            body = b""
        return web.Response(status=reply.status, body=body, headers=reply.headers)


class TokenSource:
    """Token provider double: records calls; a forced refresh yields a new token."""

    def __init__(self) -> None:
        """Hand out ACCESS_TOKEN until a refresh is forced."""
        self.calls: list[bool] = []
        self.token = ACCESS_TOKEN
        self.error: Exception | None = None

    async def __call__(self, force_refresh: bool) -> str:
        """Return the current token, refreshing it when asked to."""
        self.calls.append(force_refresh)
        if self.error is not None:
            raise self.error
        if force_refresh:
            self.token = REFRESHED_TOKEN
        return self.token


@pytest.fixture
async def spotify_server(socket_enabled: None) -> AsyncIterator[FakeSpotify]:
    """Run the scripted server on an ephemeral port of 127.0.0.1."""
    fake = FakeSpotify()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.dispatch)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    fake.api_base = f"http://{host}:{port}/v1"
    yield fake
    fake.release.set()
    await runner.cleanup()


@pytest.fixture
def tokens() -> TokenSource:
    """Provide the token provider handed to the client."""
    return TokenSource()


@pytest.fixture
async def session() -> AsyncIterator[ClientSession]:
    """Provide a plain aiohttp session, closed after the test."""
    async with ClientSession() as client_session:
        yield client_session


@pytest.fixture
def client(
    spotify_server: FakeSpotify, session: ClientSession, tokens: TokenSource
) -> SpotifyClient:
    """Provide a client pointed at the scripted server."""
    return SpotifyClient(session, tokens, api_base=spotify_server.api_base)
