"""The playing account over a simulated hour: request budget, staleness, memory.

Home Assistant's clock is frozen and moved together with the emulator's, so an hour
takes seconds. Command latency is measured on the real clock.
"""

from __future__ import annotations

from collections import Counter
import time
import tracemalloc
from typing import TYPE_CHECKING

from homeassistant.components.media_player import (
    ATTR_MEDIA_VOLUME_LEVEL,
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    SERVICE_VOLUME_SET,
)
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_MEDIA_NEXT_TRACK
import pytest

from tests.helpers import ENTITY_ID, USER, Tick, api_requests, state

from .report import latency_ms, report

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

HOUR = 3600
PLAYER = "/v1/me/player"
DEVICES = "/v1/me/player/devices"


def real_perf_counter() -> float:
    """Wall-clock seconds; the freezer stops time.perf_counter and freezegun's copy."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


STEP = 0.5  # seconds of simulated time per step: the resolution of staleness


def _growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot) -> float:
    """KiB held at the end, beyond the start, by memory the integration allocated.

    The test harness grows by itself (it records every task and log line of the
    simulated steps), so only allocations made by a line of custom_components count.
    """
    ours = [tracemalloc.Filter(True, "*/custom_components/*")]
    kept = sum(s.size for s in after.filter_traces(ours).statistics("filename"))
    start = sum(s.size for s in before.filter_traces(ours).statistics("filename"))
    return (kept - start) / 1024


def _playing_uri(world: World) -> str | None:
    item = world.playback(USER).current_item()
    return None if item is None else item.uri


@pytest.mark.parametrize("activity", ["playing", "paused", "idle"])
async def test_hour_of_polling(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    activity: str,
) -> None:
    """Requests per hour by endpoint, and how long a track change goes unseen."""
    if activity == "paused":
        emulator_world.pause(USER)
    elif activity == "idle":
        emulator_world.stop_playback(USER)
    await tick(15)
    start = len(emulator_world.request_log)
    tracemalloc.start(30)
    baseline = tracemalloc.take_snapshot()

    changes = 0
    stale_steps = 0
    longest_stale = 0.0
    current_stale = 0.0
    previous = _playing_uri(emulator_world)
    for _ in range(int(HOUR / STEP)):
        await tick(STEP)
        now_playing = _playing_uri(emulator_world)
        if now_playing != previous:
            changes += 1
            previous = now_playing
        shown = state(hass).attributes.get("media_content_id")
        if activity == "playing" and shown != now_playing:
            stale_steps += 1
            current_stale += STEP
            longest_stale = max(longest_stale, current_stale)
        else:
            current_stale = 0.0

    final = tracemalloc.take_snapshot()
    tracemalloc.stop()
    requests = api_requests(emulator_world, start)
    by_endpoint = Counter(requests)
    report(
        "polling: an hour on the default options",
        activity,
        requests=len(requests),
        player_polls=by_endpoint[f"GET {PLAYER}"],
        device_lists=by_endpoint[f"GET {DEVICES}"],
        other_requests=len(requests)
        - by_endpoint[f"GET {PLAYER}"]
        - by_endpoint[f"GET {DEVICES}"],
        memory_growth_kib=round(_growth(baseline, final), 1),
    )
    if activity == "playing":
        report(
            "polling: an hour playing, what the entity shows",
            "playing",
            track_changes=changes,
            longest_showing_a_finished_track_s=longest_stale,
            stale_s=stale_steps * STEP,
        )
    budget = {"playing": 300, "paused": 90, "idle": 60}[activity]
    assert len(requests) <= budget


async def test_command_latency(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Wall time of a command until the entity shows it, and the confirming poll."""
    volume_latencies: list[float] = []
    for round_number in range(20):
        level = 0.3 + (round_number % 5) / 10
        start = real_perf_counter()
        await hass.services.async_call(
            MEDIA_PLAYER_DOMAIN,
            SERVICE_VOLUME_SET,
            {ATTR_ENTITY_ID: ENTITY_ID, ATTR_MEDIA_VOLUME_LEVEL: level},
            blocking=True,
        )
        volume_latencies.append(real_perf_counter() - start)
        assert state(hass).attributes[ATTR_MEDIA_VOLUME_LEVEL] == pytest.approx(level)
        await tick(2)

    next_latencies: list[float] = []
    confirm_delays: list[float] = []
    for _ in range(10):
        before = state(hass).attributes["media_content_id"]
        start = real_perf_counter()
        await hass.services.async_call(
            MEDIA_PLAYER_DOMAIN,
            SERVICE_MEDIA_NEXT_TRACK,
            {ATTR_ENTITY_ID: ENTITY_ID},
            blocking=True,
        )
        next_latencies.append(real_perf_counter() - start)
        waited = 0.0
        while state(hass).attributes["media_content_id"] == before and waited < 5:
            await tick(0.1)
            waited += 0.1
        confirm_delays.append(waited)
        assert state(hass).attributes["media_content_id"] == _playing_uri(
            emulator_world
        )
        await tick(5)

    area = "commands: wall clock, emulator in the same process"
    report(area, "volume_set until shown", **latency_ms(volume_latencies))
    report(area, "media_next_track call", **latency_ms(next_latencies))
    report(
        "commands: the confirming poll",
        "media_next_track",
        shown_after_at_most_s=round(max(confirm_delays), 1),
    )
