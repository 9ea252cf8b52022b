"""Web API client against the emulator: throughput, latency, parsing and memory."""

from __future__ import annotations

import asyncio
import time
import tracemalloc

from aiohttp import ClientSession
import orjson

from custom_components.spotify_player.api import (
    PlaybackState,
    PlaylistItemPage,
    SpotifyClient,
)
from spotify_emulator import EmulatorServer, World, seed

from .report import latency_ms, report

SEQUENTIAL_CALLS = 300
CONCURRENT_CALLS = 300
PARSE_ROUNDS = 2000


async def _client(
    session: ClientSession, world: World, server: EmulatorServer
) -> SpotifyClient:
    grant = world.issue_tokens(seed.PREMIUM_USER_ID)

    async def token_provider(_force_refresh: bool) -> str:
        return grant.access_token

    return SpotifyClient(session, token_provider, api_base=server.api_url)


async def test_client_throughput(
    emulator: EmulatorServer, emulator_world: World
) -> None:
    """Sequential and concurrent GET /v1/me/player round trips."""
    emulator_world.config.rate_limit_budget = 1_000_000  # measure speed, not 429s
    async with ClientSession() as session:
        client = await _client(session, emulator_world, emulator)
        await client.get_playback_state()  # warm the connection pool

        latencies = []
        start = time.perf_counter()
        for _ in range(SEQUENTIAL_CALLS):
            call_start = time.perf_counter()
            assert await client.get_playback_state() is not None
            latencies.append(time.perf_counter() - call_start)
        sequential = time.perf_counter() - start

        start = time.perf_counter()
        states = await asyncio.gather(
            *(client.get_playback_state() for _ in range(CONCURRENT_CALLS))
        )
        concurrent = time.perf_counter() - start

    assert all(state is not None for state in states)
    area = "client: GET /v1/me/player against the emulator (same process)"
    report(
        area,
        f"{SEQUENTIAL_CALLS} one after another",
        requests_per_s=round(SEQUENTIAL_CALLS / sequential),
        **latency_ms(latencies),
    )
    report(
        area,
        f"{CONCURRENT_CALLS} at once",
        requests_per_s=round(CONCURRENT_CALLS / concurrent),
    )


async def test_model_parsing(emulator: EmulatorServer, emulator_world: World) -> None:
    """Parse cost and retained memory of the two hottest payloads."""
    async with ClientSession() as session:
        grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
        headers = {"Authorization": f"Bearer {grant.access_token}"}
        async with session.get(
            f"{emulator.api_url}/me/player",
            params={"additional_types": "track,episode"},
            headers=headers,
        ) as response:
            playback = await response.read()
        playlist_id = emulator_world.users[seed.PREMIUM_USER_ID].playlist_ids[0]
        async with session.get(
            f"{emulator.api_url}/playlists/{playlist_id}/items",
            params={"limit": "50"},
            headers=headers,
        ) as response:
            items = await response.read()

    for name, body, model in (
        ("playback state", playback, PlaybackState),
        ("playlist items page", items, PlaylistItemPage),
    ):
        start = time.perf_counter()
        for _ in range(PARSE_ROUNDS):
            model.from_dict(orjson.loads(body))
        per_parse = (time.perf_counter() - start) / PARSE_ROUNDS
        tracemalloc.start()
        kept = [model.from_dict(orjson.loads(body)) for _ in range(100)]
        retained, _peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(kept) == 100
        report(
            "models: parse time and memory",
            name,
            json_kib=round(len(body) / 1024, 1),
            us_per_parse=round(per_parse * 1e6),
            kib_retained_per_object=round(retained / 100 / 1024, 1),
        )
