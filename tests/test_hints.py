"""Local push hints: the playing device's linked entity says when to ask Spotify.

A real media player (tests/speaker_standin.py) follows the emulator's "Study
Computer", which plays at start, 0.3 s late, as Sonos or Cast would; it is linked
to that device. Without hints a change in the Spotify app shows at the next poll
(15 s); with them, about a second after the speaker shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_player.const import CONF_WAKE_LINKS
from custom_components.spotify_player.polling import (
    HINT_FRESH_FOR,
    HINT_SPACING,
    HINTED_PLAYING_INTERVAL,
)
from spotify_emulator import FaultKind
from tests.helpers import (
    USER,
    api_requests,
    playing_uri,
    poll_interval,
    rate_limited,
    setup_integration,
    state,
)
from tests.household_helpers import QUOTA_WAIT, quota_exceeded
from tests.speaker_standin import STANDIN, async_setup_standin

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick
    from tests.speaker_standin import FollowingSpeaker

PLAYER = "GET /v1/me/player"
COMPUTER = "Study Computer"
STEP = 0.25


@pytest.fixture
def options() -> dict[str, Any]:
    """Link the playing computer to its stand-in speaker entity."""
    return {CONF_WAKE_LINKS: {COMPUTER: STANDIN}}


@pytest.fixture
async def standin(hass: HomeAssistant, emulator_world: World) -> FollowingSpeaker:
    """Set the stand-in up, as the speaker's own integration."""
    return await async_setup_standin(hass, emulator_world, COMPUTER)


@pytest.fixture
async def hinted(
    hass: HomeAssistant,
    tick: Tick,
    standin: FollowingSpeaker,
    mock_config_entry: MockConfigEntry,
) -> MockConfigEntry:
    """Set the account up, linked to the stand-in set up before."""
    await setup_integration(hass, mock_config_entry)
    await tick(1)
    return mock_config_entry


async def _seconds_until_shown(hass: HomeAssistant, tick: Tick, world: World) -> float:
    waited = 0.0
    while state(hass).attributes.get("media_content_id") != playing_uri(world):
        assert waited < 20, "the change never showed"
        await tick(STEP)
        waited += STEP
    return waited


async def _skip_after_a_failed_poll(
    hass: HomeAssistant, tick: Tick, world: World, answer: dict[str, Any]
) -> tuple[float, list[float]]:
    """Let the routine poll meet `answer`, then skip in the app.

    Return the seconds until the skip showed, and when each later request went
    out (seconds after the failed poll).
    """
    world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me/player", method="GET", **answer
    )
    await tick(15)  # the routine poll meets the answer
    failed = next(entry for entry in world.request_log.entries if entry.fault)
    world.skip(USER)
    waited = await _seconds_until_shown(hass, tick, world)
    later = [
        entry.time - failed.time
        for entry in world.request_log.entries
        if entry.time > failed.time
    ]
    return waited, later


async def test_a_hint_refreshes_at_once(
    hass: HomeAssistant, tick: Tick, emulator_world: World, hinted: MockConfigEntry
) -> None:
    """A skip in the Spotify app shows within 2 s, one poll after the speaker's."""
    since = len(emulator_world.request_log)
    emulator_world.skip(USER)

    assert await _seconds_until_shown(hass, tick, emulator_world) <= 2
    assert api_requests(emulator_world, since) == [PLAYER]


async def test_churn_is_no_hint(
    hass: HomeAssistant, tick: Tick, emulator_world: World, hinted: MockConfigEntry
) -> None:
    """Position ticks of the linked entity (written every step) ask nothing."""
    since = len(emulator_world.request_log)
    positions = set()
    for _ in range(40):  # 10 s, inside the 15 s poll
        await tick(STEP)
        positions.add(state(hass, STANDIN).attributes.get("media_position"))

    assert len(positions) > 5
    assert api_requests(emulator_world, since) == []


async def test_a_hint_inside_retry_after_waits(
    hass: HomeAssistant, tick: Tick, emulator_world: World, hinted: MockConfigEntry
) -> None:
    """Rate limited for 10 s: the hint sends nothing until Retry-After is over.

    Then it refreshes at once, before the routine poll 15 s after the 429.
    """
    waited, later = await _skip_after_a_failed_poll(
        hass, tick, emulator_world, rate_limited(10)
    )
    assert later
    assert min(later) >= 10
    # Retry-After ends 10 s after the 429 (+1 s margin), not at the poll 15 s on.
    assert waited <= 10 + 1 + 1


