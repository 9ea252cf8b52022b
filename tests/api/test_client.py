"""Authentication, error mapping, transport failures and paging over real HTTP."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

from aiohttp import ClientSession, web
import pytest

from custom_components.spotify_player.api import (
    Page,
    PlaylistItem,
    RateLimitGate,
    SpotifyAuthenticationError,
    SpotifyClient,
    SpotifyConnectionError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyInsufficientScopeError,
    SpotifyMalformedResponseError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyPremiumRequiredError,
    SpotifyRateLimitedError,
    SpotifyResponseError,
    SpotifyServerError,
    SpotifyTokenRejectedError,
    SpotifyUserNotRegisteredError,
    Track,
)

from .conftest import ACCESS_TOKEN, REFRESHED_TOKEN, FakeSpotify, TokenSource

ME = "/v1/me"
USER = {"id": "user1"}


def error_body(status: int, message: str, reason: str | None = None) -> dict[str, Any]:
    """Build a Web API error body."""
    error: dict[str, object] = {"status": status, "message": message}
    if reason is not None:
        error["reason"] = reason
    return {"error": error}


async def test_401_refreshes_once_and_retries(
    client: SpotifyClient, spotify_server: FakeSpotify, tokens: TokenSource
) -> None:
    """A 401 forces one token refresh and the request is retried with the new token."""
    spotify_server.reply("GET", ME, 401, error_body(401, "The access token expired"))
    spotify_server.reply("GET", ME, 200, USER)

    user = await client.get_current_user()

    assert user.id == "user1"
    assert tokens.calls == [False, False, True]
    assert [r.authorization for r in spotify_server.received] == [
        f"Bearer {ACCESS_TOKEN}",
        f"Bearer {REFRESHED_TOKEN}",
    ]
    assert client.stats.forced_refreshes == 1
    assert client.stats.by_status == {401: 1, 200: 1}


async def test_401_after_a_fresh_token_is_a_transient(
    client: SpotifyClient, spotify_server: FakeSpotify, tokens: TokenSource
) -> None:
    """A second 401 after the refresh is no dead grant: the refresh just worked."""
    spotify_server.reply("GET", ME, 401, error_body(401, "Invalid access token"))

    with pytest.raises(SpotifyTokenRejectedError) as err:
        await client.get_current_user()
    assert not isinstance(err.value, SpotifyAuthenticationError)

    assert err.value.status == 401
    assert err.value.message == "Invalid access token"
    assert tokens.calls == [False, False, True]
    assert spotify_server.count() == 2


async def test_401_after_another_refresh_retries_without_forcing(
    session: ClientSession, spotify_server: FakeSpotify, tokens: TokenSource
) -> None:
    """A 401 for a token that was replaced meanwhile retries with the new one."""
    spotify_server.reply("GET", ME, 401, error_body(401, "The access token expired"))
    spotify_server.reply("GET", ME, 200, USER)
    original = tokens.__call__

    async def refreshed_by_someone_else(force_refresh: bool) -> str:
        token = await original(force_refresh)
        tokens.token = REFRESHED_TOKEN  # a concurrent caller refreshed meanwhile
        return token

    client = SpotifyClient(
        session, refreshed_by_someone_else, api_base=spotify_server.api_base
    )
    await client.get_current_user()

    assert tokens.calls == [False, False]
    assert [r.authorization for r in spotify_server.received] == [
        f"Bearer {ACCESS_TOKEN}",
        f"Bearer {REFRESHED_TOKEN}",
    ]
    assert client.stats.forced_refreshes == 0


async def test_token_provider_errors_propagate(
    client: SpotifyClient, spotify_server: FakeSpotify, tokens: TokenSource
) -> None:
    """Errors of the token provider reach the caller unchanged; nothing is sent."""
    tokens.error = SpotifyAuthenticationError(
        "Refresh token revoked", status=400, reason="invalid_grant"
    )
    with pytest.raises(SpotifyAuthenticationError) as err:
        await client.get_current_user()
    assert err.value is tokens.error
    assert spotify_server.count() == 0


@pytest.mark.parametrize(
    ("status", "body", "error", "reason"),
    [
        (
            400,
            error_body(400, "Missing required field: uris"),
            SpotifyResponseError,
            None,
        ),
        (
            403,
            error_body(
                403, "Player command failed: Premium required", "PREMIUM_REQUIRED"
            ),
            SpotifyPremiumRequiredError,
            "PREMIUM_REQUIRED",
        ),
        (
            403,
            error_body(403, "Insufficient client scope"),
            SpotifyInsufficientScopeError,
            None,
        ),
        (
            403,
            error_body(
                403,
                "Check settings on developer.spotify.com/dashboard, "
                "the user may not be registered.",
            ),
            SpotifyUserNotRegisteredError,
            None,
        ),
        (
            403,
            error_body(403, "Player command failed: Restriction violated", "UNKNOWN"),
            SpotifyForbiddenError,
            "UNKNOWN",
        ),
        (
            403,
            error_body(403, "Player command failed", "VOLUME_CONTROL_DISALLOW"),
            SpotifyForbiddenError,
            "VOLUME_CONTROL_DISALLOW",
        ),
        (
            404,
            error_body(
                404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE"
            ),
            SpotifyNoActiveDeviceError,
            "NO_ACTIVE_DEVICE",
        ),
        (404, error_body(404, "Resource not found"), SpotifyNotFoundError, None),
        (500, error_body(500, "Server error"), SpotifyServerError, None),
        (502, None, SpotifyServerError, None),
        (503, b"<html>Service Unavailable</html>", SpotifyServerError, None),
        (302, None, SpotifyResponseError, None),
    ],
)
async def test_http_errors(
    client: SpotifyClient,
    spotify_server: FakeSpotify,
    *,
    status: int,
    body: dict[str, Any] | bytes | None,
    error: type[SpotifyError],
    reason: str | None,
) -> None:
    """Each HTTP error maps to its exception, with status, reason and message."""
    headers = {"Location": "https://elsewhere.example/"} if status == 302 else None
    if isinstance(body, bytes):
        spotify_server.reply("PUT", "/v1/me/player/pause", status, body=body)
    else:
        spotify_server.reply(
            "PUT", "/v1/me/player/pause", status, body, headers=headers
        )

    with pytest.raises(error) as err:
        await client.pause_playback()

    assert type(err.value) is error
    assert err.value.status == status
    assert err.value.reason == reason
    if isinstance(body, dict):
        assert err.value.message == body["error"]["message"]
    else:
        # Raw bodies are never echoed.
        assert err.value.message == f"HTTP {status}"
    assert spotify_server.count() == 1


async def test_timeout(
    session: ClientSession, spotify_server: FakeSpotify, tokens: TokenSource
) -> None:
    """A slow server raises a connection error."""

    async def slow(request: web.Request) -> web.Response:
        await spotify_server.release.wait()
        return web.json_response(USER)

    spotify_server.handle("GET", ME, slow)
    client = SpotifyClient(
        session, tokens, api_base=spotify_server.api_base, request_timeout=0.05
    )
    with pytest.raises(SpotifyConnectionError, match="Timeout") as err:
        await client.get_current_user()
    assert err.value.status is None
    assert client.stats.connection_errors == 1


async def test_connection_reset(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """A dropped connection raises a connection error."""

    async def drop(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.abort()
        return web.Response()

    spotify_server.handle("GET", ME, drop)
    with pytest.raises(SpotifyConnectionError):
        await client.get_current_user()


async def test_connection_refused(
    socket_enabled: None, session: ClientSession, tokens: TokenSource
) -> None:
    """Nothing listening raises a connection error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = SpotifyClient(session, tokens, api_base=f"http://127.0.0.1:{port}/v1")
    with pytest.raises(SpotifyConnectionError):
        await client.get_current_user()


