"""Smoke test of the core: serve, authenticate, read playback, send commands."""

from __future__ import annotations

import aiohttp

from spotify_emulator import EmulatorServer, World, seed


async def test_core_round_trip(emulator: EmulatorServer, emulator_world: World) -> None:
    """A token from issue_tokens reads /me and /me/player and controls playback."""
    grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
    headers = {"Authorization": f"Bearer {grant.access_token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(emulator.api_url + "/me") as resp:
            assert resp.status == 200
            assert (await resp.json())["id"] == seed.PREMIUM_USER_ID
        async with session.get(emulator.api_url + "/me/player") as resp:
            state = await resp.json()
            assert state["is_playing"] is True
            assert state["device"]["id"] == seed.COMPUTER_DEVICE_ID
        async with session.put(emulator.api_url + "/me/player/pause") as resp:
            assert resp.status == 204
        async with session.get(emulator.api_url + "/me/player/devices") as resp:
            assert len((await resp.json())["devices"]) == 5
