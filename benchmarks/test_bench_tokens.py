"""Token path under load: every waiting call shares one refresh."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import pytest

from .report import latency_ms, report
from .test_bench_playback import real_perf_counter

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.spotify_player.data import SpotifyPlayerData
    from spotify_emulator import World


@pytest.fixture
def frozen_clock() -> None:
    """Leave Home Assistant's clock running: freezegun would slow every time call."""


async def _timed(call: asyncio.Future[object] | object) -> float:
    start = real_perf_counter()
    await call  # type: ignore[misc]
    return real_perf_counter() - start


async def _storm(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    callers: int,
    *,
    home_assistant_knows: bool,
) -> None:
    """Expire the token and fire `callers` concurrent API calls."""
    data: SpotifyPlayerData = entry.runtime_data
    world.expire_access_tokens()
    if home_assistant_knows:
        token = {**entry.data["token"], "expires_at": time.time() - 1}
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, "token": token}
        )
    world.request_log.clear()

    start = real_perf_counter()
    latencies = await asyncio.gather(
        *(_timed(data.client.get_devices()) for _ in range(callers))
    )
    elapsed = real_perf_counter() - start

    token_requests = world.request_log.count(method="POST", path="/api/token")
    api_requests = world.request_log.count(path_prefix="/v1/")
    label = "expiry known" if home_assistant_knows else "401 from Spotify"
    report(
        "token storm: concurrent calls when the access token expires",
        f"{callers} calls, {label}",
        token_requests=token_requests,
        api_requests=api_requests,
        wall_ms=round(elapsed * 1000, 1),
        **{f"per_call_{key}": value for key, value in latency_ms(latencies).items()},
    )
    assert token_requests == 1


async def test_token_storm(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """100 and 1000 callers at expiry, whether HA or only Spotify knows it."""
    emulator_world.config.rate_limit_budget = 1_000_000  # measure tokens, not 429s
    for callers in (100, 1000):
        for home_assistant_knows in (True, False):
            await _storm(
                hass,
                init_integration,
                emulator_world,
                callers,
                home_assistant_knows=home_assistant_knows,
            )