async def test_closed_session(tokens: TokenSource) -> None:
    """A session closed under the client (Home Assistant stopping) is no crash."""
    session = ClientSession()
    await session.close()
    client = SpotifyClient(session, tokens, api_base="http://127.0.0.1:9/v1")
    with pytest.raises(SpotifyConnectionError, match="closed"):
        await client.get_current_user()
    assert client.stats.connection_errors == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<html>not json</html>",
        b"",
        b"[1, 2]",
        b'{"id": ["not", "a", "string"], "images": "nope"}',
        b'{"images": [{"url": "x", "height": "tall"}], "followers": 5}',
    ],
    ids=["html", "empty", "list", "wrong-field-types", "wrong-nested-types"],
)
async def test_malformed_responses(
    client: SpotifyClient, spotify_server: FakeSpotify, body: bytes
) -> None:
    """A body that is not JSON, or JSON of the wrong shape, is malformed."""
    spotify_server.reply("GET", ME, 200, body=body)
    with pytest.raises(SpotifyMalformedResponseError):
        await client.get_current_user()


@pytest.mark.parametrize(
    ("path", "call", "body"),
    [
        ("/v1/me/player", "get_playback_state", b'{"device": "desk"}'),
        ("/v1/me/player", "get_playback_state", b"{"),
        # Values no date or URI helper can take: they must not reach the integration.
        ("/v1/me/player", "get_playback_state", b'{"timestamp": 100000000000000000}'),
        ("/v1/me/player", "get_playback_state", b'{"timestamp": -1}'),
        ("/v1/me/player", "get_playback_state", b'{"context": {"uri": "nocolon"}}'),
        (
            "/v1/me/player/recently-played",
            "get_recently_played",
            b'{"items": [{"track": {}, "context": {"uri": "spotify:album"}}]}',
        ),
        ("/v1/me/player/devices", "get_devices", b'{"devices": "none"}'),
        ("/v1/me/player/queue", "get_queue", b'{"queue": {"a": 1}}'),
        ("/v1/me/tracks", "get_saved_tracks", b'{"items": [{"track": 3}]}'),
        ("/v1/me/player/recently-played", "get_recently_played", b'{"items": [{}]}'),
        (
            "/v1/me/playlists",
            "get_my_playlists",
            b'{"items": [{"added_at": 1}], "total": "x"}',
        ),
    ],
)
async def test_malformed_shapes_per_endpoint(
    client: SpotifyClient,
    spotify_server: FakeSpotify,
    path: str,
    call: str,
    body: bytes,
) -> None:
    """Wrong shapes never escape as KeyError, TypeError or ValueError."""
    spotify_server.reply("GET", path, 200, body=body)
    with pytest.raises(SpotifyMalformedResponseError):
        await getattr(client, call)()