async def test_hints_in_a_burst_are_coalesced(
    hass: HomeAssistant, tick: Tick, emulator_world: World, hinted: MockConfigEntry
) -> None:
    """Three skips half a second apart: two refreshes, 2 s apart, show the last.

    After a first hint the routine poll stretches, so the budget holds the tokens
    and only the spacing shapes the burst.
    """
    emulator_world.skip(USER)
    await _seconds_until_shown(hass, tick, emulator_world)
    await tick(40)
    since = len(emulator_world.request_log)
    for _ in range(3):
        emulator_world.skip(USER)
        await tick(STEP)
        await tick(STEP)
    for _ in range(round(6 / STEP)):  # nothing more comes of the burst
        await tick(STEP)

    assert state(hass).attributes["media_content_id"] == playing_uri(emulator_world)
    times = [
        entry.time
        for entry in emulator_world.request_log.entries[since:]
        if f"{entry.method} {entry.path}" == PLAYER
    ]
    assert len(times) == 2
    # Spaced from the first refresh's planned time, which ran a step late; and
    # async_fire_time_changed runs timers up to half a second early.
    assert HINT_SPACING - STEP - 0.5 <= times[1] - times[0] <= HINT_SPACING + STEP


async def test_a_hint_inside_a_quota_pause_asks_nothing(
    hass: HomeAssistant, tick: Tick, emulator_world: World, hinted: MockConfigEntry
) -> None:
    """The daily quota is spent: the speaker's changes wait for Spotify's time.

    Then one poll shows them; the hints add none beside it.
    """
    quota_exceeded(emulator_world)
    await tick(15)  # the routine poll meets QUOTA_EXCEEDED
    since = len(emulator_world.request_log)
    for _ in range(3):
        emulator_world.skip(USER)
        await tick(20)
    assert api_requests(emulator_world, since) == []

    await tick(QUOTA_WAIT - 60)
    for _ in range(round(10 / STEP)):
        await tick(STEP)
    assert api_requests(emulator_world, since).count(PLAYER) == 1
    assert state(hass).attributes["media_content_id"] == playing_uri(emulator_world)


async def test_the_poll_stretches_only_while_hints_arrive(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    standin: FollowingSpeaker,
    hinted: MockConfigEntry,
) -> None:
    """60 s between routine polls after a hint; 15 s again once they stop."""
    assert poll_interval(hinted) == 15
    emulator_world.skip(USER)
    await _seconds_until_shown(hass, tick, emulator_world)
    await tick(2)
    assert poll_interval(hinted) == HINTED_PLAYING_INTERVAL

    # The speaker's integration goes quiet: ten minutes on, the option again.
    standin.following = False
    for _ in range(round(HINT_FRESH_FOR / HINTED_PLAYING_INTERVAL) + 1):
        await tick(HINTED_PLAYING_INTERVAL)
    assert poll_interval(hinted) == 15


@pytest.mark.parametrize("options", [{CONF_WAKE_LINKS: {"Pocket Phone": STANDIN}}])
async def test_no_hint_from_a_device_that_does_not_play(
    hass: HomeAssistant, tick: Tick, emulator_world: World, hinted: MockConfigEntry
) -> None:
    """The entity of a device that does not play is no hint: the poll shows it."""
    emulator_world.skip(USER)
    assert await _seconds_until_shown(hass, tick, emulator_world) > 10
    assert poll_interval(hinted) == 15


async def test_a_hint_while_polls_fail_asks_nothing_extra(
    hass: HomeAssistant, tick: Tick, emulator_world: World, hinted: MockConfigEntry
) -> None:
    """After a failed poll the back-off decides: the next try 2 s on, not the hint.

    The speaker shows the skip 0.3 s after the failure; a refresh then would be
    one more request to a Spotify that is failing. The retry shows the change.
    """
    waited, later = await _skip_after_a_failed_poll(
        hass, tick, emulator_world, {"status": 503}
    )
    assert later == [pytest.approx(2, abs=STEP)]
    assert waited <= 2 + STEP
