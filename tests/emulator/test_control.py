"""Control API, fault injection, rate limiting, request log and the command line."""

from __future__ import annotations

import asyncio
import struct
from typing import TYPE_CHECKING, Any
import zlib

import aiohttp
import pytest

from spotify_emulator import EmulatorServer, FaultKind, RealClock, World, seed
from spotify_emulator.__main__ import build_world, parse_args
from spotify_emulator.images import cover_png

if TYPE_CHECKING:
    from spotify_emulator import RequestLog

USER = seed.PREMIUM_USER_ID


async def _json(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, url, **kwargs) as resp:
        raw = await resp.read()
        return resp.status, (await resp.json(content_type=None)) if raw else None


async def test_index_clock_and_config(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """The control API describes itself, moves the clock and edits the config."""
    ctl = emulator.url + "/_emulator"
    _, index = await _json(http, "GET", ctl + "/")
    assert index["api_url"] == emulator.api_url
    assert index["apps"][0]["client_id"] == seed.CLIENT_ID
    _, clock = await _json(http, "GET", ctl + "/clock")
    assert clock["manual"] is True
    _, moved = await _json(http, "POST", ctl + "/clock/advance", json={"seconds": 90})
    assert moved["now"] == clock["now"] + 90
    for bad in ({"seconds": -1}, {"seconds": "x"}, {"seconds": True}):
        assert (await _json(http, "POST", ctl + "/clock/advance", json=bad))[0] == 400
    assert (await _json(http, "POST", ctl + "/clock/advance", data="[1]"))[0] == 400
    assert (await _json(http, "POST", ctl + "/clock/advance", data="{bad"))[0] == 400

    _, config = await _json(
        http,
        "PATCH",
        ctl + "/config",
        json={"token_lifetime": 60, "rate_limit_window": 10},
    )
    assert (config["token_lifetime"], emulator_world.config.rate_limit_window) == (
        60,
        10,
    )
    _status, config = await _json(http, "GET", ctl + "/config")
    assert config["token_lifetime"] == 60
    assert (await _json(http, "PATCH", ctl + "/config", json={"nope": 1}))[0] == 400
    bad_type = {"token_lifetime": "long"}
    assert (await _json(http, "POST", ctl + "/config", json=bad_type))[0] == 400


async def test_app_owner_and_developer(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """PATCH /_emulator/apps/{id} switches the owner's Premium and the developer."""
    url = f"{emulator.url}/_emulator/apps/{seed.CLIENT_ID}"
    status, body = await _json(
        http, "PATCH", url, json={"owner_premium": False, "developer": "other"}
    )
    assert (status, body["owner_premium"], body["developer"]) == (200, False, "other")
    assert body["quota_used_today"] == 0
    app = emulator_world.apps[seed.CLIENT_ID]
    assert (app.owner_premium, app.developer) == (False, "other")
    for bad in ({"owner_premium": "no"}, {"developer": 1}, {"name": "x"}):
        assert (await _json(http, "PATCH", url, json=bad))[0] == 400
    missing = f"{emulator.url}/_emulator/apps/nope"
    assert (await _json(http, "PATCH", missing, json={}))[0] == 404


async def test_real_clock_cannot_advance(socket_enabled: None) -> None:
    """Only a manual clock moves on request."""
    world = seed.seeded_world(clock=RealClock())
    async with EmulatorServer(world) as server, aiohttp.ClientSession() as http:
        status, _body = await _json(
            http, "POST", server.url + "/_emulator/clock/advance", json={"seconds": 1}
        )
        assert status == 409
    with pytest.raises(RuntimeError):
        _ = server.url


async def test_reset_and_seed(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Reset rebuilds the default world; a seed changes the catalogue."""
    ctl = emulator.url + "/_emulator"
    emulator_world.config.token_lifetime = 5
    emulator_world.stop_playback(USER)
    first_track = sorted(emulator_world.catalogue.tracks)[0]
    status, body = await _json(http, "POST", ctl + "/reset")
    assert (status, body) == (200, {"seed": 0})
    assert emulator_world.snapshot(USER) is not None
    assert emulator_world.config.token_lifetime == 3600
    assert sorted(emulator_world.catalogue.tracks)[0] == first_track
    status, body = await _json(http, "POST", ctl + "/reset", json={"seed": 7})
    assert sorted(emulator_world.catalogue.tracks)[0] != first_track
    assert emulator_world.snapshot(USER) is not None
    assert (await _json(http, "POST", ctl + "/reset", json={"seed": "x"}))[0] == 400


async def test_playback_actions(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Playback changed "from another app" over HTTP."""
    base = f"{emulator.url}/_emulator/users/{USER}/playback"
    pb = emulator_world.playback(USER)
    track = next(iter(emulator_world.catalogue.tracks.values()))
    steps: list[tuple[str, dict[str, Any] | None]] = [
        ("skip", None),
        ("previous", None),
        ("pause", None),
        ("resume", None),
        ("device", {"device_id": seed.SPEAKER_DEVICE_ID}),
        ("device", {"name": seed.NULL_ID_DEVICE_NAME}),
        ("volume", {"volume_percent": 33}),
        ("queue", {"uri": track.uri}),
        ("shuffle", {"state": True}),
        ("repeat", {"state": "track"}),
        ("seek", {"position_ms": 1000}),
        ("ad", {"duration_ms": 5000}),
        ("episode", {}),
        ("stop", None),
    ]
    for action, body in steps:
        status, _ = await _json(http, "POST", f"{base}/{action}", json=body)
        assert status == 204, action
    assert not pb.active
    status, state = await _json(http, "GET", base)
    assert state == {"active": False}
    await _json(http, "POST", f"{base}/resume")
    status, state = await _json(http, "GET", base)
    assert state["active"] is True
    assert state["currently_playing_type"] == "episode"
    assert state["repeat_state"] == "track"

    assert (await _json(http, "POST", f"{base}/dance"))[0] == 404
    assert (await _json(http, "POST", f"{base}/volume", json={}))[0] == 400
    status, body = await _json(http, "POST", f"{base}/device", json={"device_id": "x"})
    assert (status, body) == (404, {"error": "Device not found"})
    missing = f"{emulator.url}/_emulator/users/ghost/playback"
    assert (await _json(http, "POST", f"{missing}/skip"))[0] == 404
    assert (await _json(http, "GET", missing))[0] == 404
    status, users = await _json(http, "GET", f"{emulator.url}/_emulator/users")
    assert {u["id"] for u in users} >= {
        USER,
        seed.FREE_USER_ID,
        seed.UNREGISTERED_USER_ID,
    }


async def test_tokens_over_http(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Tokens can be issued, expired and revoked through the control API."""
    ctl = emulator.url + "/_emulator/tokens"
    _, grant = await _json(
        http, "POST", ctl, json={"user_id": USER, "scopes": "user-read-private"}
    )
    assert grant["scope"] == "user-read-private"
    assert (await _json(http, "POST", ctl, json={"user_id": "ghost"}))[0] == 400
    _, body = await _json(http, "POST", ctl + "/expire", json={"user_id": USER})
    assert body == {"expired": 1}
    _status, body = await _json(http, "POST", ctl + "/revoke")
    assert body == {"revoked": 1}
    info = emulator_world.tokens.access_token_info(grant["access_token"])
    assert info is not None
    assert emulator_world.tokens.is_expired(info)
    assert emulator_world.tokens.revoke_refresh_token(grant["refresh_token"])
    assert not emulator_world.tokens.revoke_refresh_token("unknown")


async def test_faults(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Each fault kind hits the next N matching requests only."""
    me = emulator.api_url + "/me"
    ctl = emulator.url + "/_emulator/faults"
    status, fault = await _json(
        http,
        "POST",
        ctl,
        json={
            "kind": "status",
            "path_prefix": "/v1/me",
            "method": "get",
            "count": 2,
            "status": 503,
            "body": {"error": {"status": 503, "message": "Service unavailable"}},
            "headers": {"X-Test": "1"},
        },
    )
    assert status == 201
    assert fault["count"] == 2
    status, pending = await _json(http, "GET", ctl)
    assert len(pending) == 1
    # A different method does not match.
    async with http.put(me + "/player/pause", headers=premium_headers) as resp:
        assert resp.status == 204
    for _ in range(2):
        async with http.get(me, headers=premium_headers) as resp:
            assert resp.status == 503
            assert resp.headers["X-Test"] == "1"
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 200

    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me", status=502, body="<html>"
    )
    async with http.get(me, headers=premium_headers) as resp:
        assert (resp.status, await resp.text()) == (502, "<html>")
    emulator_world.faults.add("status", path_prefix="/v1/me", status=500)
    async with http.get(me, headers=premium_headers) as resp:
        assert (resp.status, await resp.read()) == (500, b"")

    emulator_world.faults.add(FaultKind.MALFORMED, path_prefix="/v1/me")
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 200
        with pytest.raises(ValueError, match=r"."):
            await resp.json()

    status, _ = await _json(
        http, "POST", ctl, json={"kind": "empty", "path_prefix": "/v1/me"}
    )
    assert status == 201
    async with http.get(me, headers=premium_headers) as resp:
        assert (resp.status, await resp.read()) == (200, b"")
    assert emulator_world.request_log[-1].fault == "empty"

    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me", status=429, headers={"Retry-After": "7"}
    )
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 429
    logged = emulator_world.request_log[-1].as_json()
    assert (logged["fault"], logged["retry_after"]) == ("status", "7")
    emulator_world.advance(7)  # the app's window stays closed until then

    emulator_world.faults.add(FaultKind.EXPIRED_TOKEN, path_prefix="/v1/")
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 401
        assert (await resp.json())["error"]["message"] == "The access token expired"

    emulator_world.faults.add(FaultKind.DELAY, path_prefix="/v1/me", delay=0.01)
    hanging = asyncio.ensure_future(http.get(me, headers=premium_headers))
    while not emulator_world.faults.hanging:  # noqa: ASYNC110 - set by the server
        await asyncio.sleep(0)
    async with await hanging as resp:
        assert resp.status == 200
    assert emulator_world.faults.hanging == 0

    # Two shots: aiohttp retries an idempotent request once on a reused connection.
    emulator_world.faults.add(FaultKind.RESET, path_prefix="/v1/me", count=2)
    with pytest.raises(aiohttp.ClientError):
        async with http.get(me, headers=premium_headers) as resp:
            await resp.read()
    assert emulator_world.request_log[-1].status == 0

    emulator_world.faults.add(FaultKind.REVOKED_REFRESH_TOKEN, path_prefix="/api/token")
    refresh = emulator_world.issue_tokens(USER).refresh_token
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh or "",
        "client_id": seed.CLIENT_ID,
        "client_secret": seed.CLIENT_SECRET,
    }
    status, body = await _json(http, "POST", emulator.url + "/api/token", data=form)
    assert (status, body["error_description"]) == (400, "Refresh token revoked")
    status, body = await _json(http, "POST", emulator.url + "/api/token", data=form)
    assert status == 200

    emulator_world.faults.add(FaultKind.STATUS, path_prefix="/v1/x", count=3)
    assert (await _json(http, "DELETE", ctl))[0] == 204
    assert emulator_world.faults.pending == []
    for bad in ({"kind": "explode"}, {"count": 0}, {"status": "x"}):
        assert (await _json(http, "POST", ctl, json=bad))[0] == 400


async def test_request_log(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Every non-control request is logged with its status; reading can clear."""
    log: RequestLog = emulator_world.request_log
    async with http.get(
        emulator.api_url + "/me/player?market=SE", headers=premium_headers
    ):
        pass
    async with http.get(emulator.api_url + "/me"):
        pass
    assert [(e.method, e.path, e.status) for e in log] == [
        ("GET", "/v1/me/player", 200),
        ("GET", "/v1/me", 401),
    ]
    assert log[0].query == "market=SE"
    assert log.count(method="get", path_prefix="/v1/me") == 2
    assert log.count(path="/v1/me") == 1
    assert len(log.entries) == 2
    ctl = emulator.url + "/_emulator/requests"
    _, entries = await _json(http, "GET", ctl + "?clear=1")
    assert [e["status"] for e in entries] == [200, 401]
    assert len(log) == 0
    async with http.get(emulator.api_url + "/me"):
        pass
    _status, entries = await _json(http, "GET", ctl)
    assert len(entries) == 1
    assert (await _json(http, "DELETE", ctl))[0] == 204
    assert len(log) == 0
    # A redirect is logged with its status, not as a dropped connection.
    query = {
        "client_id": seed.CLIENT_ID,
        "response_type": "code",
        "redirect_uri": seed.REDIRECT_URIS[0],
    }
    async with http.get(
        emulator.url + "/authorize", params=query, allow_redirects=False
    ) as resp:
        assert resp.status == 302
    assert [(e.path, e.status) for e in log] == [("/authorize", 302)]


async def test_rate_limit(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """A rolling window: 429 with Retry-After until the oldest request ages out."""
    emulator_world.config.rate_limit_budget = 3
    me = emulator.api_url + "/me"
    for step in range(3):
        async with http.get(me, headers=premium_headers) as resp:
            assert resp.status == 200
        emulator_world.advance(10 if step < 2 else 5)
    # Requests at t=0, 10, 20; now t=25: the first leaves the window at t=30.
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "5"
        assert await resp.json() == {
            "error": {"status": 429, "message": "API rate limit exceeded"}
        }
    assert emulator_world.rate_limiter.used(seed.CLIENT_ID) == 3
    emulator_world.advance(5)
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 200
    # The accounts service is not rate limited.
    async with http.post(emulator.url + "/api/token") as resp:
        assert resp.status == 400

    emulator_world.config.rate_limit_budget = 0
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.headers["Retry-After"] == "10"

    emulator_world.config.quota_exceeded = True
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "3600"
        assert (await resp.json())["error"]["reason"] == "QUOTA_EXCEEDED"
    emulator_world.rate_limiter.reset()
    assert emulator_world.rate_limiter.used(seed.CLIENT_ID) == 0


def test_cover_png_is_valid() -> None:
    """The generated PNG decodes to the requested size."""
    data = cover_png("abc", 8)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (8, 8)
    idat_len = struct.unpack(">I", data[33:37])[0]
    raw = zlib.decompress(data[41 : 41 + idat_len])
    assert len(raw) == 8 * (1 + 8 * 3)


async def test_images_route(
    http: aiohttp.ClientSession, emulator: EmulatorServer
) -> None:
    """Sizes are clamped; junk sizes fall back to the default."""
    for query, size in (("?size=5000", 640), ("?size=x", 300), ("", 300)):
        async with http.get(f"{emulator.url}/_emulator/images/abc.png{query}") as resp:
            data = await resp.read()
            assert struct.unpack(">II", data[16:24]) == (size, size)


def test_command_line() -> None:
    """The command line builds the configured world."""
    args = parse_args(
        [
            "--port",
            "0",
            "--manual-clock",
            "--no-auto-approve",
            "--token-lifetime",
            "60",
            "--rotate-refresh-tokens",
            "--rate-limit-budget",
            "5",
            "--no-development-mode",
            "--daily-quota",
            "7",
            "--wake-delay",
            "2.5",
            "--redirect-uri",
            "http://localhost/cb",
        ]
    )
    world = build_world(args)
    assert world.config.token_lifetime == 60
    assert world.config.auto_approve is False
    assert world.config.rotate_refresh_tokens is True
    assert world.config.rate_limit_budget == 5
    assert (world.config.development_mode, world.config.daily_quota) == (False, 7)
    assert world.config.wake_delay == 2.5
    assert world.apps[seed.CLIENT_ID].redirect_uris == ["http://localhost/cb"]
    world.advance(1)
    defaults = build_world(parse_args([]))
    assert defaults.apps[seed.CLIENT_ID].redirect_uris == list(seed.REDIRECT_URIS)
    assert defaults.config.development_mode is True
    with pytest.raises(TypeError):
        defaults.advance(1)


async def test_server_lifecycle(socket_enabled: None) -> None:
    """start() twice is harmless; close() twice too; a default world is seeded."""
    server = EmulatorServer()
    await server.start()
    await server.start()
    assert server.api_url == server.url + "/v1"
    await server.close()
    await server.close()
    ipv6 = EmulatorServer(host="::1", port=0)
    ipv6.port = 1
    assert ipv6.url == "http://[::1]:1"
    await asyncio.sleep(0)


async def test_smart_shuffle_action(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Smart shuffle can only be switched "from another app"."""
    url = f"{emulator.url}/_emulator/users/{USER}/playback/smart_shuffle"
    assert (await _json(http, "POST", url, json={"state": True}))[0] == 204
    assert emulator_world.playback(USER).smart_shuffle


async def test_sleeping_device_wakes_after_the_delay(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """A sleeping device is unknown to Spotify until woken, and joins later."""
    api, ctl = emulator.api_url, f"{emulator.url}/_emulator/users/{USER}/devices"
    sleeper = seed.SLEEPER_DEVICE_ID

    async def listed() -> list[str]:
        _, body = await _json(
            http, "GET", f"{api}/me/player/devices", headers=premium_headers
        )
        return [device["name"] for device in body["devices"]]

    assert seed.SLEEPER_DEVICE_NAME not in await listed()
    status, _ = await _json(
        http,
        "PUT",
        f"{api}/me/player",
        json={"device_ids": [sleeper]},
        headers=premium_headers,
    )
    assert status == 404
    status, woken = await _json(http, "POST", f"{ctl}/sleeper/wake", json={})
    assert (status, woken["asleep"]) == (200, True)
    emulator_world.advance(emulator_world.config.wake_delay - 0.5)
    assert seed.SLEEPER_DEVICE_NAME not in await listed()
    emulator_world.advance(0.5)
    assert seed.SLEEPER_DEVICE_NAME in await listed()
    status, _ = await _json(
        http,
        "PUT",
        f"{api}/me/player",
        json={"device_ids": [sleeper], "play": True},
        headers=premium_headers,
    )
    assert status == 204
    # Standby ends the session it held; a new id after waking, as Echo devices do.
    status, asleep = await _json(http, "POST", f"{ctl}/{sleeper}/sleep")
    assert (status, asleep["asleep"]) == (200, True)
    assert emulator_world.snapshot(USER) is None
    _, woken = await _json(
        http, "POST", f"{ctl}/sleeper/wake", json={"delay": 0, "new_id": True}
    )
    assert woken["id"] != sleeper
    assert seed.SLEEPER_DEVICE_NAME in await listed()

    for bad in ({"delay": -1}, {"delay": True}, {"new_id": "yes"}):
        assert (await _json(http, "POST", f"{ctl}/sleeper/wake", json=bad))[0] == 400
    assert (await _json(http, "POST", f"{ctl}/nothing/wake", json={}))[0] == 404
    assert (await _json(http, "POST", f"{ctl}/nothing/sleep"))[0] == 404
    ghost = f"{emulator.url}/_emulator/users/ghost/devices/sleeper"
    assert (await _json(http, "POST", f"{ghost}/wake"))[0] == 404
    assert (await _json(http, "POST", f"{ghost}/sleep"))[0] == 404


async def test_a_429_closes_the_window_of_the_app_for_every_user(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
    free_headers: dict[str, str],
) -> None:
    """Spotify keeps the window per app: the app's other users wait too."""
    other = emulator_world.add_app(
        client_id="other-app",
        client_secret="other-secret",
        redirect_uris=seed.REDIRECT_URIS,
    )
    other_grant = emulator_world.issue_tokens(
        seed.FREE_USER_ID, client_id=other.client_id
    )
    other_headers = {"Authorization": f"Bearer {other_grant.access_token}"}
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/me",
        status=429,
        headers={"Retry-After": "60"},
    )
    me = emulator.api_url + "/me"
    async with http.get(me, headers=premium_headers) as resp:
        assert resp.status == 429
    emulator_world.advance(30)
    async with http.get(me, headers=free_headers) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "30"
    # Another app of the same developer has a window of its own.
    async with http.get(me, headers=other_headers) as resp:
        assert resp.status == 200
    emulator_world.advance(30)
    async with http.get(me, headers=free_headers) as resp:
        assert resp.status == 200
