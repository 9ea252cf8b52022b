"""Households: accounts linked through one Spotify app share its limits.

Spotify counts its rate-limit window per app and its Development Mode quota per
developer account; three accounts of one app (and two apps of one developer) run
against the emulator here. Requests are read from the emulator's request log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest

from spotify_emulator import FaultKind
from tests.helpers import (
    api_requests,
    call_action,
    pause_issue,
    pause_issues,
    rate_limited,
    state,
)
from tests.household_helpers import (
    CURATOR,
    PLAYERS,
    QUOTA_WAIT,
    ROBIN,
    SAM,
    async_add_account_while_paused,
    async_setup_household,
    async_update,
    enable_sensors,
    quota_exceeded,
    sensor_id,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World
    from tests.helpers import Tick

pytestmark = pytest.mark.usefixtures("setup_credentials")

HOUSEHOLD = [ROBIN, SAM, CURATOR]
PLAYER = "/v1/me/player"


def _local(timestamp: float) -> str:
    return dt_util.as_local(datetime.fromtimestamp(timestamp, UTC)).strftime(
        "%Y-%m-%d %H:%M"
    )


async def test_the_window_is_shared(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """A 429 met by one account: no account of the app asks inside its window."""
    entries = await async_setup_household(hass, emulator_world, HOUSEHOLD)
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", **rate_limited(60)
    )
    start = len(emulator_world.request_log)
    await async_update(hass, ROBIN)
    for user in (SAM, CURATOR):
        await async_update(hass, user)
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, "get_devices", entries[1])
    assert err.value.translation_key == "rate_limited"
    await tick(58)
    # Only the request that met the 429.
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]

    await tick(4)
    assert len(api_requests(emulator_world, start)) > 1
    assert pause_issue(hass) is None


async def test_different_apps_are_independent(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """Robin and the curator share the first app; Sam's second app keeps asking."""
    await async_setup_household(
        hass, emulator_world, HOUSEHOLD, second_app=frozenset({SAM})
    )
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", **rate_limited(60)
    )
    start = len(emulator_world.request_log)
    await async_update(hass, ROBIN)
    await async_update(hass, CURATOR)
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]
    await async_update(hass, SAM)
    assert api_requests(emulator_world, start)[1:] == [f"GET {PLAYER}"]
    assert state(hass, PLAYERS[SAM]).state != STATE_UNAVAILABLE


async def test_two_apps_of_one_developer_spend_one_quota(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """The quota runs out for both apps; each app shows one repair, its accounts."""
    await async_setup_household(
        hass, emulator_world, HOUSEHOLD, second_app=frozenset({SAM})
    )
    emulator_world.config.daily_quota = emulator_world.quota.used("developer")
    for user in HOUSEHOLD:
        await async_update(hass, user)
    accounts = sorted(
        issue.translation_placeholders["accounts"] for issue in pause_issues(hass)
    )
    assert accounts == ["Emulator Curator, Robin Emulated", "Sam Freeman"]


async def test_one_repair_for_the_app_appears_and_clears(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """QUOTA_EXCEEDED met by one account pauses all three, under one repair."""
    await async_setup_household(hass, emulator_world, HOUSEHOLD)
    quota_exceeded(emulator_world)
    start = len(emulator_world.request_log)
    until = _local(emulator_world.clock.now() + QUOTA_WAIT)
    await async_update(hass, ROBIN)
    # The others find out at their next poll, without asking Spotify.
    await tick(300)
    for user in HOUSEHOLD:
        assert state(hass, PLAYERS[user]).state == STATE_UNAVAILABLE
    issue = pause_issue(hass)
    assert issue is not None
    assert issue.translation_placeholders == {
        "accounts": "Emulator Curator, Robin Emulated, Sam Freeman",
        "until": until,
    }
    await tick(QUOTA_WAIT - 300 - 2)
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]

    await tick(300)
    assert len(api_requests(emulator_world, start)) > 1
    for user in HOUSEHOLD:
        assert state(hass, PLAYERS[user]).state != STATE_UNAVAILABLE
    assert pause_issues(hass) == []


async def test_the_sensors_show_the_pause_and_the_count(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """Every account shows until when its app is paused, and the app's total."""
    enable_sensors(hass, HOUSEHOLD)
    start = len(emulator_world.request_log)
    await async_setup_household(hass, emulator_world, HOUSEHOLD)
    for user in HOUSEHOLD:
        assert state(hass, sensor_id(user, "paused_until")).state == STATE_UNKNOWN
    quota_exceeded(emulator_world)
    now = emulator_world.clock.now()
    await async_update(hass, ROBIN)
    paused_until = datetime.fromtimestamp(now, UTC) + timedelta(seconds=QUOTA_WAIT)
    for user in HOUSEHOLD:
        shown = datetime.fromisoformat(
            state(hass, sensor_id(user, "paused_until")).state
        )
        assert paused_until <= shown <= paused_until + timedelta(seconds=2)

    await tick(60)
    total = len(api_requests(emulator_world, start))
    counts = []
    for user in HOUSEHOLD:
        count = state(hass, sensor_id(user, "requests_24h"))
        assert count.attributes["app_requests_24h"] == total
        counts.append(int(count.state))
    assert sum(counts) == total
    assert min(counts) > 0

    await tick(QUOTA_WAIT)
    for user in HOUSEHOLD:
        assert state(hass, sensor_id(user, "paused_until")).state == STATE_UNKNOWN


async def test_a_setup_retry_sends_nothing_inside_the_pause(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """An account set up (or retried) while its app is paused waits without asking."""
    sam, start = await async_add_account_while_paused(hass, emulator_world)
    assert sam.state is ConfigEntryState.SETUP_RETRY
    assert sam.error_reason_translation_key == "rate_limit_pause"
    issue = pause_issue(hass)
    assert issue is not None
    assert issue.translation_placeholders["accounts"] == "Robin Emulated, Sam Freeman"
    # Home Assistant retries setup on its back-off: none of it reaches Spotify.
    for _ in range(8):
        await tick(400)
    assert sam.state is ConfigEntryState.SETUP_RETRY
    assert api_requests(emulator_world, start) == []

    # The quota comes back at the next UTC midnight.
    now = emulator_world.clock.now()
    await tick((now // 86_400 + 1) * 86_400 - now + 400)
    assert sam.state is ConfigEntryState.LOADED
    assert pause_issues(hass) == []


async def test_the_repair_outlives_the_accounts_until_the_window_ends(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """Unloaded inside the pause, the app stays paused; its end clears the repair.

    A reload inside the window must not ask Spotify, so the pause is kept after the
    last account has gone; when Spotify's time is up nothing is left behind.
    """
    entries = await async_setup_household(hass, emulator_world, [ROBIN, SAM])
    quota_exceeded(emulator_world)
    await async_update(hass, ROBIN)
    assert pause_issue(hass) is not None
    for entry in entries:
        assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert pause_issue(hass) is not None

    await tick(QUOTA_WAIT + 2)
    assert pause_issues(hass) == []
