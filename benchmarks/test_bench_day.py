"""A simulated day of one account: Web API requests against the daily quota.

Since July 2026 Spotify's Development Mode quota is daily and belongs to the developer
account, so what one Home Assistant spends in a day matters. The day: 3 hours
playing, 2 hours paused, 19 hours idle. Home Assistant's clock is frozen and moved
with the emulator's, so the day takes seconds of wall time.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from spotify_emulator import RepeatState
from tests.helpers import USER, Tick

from .report import report

if TYPE_CHECKING:
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

HOUR = 3600
DAY_TARGET = 1500
IDLE_TARGET_PER_HOUR = 15
IDLE_SETTLING = 600  # the first 10 minutes idle still poll at the normal pace
PLAYING_STEP = 1.0  # fine enough for the exact refresh at each track end
QUIET_STEP = 5.0


def _indices(world: World) -> int:
    return len(world.request_log)


def _between(world: World, first: int, last: int | None = None) -> list[str]:
    """Web API requests of the log entries [first:last] (token requests left out)."""
    return [
        f"{entry.method} {entry.path}"
        for entry in world.request_log.entries[first:last]
        if entry.path.startswith("/v1/")
    ]


async def _spend(tick: Tick, seconds: float, step: float) -> None:
    for _ in range(round(seconds / step)):
        await tick(step)


async def test_day_of_requests(
    tick: Tick, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Requests per phase and per day, and idle requests per hour once settled."""
    # The seeded playlist would end after about 80 minutes; keep it going.
    emulator_world.command_repeat(USER, RepeatState.CONTEXT)
    await tick(15)
    start = _indices(emulator_world)

    await _spend(tick, 3 * HOUR, PLAYING_STEP)
    paused_at = _indices(emulator_world)
    emulator_world.pause(USER)
    await _spend(tick, 2 * HOUR, QUIET_STEP)
    idle_at = _indices(emulator_world)
    emulator_world.stop_playback(USER)
    await _spend(tick, IDLE_SETTLING, QUIET_STEP)
    settled_at = _indices(emulator_world)
    await _spend(tick, 19 * HOUR - IDLE_SETTLING, QUIET_STEP)

    playing = _between(emulator_world, start, paused_at)
    paused = _between(emulator_world, paused_at, idle_at)
    idle = _between(emulator_world, idle_at)
    settled = _between(emulator_world, settled_at)
    day = _between(emulator_world, start)
    idle_per_hour = len(settled) / ((19 * HOUR - IDLE_SETTLING) / HOUR)
    counted = init_integration.runtime_data.client.stats.last_24h.count()
    report(
        "a day: 3 h playing, 2 h paused, 19 h idle",
        "this run",
        requests_per_day=f"{len(day)} (target <= {DAY_TARGET})",
        playing_3_h=len(playing),
        paused_2_h=len(paused),
        idle_19_h=len(idle),
        idle_per_hour_after_the_first_10_minutes=(
            f"{idle_per_hour:.1f} (target <= {IDLE_TARGET_PER_HOUR})"
        ),
        by_endpoint=", ".join(f"{k}: {v}" for k, v in Counter(day).most_common()),
        rolling_24_h_count_in_diagnostics=counted,
    )
    assert len(day) <= DAY_TARGET
    assert idle_per_hour <= IDLE_TARGET_PER_HOUR
    # The diagnostics count saw the same day (setup's requests fell out of it).
    assert abs(counted - len(day)) <= 5
