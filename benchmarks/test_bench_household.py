"""A household: three accounts linked through one Spotify app (issue 18's Targets).

Spotify closes its rate-limit window per app and spends the Development Mode quota
per developer account. These measure what the other accounts of the app send once
one of them meets a limit, how many repairs the household sees, what setup retries
send inside a pause, and what a household day costs. Home Assistant's clock is
frozen and moved with the emulator's.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
import pytest

from spotify_emulator import FaultKind, RepeatState, seed
from tests.helpers import api_requests, pause_issues, rate_limited
from tests.household_helpers import (
    CURATOR,
    QUOTA_WAIT,
    ROBIN,
    SAM,
    async_add_account_while_paused,
    async_setup_household,
    async_update,
    quota_exceeded,
)

from .report import report

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World
    from tests.helpers import Tick

pytestmark = pytest.mark.usefixtures("setup_credentials")

AREA = "households (3 accounts, one app)"
HOUSEHOLD = [ROBIN, SAM, CURATOR]
HOUR = 3600
PLAYER = "/v1/me/player"
RETRYING = 3500


async def _steps(tick: Tick, seconds: float, step: float) -> None:
    for _ in range(round(seconds / step)):
        await tick(step)


async def test_quota_met_by_one_account(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """QUOTA_EXCEEDED met by one: requests of the others inside it, repairs shown."""
    await async_setup_household(hass, emulator_world, HOUSEHOLD)
    quota_exceeded(emulator_world)
    start = len(emulator_world.request_log)
    await async_update(hass, ROBIN)
    met = len(api_requests(emulator_world, start))
    # Spotify refuses the whole app for the hour: so does the emulator from now on.
    emulator_world.config.quota_exceeded = True
    emulator_world.config.quota_retry_after = QUOTA_WAIT
    await _steps(tick, QUOTA_WAIT - 60, 30)
    inside = len(api_requests(emulator_world, start)) - met
    repairs = len(pause_issues(hass))
    report(
        AREA,
        "QUOTA_EXCEEDED met by one of 3",
        requests_by_the_others_inside_the_pause=f"{inside} (target 0)",
        repairs_shown=f"{repairs} (target 1)",
    )
    assert inside == 0
    assert repairs == 1


async def test_429_met_by_one_account(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """A 429 with Retry-After 60 s: requests of all three inside the window."""
    await async_setup_household(hass, emulator_world, HOUSEHOLD)
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", **rate_limited(60)
    )
    start = len(emulator_world.request_log)
    await async_update(hass, ROBIN)
    for user in (SAM, CURATOR):
        await async_update(hass, user)
    await _steps(tick, 58, 1)
    inside = len(api_requests(emulator_world, start))
    report(
        AREA,
        "429 (Retry-After 60 s) met by one of 3",
        requests_inside_the_60_s_window=f"{inside} (target 1)",
    )
    assert inside == 1


async def test_setup_retries_during_a_pause(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """An account of a paused app set up, then retried by Home Assistant."""
    sam, start = await async_add_account_while_paused(hass, emulator_world)
    # Home Assistant retries on its own back-off (5 s doubling, at most 10 min).
    await _steps(tick, RETRYING, 5)
    sent = len(api_requests(emulator_world, start))
    report(
        AREA,
        "setup and its retries inside a pause",
        still_retrying=sam.state is ConfigEntryState.SETUP_RETRY,
        requests_in_the_first_hour_of_retries=f"{sent} (target 0)",
    )
    assert sent == 0


async def test_household_day(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """Robin plays 3 h, Sam 1 h, the curator nothing; paused 1 h after, then idle."""
    entries = await async_setup_household(hass, emulator_world, HOUSEHOLD)
    emulator_world.command_repeat(ROBIN, RepeatState.CONTEXT)
    emulator_world.command_play(
        SAM,
        device_id=seed.FREE_PHONE_DEVICE_ID,
        context_uri=f"spotify:playlist:{seed.START_PLAYLIST_ID}",
    )
    emulator_world.command_repeat(SAM, RepeatState.CONTEXT)
    await tick(15)
    start = len(emulator_world.request_log)
    stops = {HOUR: SAM, 3 * HOUR: ROBIN}
    idles = {2 * HOUR: SAM, 4 * HOUR: ROBIN}
    elapsed = 0
    while elapsed < 24 * HOUR:
        step = 1 if elapsed < 3 * HOUR else 5
        await tick(step)
        elapsed += step
        if (user := stops.pop(elapsed, None)) is not None:
            emulator_world.pause(user)
        if (user := idles.pop(elapsed, None)) is not None:
            emulator_world.stop_playback(user)
    day = api_requests(emulator_world, start)
    per_account = {
        entry.title: entry.runtime_data.client.stats.last_24h.count()
        for entry in entries
    }
    app_total = entries[0].runtime_data.client.stats.app_24h
    report(
        AREA,
        "a household day (3 h / 1 h / 0 h of music)",
        requests_per_day=len(day),
        **{
            f"{title.split()[0].lower()}_{hours}": count
            for (title, count), hours in zip(
                per_account.items(), ("3h", "1h", "0h"), strict=True
            )
        },
        app_24h_count=app_total.count() if app_total is not None else None,
        by_endpoint=", ".join(f"{k}: {v}" for k, v in Counter(day).most_common()),
    )
    assert sum(per_account.values()) >= len(day) - 10
