"""The adaptive playback coordinator's schedule, against the emulator with frozen time.

Poll intervals, the exact poll at a track's end, the device list's cadence, the hourly
request budget, the state kept through failures and the confirmation a second after
each command. Rate limits and refusals are in test_coordinator_errors.py.
"""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import TYPE_CHECKING

from homeassistant.const import STATE_PAUSED, STATE_PLAYING, STATE_UNAVAILABLE
import pytest
from pytest_homeassistant_custom_component.common import get_scheduled_timer_handles

from custom_components.spotify_player.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.spotify_player.polling import IDLE_INTERVAL, PAUSED_INTERVAL
from spotify_emulator import FaultKind
from tests.helpers import (
    USER,
    api_requests,
    call_player,
    poll_interval,
    release_held,
    state,
    until_held,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

PLAYER = "/v1/me/player"
DEVICES = "/v1/me/player/devices"


def _polls(world: World, since: int = 0) -> int:
    return api_requests(world, since).count(f"GET {PLAYER}")


def _seconds_left(world: World) -> float:
    """Seconds until the emulator's current item ends."""
    playback = world.playback(USER)
    item = playback.current_item()
    assert item is not None
    snapshot = world.snapshot(USER)
    assert snapshot is not None
    return (item.duration_ms - snapshot.progress_ms) / 1000


async def test_interval_follows_the_player(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """15 s while playing, 60 s paused, 120 s with no active device."""
    assert poll_interval(init_integration) == 15

    emulator_world.pause(USER)
    await tick(15)
    assert state(hass).state == STATE_PAUSED
    assert poll_interval(init_integration) >= PAUSED_INTERVAL

    emulator_world.stop_playback(USER)
    await tick(poll_interval(init_integration))
    assert state(hass).state == "idle"
    assert poll_interval(init_integration) >= IDLE_INTERVAL


@pytest.mark.parametrize("options", [{"playing_interval": 30}], ids=["30s"])
async def test_playing_interval_option(init_integration: MockConfigEntry) -> None:
    """The playing interval comes from the options."""
    assert poll_interval(init_integration) == 30


async def test_external_change_picked_up_on_next_poll(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A skip from another app shows after the next routine poll."""
    before = state(hass).attributes["media_content_id"]
    emulator_world.skip(USER)
    await tick(14)
    assert state(hass).attributes["media_content_id"] == before
    await tick(1)
    after = state(hass).attributes["media_content_id"]
    assert after != before
    assert after == emulator_world.snapshot(USER).item_uri  # type: ignore[union-attr]


async def test_track_end_picked_up_within_a_second(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """When the item ends before the next routine poll, an exact poll catches it."""
    playback = emulator_world.playback(USER)
    item = playback.current_item()
    assert item is not None
    playback.seek(item.duration_ms - 20_000)
    await tick(15)
    left = _seconds_left(emulator_world)
    assert 4 < left < 6
    first = state(hass).attributes["media_content_id"]
    polls = _polls(emulator_world)

    await tick(left - 0.2)
    assert state(hass).attributes["media_content_id"] == first
    await tick(1.0)
    assert state(hass).attributes["media_content_id"] != first
    assert _polls(emulator_world) == polls + 1


async def test_position_stays_put_between_polls(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Position is reported at Spotify's timestamp, so polls do not rewrite it."""
    before = state(hass)
    updated_at = before.attributes["media_position_updated_at"]
    await tick(15)
    after = state(hass)
    assert after.attributes["media_position_updated_at"] == updated_at
    assert after.attributes["media_position"] == before.attributes["media_position"]

    emulator_world.playback(USER).seek(100_000)
    await tick(15)
    seeked = state(hass).attributes
    assert seeked["media_position_updated_at"] != updated_at
    assert seeked["media_position"] == 100


async def test_failures_keep_the_state_then_unavailable_then_recovery(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Four failures in a row keep the last state, the fifth marks it unavailable."""
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", status=503
    )
    # aiohttp retries a GET once on a dropped keep-alive connection: two resets.
    emulator_world.faults.add(
        FaultKind.RESET, path_prefix=PLAYER, method="GET", count=2
    )
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", status=502
    )
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=PLAYER, method="GET", status=500, count=2
    )
    caplog.set_level(logging.INFO)

    for seconds in (15, 2, 5, 10):  # the first failure, then the back-off
        await tick(seconds)
        assert state(hass).state == STATE_PLAYING
    assert init_integration.runtime_data.coordinator.failures == 4
    await tick(10)
    assert state(hass).state == STATE_UNAVAILABLE

    await tick(10)
    assert state(hass).state == STATE_PLAYING
    messages = [r.getMessage() for r in caplog.records if "spotify_player" in r.name]
    assert sum("Error fetching" in m for m in messages) == 1
    assert sum("recovered" in m for m in messages) == 1


async def test_device_list_cadence(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """About every 60 s while playing and every 120 s while paused."""
    start = len(emulator_world.request_log)
    for _ in range(300):
        await tick(1)
    assert api_requests(emulator_world, start).count(f"GET {DEVICES}") in (4, 5)

    emulator_world.pause(USER)
    start = len(emulator_world.request_log)
    for _ in range(600):
        await tick(1)
    assert api_requests(emulator_world, start).count(f"GET {DEVICES}") in (4, 5)


@pytest.mark.parametrize(
    ("activity", "budget", "at_least"),
    [("playing", 300, 240), ("paused", 60, 45), ("idle", 25, 15)],
)
async def test_request_budget_over_an_hour(
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    activity: str,
    budget: int,
    at_least: int,
) -> None:
    """Count the Web API requests of a simulated hour in each state."""
    if activity == "paused":
        emulator_world.pause(USER)
    elif activity == "idle":
        emulator_world.stop_playback(USER)
    # Settle into the state, then count a full hour.
    await tick(15)
    start = len(emulator_world.request_log)
    for _ in range(3600):
        await tick(1)
    requests = api_requests(emulator_world, start)
    # Measured: 296 playing, 53 paused, 19 idle (paused slows after 30 minutes,
    # idle after 10: polling.py).
    assert len(requests) <= budget
    # The budget is not met by starving the player.
    assert len(requests) >= at_least


@pytest.mark.parametrize(
    ("options", "interval"),
    [({"playing_interval": 5}, 5), ({"playing_interval": 10}, 10)],
    ids=["5s", "10s"],
)
@pytest.mark.usefixtures("init_integration")
async def test_playing_interval_is_delivered(
    tick: Tick, emulator_world: World, interval: int
) -> None:
    """Short intervals are what they say: the budget follows the option."""
    await tick(interval)
    start = len(emulator_world.request_log)
    for _ in range(600):
        await tick(1)
    polls = api_requests(emulator_world, start).count(f"GET {PLAYER}")
    # Ten minutes: one poll per interval (track ends add a few).
    assert polls >= 600 / interval - 2


async def test_diagnostics(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Scheduling state is exposed for the diagnostics download."""
    download = await async_get_config_entry_diagnostics(hass, init_integration)
    diagnostics = download["coordinator"]
    assert diagnostics["activity"] == "playing"
    assert diagnostics["update_interval"] == 15
    assert diagnostics["consecutive_failures"] == 0
    assert diagnostics["rate_limited_until"] is None
    assert diagnostics["budget_per_hour"] == 300
    assert diagnostics["devices_known"] == 5


async def test_command_confirmed_after_a_second(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Commands sent in a row share one confirming poll (devices too, when expired)."""
    start = len(emulator_world.request_log)
    init_integration.runtime_data.devices.expire()
    confirmation = init_integration.runtime_data.confirmation
    confirmation.async_sent()
    confirmation.async_sent()
    await tick(0.4)
    assert api_requests(emulator_world, start) == []
    await tick(0.2)
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}", f"GET {DEVICES}"]
    assert timedelta(seconds=poll_interval(init_integration)) == timedelta(seconds=15)


async def test_command_confirmed_even_when_the_budget_is_spent(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """The polling budget never delays a confirmation, nor is charged for it."""

    async def budget_tokens() -> float:
        download = await async_get_config_entry_diagnostics(hass, init_integration)
        tokens: float = download["coordinator"]["budget_tokens"]
        return tokens

    for _ in range(6):
        init_integration.runtime_data.confirmation.async_sent()
        await tick(1.5)
    start = len(emulator_world.request_log)
    before = await budget_tokens()

    init_integration.runtime_data.confirmation.async_sent()
    await tick(1.5)

    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]
    assert await budget_tokens() >= before


async def test_poll_before_the_confirmation_waits_for_it(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A poll just after a command would read Spotify's state from before it.

    It sends nothing and leaves the expected state shown; the confirmation a
    second after the command still comes.
    """
    coordinator = init_integration.runtime_data.coordinator
    start = len(emulator_world.request_log)
    await call_player(hass, "media_pause")
    await coordinator.async_refresh()
    assert api_requests(emulator_world, start) == ["PUT /v1/me/player/pause"]
    assert state(hass).state == STATE_PAUSED

    await tick(1.1)
    assert api_requests(emulator_world, start) == [
        "PUT /v1/me/player/pause",
        f"GET {PLAYER}",
    ]
    assert state(hass).state == STATE_PAUSED


async def test_poll_answer_older_than_a_command_is_not_shown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A poll under way when a command goes out may answer with the state before it."""
    coordinator = init_integration.runtime_data.coordinator
    emulator_world.faults.add(
        FaultKind.DELAY, path_prefix=PLAYER, method="GET", delay=0.2
    )
    poll = hass.async_create_task(coordinator.async_refresh())
    await until_held(emulator_world)  # the poll waits in the emulator

    await call_player(hass, "media_pause")
    # Changed elsewhere meanwhile: what the poll reads is not what the user did.
    emulator_world.resume(USER)
    await release_held(hass, freezer)
    await poll
    assert state(hass).state == STATE_PAUSED

    # The confirmation shows what Spotify reports after the command.
    await tick(1)
    assert state(hass).state == STATE_PLAYING


async def test_unload_cancels_pending_refreshes(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Neither a confirmation nor a track-end refresh outlives the entry."""
    playback = emulator_world.playback(USER)
    item = playback.current_item()
    assert item is not None
    playback.seek(item.duration_ms - 20_000)
    await tick(15)
    assert _seconds_left(emulator_world) < 15  # a track-end refresh is set
    armed_before = set(get_scheduled_timer_handles(hass.loop))
    init_integration.runtime_data.confirmation.async_sent()
    (confirmation,) = set(get_scheduled_timer_handles(hass.loop)) - armed_before

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert confirmation.cancelled()
    start = len(emulator_world.request_log)
    await tick(10)
    assert api_requests(emulator_world, start) == []