def track(n: int) -> dict[str, Any]:
    """Build a minimal track."""
    return {"type": "track", "id": f"t{n}", "name": f"Track {n}"}


async def test_collect_follows_next_on_api_base(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """`next` links are resolved against api_base, whichever host they name."""
    spotify_server.reply(
        "GET",
        "/v1/me/top/tracks",
        json={
            "items": [track(1), track(2)],
            "next": "https://api.spotify.com/v1/me/top/tracks?offset=2&limit=2",
        },
    )
    spotify_server.reply(
        "GET",
        "/v1/me/top/tracks",
        json={
            "items": [track(3), None, track(4)],
            "next": "https://evil.example/v1/me/top/tracks?offset=4&limit=2",
        },
    )
    spotify_server.reply(
        "GET",
        "/v1/me/top/tracks",
        json={"items": [track(5), track(6)], "next": None},
    )
    first = await client.get_top_tracks(limit=2)

    items = await client.collect(first, Track, max_items=5)

    assert [item.id for item in items] == ["t1", "t2", "t3", "t4", "t5"]
    assert [r.query for r in spotify_server.received[1:]] == [
        {"offset": "2", "limit": "2"},
        {"offset": "4", "limit": "2"},
    ]
    assert all(r.authorization for r in spotify_server.received)


async def test_collect_stops_at_max_items(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """No request is made once enough items are collected."""
    spotify_server.reply(
        "GET",
        "/v1/me/top/tracks",
        json={"items": [track(1), track(2)], "next": f"{spotify_server.api_base}/x"},
    )
    first = await client.get_top_tracks()
    assert len(await client.collect(first, Track, max_items=2)) == 2
    assert len(await client.collect(first, Track, max_items=1)) == 1
    assert spotify_server.count() == 1


async def test_collect_unwraps_envelopes(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """Followed-artist pages stay wrapped in `artists` on every page."""
    spotify_server.reply(
        "GET",
        "/v1/me/following",
        json={
            "artists": {
                "items": [{"id": "a1"}],
                "next": "https://api.spotify.com/v1/me/following?type=artist&after=a1",
            }
        },
    )
    spotify_server.reply(
        "GET",
        "/v1/me/following",
        json={"artists": {"items": [{"id": "a2"}], "next": None}},
    )
    first = await client.get_followed_artists()
    artists = await client.collect(first, type(first.items[0]), max_items=10)
    assert [a.id for a in artists] == ["a1", "a2"]
    assert spotify_server.received[1].query == {"type": "artist", "after": "a1"}


async def test_collect_playlist_items_from_nested_page(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """The page embedded in a playlist can be continued too; loops are cut."""
    loop = "https://api.spotify.com/v1/playlists/pl1/items?offset=1&limit=1"
    spotify_server.reply(
        "GET",
        "/v1/playlists/pl1",
        json={"id": "pl1", "items": {"items": [{"item": track(1)}], "next": loop}},
    )
    spotify_server.reply(
        "GET",
        "/v1/playlists/pl1/items",
        json={"items": [{"item": track(2)}], "next": loop},
    )
    playlist = await client.get_playlist("pl1")
    assert isinstance(playlist.items, Page)
    items = await client.collect(playlist.items, PlaylistItem, max_items=10)
    assert [i.item.id for i in items if i.item] == ["t1", "t2"]
    assert spotify_server.count() == 2


async def test_collect_stops_on_empty_page(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """An empty continuation page ends paging even if it links further."""
    spotify_server.reply(
        "GET",
        "/v1/me/top/tracks",
        json={
            "items": [track(1)],
            "next": f"{spotify_server.api_base}/me/top/tracks?p=2",
        },
    )
    spotify_server.reply(
        "GET",
        "/v1/me/top/tracks",
        json={"items": [], "next": f"{spotify_server.api_base}/me/top/tracks?p=3"},
    )
    first = await client.get_top_tracks()
    assert len(await client.collect(first, Track, max_items=10)) == 1
    assert spotify_server.count() == 2


@pytest.mark.parametrize(
    "reply",
    [
        {"items": "nope", "next": None},
        {"items": [{"id": 5}], "next": 7},
        {"unrelated": True, "other": 1},
        {"items": [{"duration_ms": "long"}], "next": None},
    ],
)
async def test_collect_malformed_next_page(
    client: SpotifyClient, spotify_server: FakeSpotify, reply: dict[str, Any]
) -> None:
    """A broken continuation page raises a malformed-response error."""
    spotify_server.reply(
        "GET",
        "/v1/me/top/tracks",
        json={
            "items": [track(1)],
            "next": f"{spotify_server.api_base}/me/top/tracks?o=1",
        },
    )
    spotify_server.reply("GET", "/v1/me/top/tracks", json=reply)
    first = await client.get_top_tracks()
    with pytest.raises(SpotifyMalformedResponseError):
        await client.collect(first, Track, max_items=10)


@pytest.mark.parametrize("link", ["https://api.spotify.com/v2/me/tracks", "http://["])
async def test_collect_rejects_links_outside_api(
    client: SpotifyClient, spotify_server: FakeSpotify, link: str
) -> None:
    """Links that do not point into the Web API are refused, not followed."""
    spotify_server.reply("GET", "/v1/me/top/tracks", json={"items": [], "next": link})
    first = await client.get_top_tracks()
    with pytest.raises(SpotifyMalformedResponseError):
        await client.collect(first, Track, max_items=10)
    assert spotify_server.count() == 1


async def test_no_secret_in_logs_or_errors(
    session: ClientSession,
    spotify_server: FakeSpotify,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Tokens and the Authorization header never reach logs or exception text."""
    secret = "sEcReT-t0ken-value"

    async def token_provider(force_refresh: bool) -> str:
        return f"{secret}-{int(force_refresh)}"

    async def drop(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.abort()
        return web.Response()

    async def echo_auth(request: web.Request) -> web.Response:
        # A hostile server echoing the header back must not leak it either.
        return web.Response(
            status=500, text=f"bad token {request.headers['Authorization']}"
        )

    spotify_server.reply("GET", ME, 401, error_body(401, "Invalid access token"))
    spotify_server.reply(
        "GET", "/v1/me/player", 429, error_body(429, "API rate limit exceeded")
    )
    spotify_server.handle("GET", "/v1/me/player/devices", drop)
    spotify_server.handle("GET", "/v1/me/player/queue", echo_auth)
    spotify_server.reply("GET", "/v1/me/tracks", 200, body=b"not json")
    now = [0.0]
    client = SpotifyClient(
        session,
        token_provider,
        api_base=spotify_server.api_base,
        rate_limit_gate=RateLimitGate(clock=lambda: now[0]),
    )
    caplog.set_level(logging.DEBUG)

    errors: list[SpotifyError] = []
    for call in (
        client.get_current_user,
        client.get_playback_state,
        client.get_devices,
        client.get_queue,
        client.get_saved_tracks,
    ):
        with pytest.raises(SpotifyError) as err:
            await call()
        errors.append(err.value)
        now[0] += 3600  # let any rate limit pass

    assert len(errors) == 5
    assert caplog.records, "expected debug logging of requests"
    texts = [caplog.text, *map(str, errors), *map(repr, errors)]
    texts += [str(e.__cause__) for e in errors if e.__cause__]
    for text in texts:
        assert secret not in text
        assert "Bearer" not in text
        assert "Authorization" not in text


async def test_concurrent_calls_share_gate(
    client: SpotifyClient, spotify_server: FakeSpotify
) -> None:
    """Calls racing a 429 are refused once the gate closes."""
    spotify_server.reply("GET", ME, 429, headers={"Retry-After": "10"})
    results = await asyncio.gather(
        client.get_current_user(), client.get_current_user(), return_exceptions=True
    )
    assert all(isinstance(r, SpotifyRateLimitedError) for r in results)
    with pytest.raises(SpotifyRateLimitedError):
        await client.get_current_user()
    assert spotify_server.count() == 2
