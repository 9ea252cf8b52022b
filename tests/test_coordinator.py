"""The adaptive playback coordinator, against the emulator with frozen time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import logging
import time
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_PAUSED, STATE_PLAYING, STATE_UNAVAILABLE
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_player.api import PlaybackState
from custom_components.spotify_player.budget import BudgetPlan, RequestBudget
from custom_components.spotify_player.context_names import MAX_CACHED_CONTEXTS
from custom_components.spotify_player.coordinator import (
    IDLE_INTERVAL,
    PAUSED_INTERVAL,
    SpotifyPlaybackCoordinator,
)
from custom_components.spotify_player.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.spotify_player.media_info import MediaInfo, media_info
from custom_components.spotify_player.playback import (
    Activity,
    SpotifyPlaybackData,
    playback_position,
)
from spotify_emulator import FaultKind, seed
from tests.playback_helpers import USER, SetupPlayer, Tick, api_requests, state

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

PLAYER = "/v1/me/player"
NOT_REGISTERED = (
    "Check settings on developer.spotify.com/dashboard, the user may not be registered."
)
DEVICES = "/v1/me/player/devices"


def _coordinator(entry: MockConfigEntry) -> SpotifyPlaybackCoordinator:
    coordinator = entry.runtime_data.coordinator
    assert isinstance(coordinator, SpotifyPlaybackCoordinator)
    return coordinator


def _interval(entry: MockConfigEntry) -> float:
    interval = _coordinator(entry).update_interval
    assert interval is not None
    return interval.total_seconds()


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
    player: MockConfigEntry,
) -> None:
    """15 s while playing, 60 s paused, 120 s with no active device."""
    assert _interval(player) == 15

    emulator_world.pause(USER)
    await tick(15)
    assert state(hass).state == STATE_PAUSED
    assert _interval(player) >= PAUSED_INTERVAL

    emulator_world.stop_playback(USER)
    await tick(_interval(player))
    assert state(hass).state == "idle"
    assert _interval(player) >= IDLE_INTERVAL


async def test_playing_interval_option(setup_player: SetupPlayer) -> None:
    """The playing interval comes from the options."""
    entry = await setup_player(options={"playing_interval": 30})
    assert _interval(entry) == 30


async def test_external_change_picked_up_on_next_poll(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
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
    player: MockConfigEntry,
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
    player: MockConfigEntry,
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


async def test_rate_limit_keeps_state_and_waits(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A 429 keeps the entity as it was and nothing is sent before Retry-After."""
    coordinator = _coordinator(player)
    emulator_world.faults.add(
        "status",
        path_prefix=PLAYER,
        method="GET",
        status=429,
        body={"error": {"status": 429, "message": "API rate limit exceeded"}},
        headers={"Retry-After": "40"},
    )
    before = state(hass)
    await tick(15)
    during = state(hass)
    assert during.state == STATE_PLAYING
    assert during.attributes == before.attributes
    assert coordinator.rate_limited_until is not None
    # The diagnostics download shows the pause.
    download = await async_get_config_entry_diagnostics(hass, player)
    assert download["coordinator"]["rate_limit_remaining"] > 0
    assert download["coordinator"]["rate_limited_until"] is not None
    assert download["api"]["last_rate_limit"]["retry_after"] == 40
    sent = len(api_requests(emulator_world))

    for _ in range(2):
        await tick(15)
    assert len(api_requests(emulator_world)) == sent
    assert state(hass).state == STATE_PLAYING

    await tick(12)
    assert len(api_requests(emulator_world)) > sent
    assert coordinator.rate_limited_until is None
    assert coordinator.last_update_success


async def test_failures_keep_the_state_then_unavailable_then_recovery(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Four failures in a row keep the last state, the fifth marks it unavailable."""
    emulator_world.faults.add("status", path_prefix=PLAYER, method="GET", status=503)
    # aiohttp retries a GET once on a dropped keep-alive connection: two resets.
    emulator_world.faults.add("reset", path_prefix=PLAYER, method="GET", count=2)
    emulator_world.faults.add("status", path_prefix=PLAYER, method="GET", status=502)
    emulator_world.faults.add(
        "status", path_prefix=PLAYER, method="GET", status=500, count=2
    )
    caplog.set_level(logging.INFO)

    for seconds in (15, 2, 5, 10):  # the first failure, then the back-off
        await tick(seconds)
        assert state(hass).state == STATE_PLAYING
    assert _coordinator(player).failures == 4
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
    player: MockConfigEntry,
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


async def test_context_name_looked_up_once(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """The playlist's name is fetched once, then cached per URI."""
    assert state(hass).attributes["media_playlist"] == "Morning Commute"
    for _ in range(4):
        await tick(15)
    lookups = [r for r in api_requests(emulator_world) if "/playlists/" in r]
    assert lookups == [f"GET /v1/playlists/{seed.START_PLAYLIST_ID}"]


async def test_context_name_from_item_needs_no_request(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A show context is named by the episode playing."""
    emulator_world.play_episode(USER)
    start = len(emulator_world.request_log)
    await tick(15)
    attributes = state(hass).attributes
    assert attributes["media_playlist"] == attributes["media_series_title"]
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]


@pytest.mark.parametrize("kind", ["artist", "show"])
async def test_artist_and_show_contexts_are_looked_up(
    emulator_world: World, player: MockConfigEntry, kind: str
) -> None:
    """An artist or show context the item does not name is fetched once."""
    catalogue = emulator_world.catalogue
    item_id, item = next(
        iter((catalogue.artists if kind == "artist" else catalogue.shows).items())
    )
    playback = PlaybackState.from_dict(
        {"context": {"uri": f"spotify:{kind}:{item_id}", "type": kind}, "item": None}
    )
    coordinator = _coordinator(player)
    start = len(emulator_world.request_log)

    assert await coordinator._context_names.async_name(playback) == item.name
    assert await coordinator._context_names.async_name(playback) == item.name
    assert api_requests(emulator_world, start) == [f"GET /v1/{kind}s/{item_id}"]


async def test_context_lookup_failure_is_not_cached(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A failed lookup leaves the name empty and is tried again; 404 is final."""
    coordinator = _coordinator(player)
    emulator_world.faults.add("status", path_prefix="/v1/playlists/", status=500)
    emulator_world.faults.add("status", path_prefix="/v1/playlists/", status=404)
    await coordinator.async_refresh_devices()
    coordinator._context_names.clear()  # forget the name fetched at setup
    await tick(15)
    assert state(hass).attributes.get("media_playlist") is None
    await tick(15)
    assert state(hass).attributes.get("media_playlist") is None
    await tick(15)
    lookups = [r for r in api_requests(emulator_world) if "/playlists/" in r]
    assert len(lookups) == 3  # setup, 500, 404 (then cached as unnamed)


@pytest.mark.parametrize(
    ("activity", "budget", "at_least"),
    [("playing", 300, 240), ("paused", 60, 45), ("idle", 25, 15)],
)
async def test_request_budget_over_an_hour(
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
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
    # idle after 10: cadence.py).
    assert len(requests) <= budget
    # The budget is not met by starving the player.
    assert len(requests) >= at_least


@pytest.mark.parametrize("interval", [5, 10])
async def test_playing_interval_is_delivered(
    tick: Tick, setup_player: SetupPlayer, emulator_world: World, interval: int
) -> None:
    """Short intervals are what they say: the budget follows the option."""
    await setup_player(options={"playing_interval": interval})
    await tick(interval)
    start = len(emulator_world.request_log)
    for _ in range(600):
        await tick(1)
    polls = api_requests(emulator_world, start).count(f"GET {PLAYER}")
    # Ten minutes: one poll per interval (track ends add a few).
    assert polls >= 600 / interval - 2


async def test_401_after_a_fresh_token_is_transient(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A 401 that survives a refreshed token keeps the state and retries in 2 s.

    The refresh token still works (it was just used), so no reauth is started.
    """
    emulator_world.faults.add(
        "status", path_prefix=PLAYER, method="GET", status=401, count=2
    )
    before = state(hass)
    start = len(emulator_world.request_log)
    await tick(15)
    assert state(hass).state == STATE_PLAYING
    assert state(hass).attributes == before.attributes
    assert not hass.config_entries.flow.async_progress_by_handler("spotify_player")
    assert emulator_world.request_log.count(method="POST", path="/api/token") == 1
    assert _coordinator(player).failures == 1
    sent = len(api_requests(emulator_world, start))

    await tick(2)
    assert len(api_requests(emulator_world, start)) == sent + 1
    assert _coordinator(player).failures == 0
    assert player.state is ConfigEntryState.LOADED


async def test_dead_grant_starts_reauth(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A refresh the Accounts service rejects (invalid_grant) asks to sign in."""
    emulator_world.faults.add("expired_token", path_prefix=PLAYER, method="GET")
    emulator_world.faults.add(
        "revoked_refresh_token", path_prefix="/api/token", method="POST"
    )
    await tick(15)
    assert state(hass).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress_by_handler("spotify_player")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


@pytest.mark.parametrize(
    ("status", "headers"), [(503, {}), (429, {"Retry-After": "30"})]
)
async def test_first_refresh_failure_retries_setup(
    setup_player: SetupPlayer,
    emulator_world: World,
    status: int,
    headers: dict[str, str],
) -> None:
    """Without a state to keep, a failed first refresh retries the setup."""
    emulator_world.faults.add(
        "status", path_prefix=PLAYER, method="GET", status=status, headers=headers
    )
    entry = await setup_player()
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_resolve_device(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """Ids and names resolve; unknown names refresh the list once, then fail."""
    commands = player.runtime_data.commands
    assert await commands.async_ensure_active_device() == seed.COMPUTER_DEVICE_ID
    speaker = await commands.async_resolve_device("living room speaker")
    assert speaker.id == seed.SPEAKER_DEVICE_ID
    phone = await commands.async_resolve_device(seed.PHONE_DEVICE_ID)
    assert phone.id == seed.PHONE_DEVICE_ID
    start = len(emulator_world.request_log)
    with pytest.raises(ServiceValidationError) as err:
        await commands.async_resolve_device("Kitchen")
    assert err.value.translation_key == "unknown_device"
    assert api_requests(emulator_world, start) == [f"GET {DEVICES}"]
    with pytest.raises(ServiceValidationError):
        await commands.async_resolve_device(seed.NULL_ID_DEVICE_NAME)


async def test_no_fallback_device(
    setup_player: SetupPlayer, emulator_world: World
) -> None:
    """Idle since setup and no default device: a clear error."""
    emulator_world.stop_playback(USER)
    entry = await setup_player()
    commands = entry.runtime_data.commands
    with pytest.raises(HomeAssistantError) as err:
        await commands.async_ensure_active_device()
    assert err.value.translation_key == "no_device_available"


async def test_diagnostics(hass: HomeAssistant, player: MockConfigEntry) -> None:
    """Scheduling state is exposed for the diagnostics download."""
    diagnostics = _coordinator(player).diagnostics()
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
    player: MockConfigEntry,
) -> None:
    """async_command_sent schedules one confirming poll (and devices on request)."""
    coordinator = _coordinator(player)
    start = len(emulator_world.request_log)
    coordinator.async_command_sent(device_changed=True)
    coordinator.async_command_sent()
    await tick(0.4)
    assert api_requests(emulator_world, start) == []
    await tick(0.2)
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}", f"GET {DEVICES}"]
    assert timedelta(seconds=_interval(player)) == timedelta(seconds=15)


async def test_command_confirmed_even_when_the_budget_is_spent(
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """The polling budget never delays a confirmation, nor is charged for it."""
    coordinator = _coordinator(player)
    budget = coordinator._budget
    assert budget is not None
    for _ in range(6):
        coordinator.async_command_sent()
        await tick(1.5)
    start = len(emulator_world.request_log)
    before = budget.tokens(time.monotonic())

    coordinator.async_command_sent()
    await tick(1.5)

    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]
    assert budget.tokens(time.monotonic()) >= before


def test_budget_bucket() -> None:
    """The bucket refills at (per hour - burst) / hour and may be overdrawn."""
    plan = BudgetPlan(per_hour=300, burst=4, reserve=1)
    budget = RequestBudget(plan, now=0.0)
    assert budget.wait(3, 0.0) == 0
    budget.spend(4, 0.0)
    assert budget.tokens(0.0) == 0
    # Routine: 1 + reserve 1 = 2 tokens; urgent: 1 token.
    assert budget.wait(1, 0.0) == pytest.approx(2 / plan.rate)
    assert budget.wait(1, 0.0, urgent=True) == pytest.approx(1 / plan.rate)
    budget.spend(2, 0.0)
    assert budget.tokens(0.0) == -2
    assert budget.tokens(10_000.0) == 4
    # Switching to a smaller plan keeps what is left, up to its burst.
    budget.set_plan(BudgetPlan(per_hour=60, burst=3, reserve=1), 10_000.0)
    assert budget.tokens(10_000.0) == 3
    budget.set_plan(budget.plan, 10_000.0)
    assert budget.plan.per_hour == 60


def _state(**fields: Any) -> PlaybackState:
    return PlaybackState.from_dict(
        {
            "device": {"id": "d", "name": "D", "type": "Speaker", "is_active": True},
            "is_playing": True,
            "item": {"type": "track", "uri": "spotify:track:t", "duration_ms": 300_000},
            **fields,
        }
    )


AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MS = int(AT.timestamp() * 1000)


@pytest.mark.parametrize(
    ("fields", "position", "updated_at"),
    [
        # Playing since the timestamp 10 s ago: the position at the timestamp.
        (
            {"timestamp": MS - 10_000, "progress_ms": 70_000},
            60_000,
            AT - timedelta(seconds=10),
        ),
        # Paused at the timestamp: the position does not move.
        (
            {"timestamp": MS - 10_000, "progress_ms": 70_000, "is_playing": False},
            70_000,
            AT - timedelta(seconds=10),
        ),
        # Timestamp in the future or before the item could have started: fall back.
        ({"timestamp": MS + 5_000, "progress_ms": 70_000}, 70_000, AT),
        ({"timestamp": MS - 100_000, "progress_ms": 70_000}, 70_000, AT),
        ({"progress_ms": 70_000}, 70_000, AT),
        ({}, None, None),
    ],
)
def test_playback_position(
    fields: dict[str, Any], position: int | None, updated_at: datetime | None
) -> None:
    """Position and its timestamp are consistent with Spotify's fields."""
    assert playback_position(_state(**fields), AT) == (position, updated_at)


def test_playback_position_keeps_previous_within_tolerance() -> None:
    """A later poll that agrees with the last report keeps its values."""
    first = _state(progress_ms=70_000)
    previous = SpotifyPlaybackData(
        playback=first, position_ms=70_000, position_updated_at=AT
    )
    later = AT + timedelta(seconds=15)
    assert playback_position(_state(progress_ms=85_400), later, previous) == (
        70_000,
        AT,
    )
    assert playback_position(_state(progress_ms=95_000), later, previous) == (
        95_000,
        later,
    )
    assert previous.seconds_left(later) == pytest.approx(215)
    idle = SpotifyPlaybackData(playback=None)
    assert idle.activity is Activity.IDLE
    assert idle.seconds_left(later) is None


def test_media_info_edge_cases() -> None:
    """Chapter URIs are audiobooks; unknown items and no playback show nothing."""
    chapter = _state(
        item={"type": "episode", "uri": "spotify:chapter:c", "duration_ms": 1000},
        progress_ms=0,
    )
    info = media_info(SpotifyPlaybackData(playback=chapter))
    assert info.content_type == "audiobook"
    assert info.title == ""
    assert media_info(SpotifyPlaybackData(playback=None)) == MediaInfo()
    unknown = _state(item=None, currently_playing_type="unknown")
    assert media_info(SpotifyPlaybackData(playback=unknown, context_name="X")) == (
        MediaInfo(playlist="X")
    )


async def test_device_refresh_failure_keeps_the_list(
    hass: HomeAssistant, tick: Tick, emulator_world: World, player: MockConfigEntry
) -> None:
    """A failed device refresh inside a poll keeps the known devices."""
    coordinator = _coordinator(player)
    known = coordinator.devices
    emulator_world.faults.add("status", path_prefix=DEVICES, status=503)
    for _ in range(60):
        await tick(1)
    assert coordinator.devices == known
    assert state(hass).state == STATE_PLAYING
    assert f"GET {DEVICES}" in api_requests(emulator_world, 4)


async def test_auth_failure_in_a_lookup_starts_reauth(
    hass: HomeAssistant, tick: Tick, emulator_world: World, player: MockConfigEntry
) -> None:
    """A dead grant found while naming the context is a dead grant too."""
    _coordinator(player)._context_names.clear()
    emulator_world.faults.add("expired_token", path_prefix="/v1/playlists/")
    emulator_world.faults.add(
        "revoked_refresh_token", path_prefix="/api/token", method="POST"
    )
    await tick(15)
    assert state(hass).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress_by_handler("spotify_player")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_poll_before_the_confirmation_waits_for_it(
    hass: HomeAssistant, tick: Tick, emulator_world: World, player: MockConfigEntry
) -> None:
    """A poll just after a command would read Spotify's state from before it.

    It sends nothing and leaves the expected state shown; the confirmation a
    second after the command still comes.
    """
    coordinator = _coordinator(player)
    start = len(emulator_world.request_log)
    await hass.services.async_call(
        "media_player",
        "media_pause",
        {"entity_id": "media_player.robin_emulated"},
        blocking=True,
    )
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
    player: MockConfigEntry,
) -> None:
    """A poll under way when a command goes out may answer with the state before it."""
    coordinator = _coordinator(player)
    emulator_world.faults.add(
        FaultKind.DELAY, path_prefix=PLAYER, method="GET", delay=0.2
    )
    poll = hass.async_create_task(coordinator.async_refresh())
    for _ in range(1000):
        if not emulator_world.faults.pending:
            break
        await asyncio.sleep(0)
    assert not emulator_world.faults.pending  # the poll waits in the emulator

    await hass.services.async_call(
        "media_player",
        "media_pause",
        {"entity_id": "media_player.robin_emulated"},
        blocking=True,
    )
    # Changed elsewhere meanwhile: what the poll reads is not what the user did.
    emulator_world.resume(USER)
    freezer.tick(0.3)
    async_fire_time_changed(hass)
    await poll
    assert state(hass).state == STATE_PAUSED

    # The confirmation shows what Spotify reports after the command.
    await tick(1)
    assert state(hass).state == STATE_PLAYING


async def test_unload_cancels_pending_refreshes(
    hass: HomeAssistant, tick: Tick, emulator_world: World, player: MockConfigEntry
) -> None:
    """Neither a confirmation nor a track-end refresh outlives the entry."""
    playback = emulator_world.playback(USER)
    item = playback.current_item()
    assert item is not None
    playback.seek(item.duration_ms - 20_000)
    await tick(15)
    assert _seconds_left(emulator_world) < 15  # a track-end refresh is set
    coordinator = _coordinator(player)
    coordinator.async_command_sent()
    assert await hass.config_entries.async_unload(player.entry_id)
    assert not coordinator._track_end.pending
    assert not coordinator._confirm.pending
    start = len(emulator_world.request_log)
    await tick(10)
    assert api_requests(emulator_world, start) == []


async def test_context_refused_is_not_asked_again(
    hass: HomeAssistant, tick: Tick, emulator_world: World, player: MockConfigEntry
) -> None:
    """A 403 for the context (someone else's private playlist) is final, like 404."""
    _coordinator(player)._context_names.clear()  # forget the name fetched at setup
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/playlists/",
        status=403,
        body={"error": {"status": 403, "message": "Forbidden"}},
    )
    for _ in range(3):
        await tick(15)
    assert state(hass).attributes.get("media_playlist") is None
    lookups = [r for r in api_requests(emulator_world) if "/playlists/" in r]
    assert len(lookups) == 2  # setup, then the refusal


async def test_auth_failure_in_the_device_list_starts_reauth(
    hass: HomeAssistant, tick: Tick, emulator_world: World, player: MockConfigEntry
) -> None:
    """A dead grant found while refreshing the devices in a poll is not shrugged off."""
    emulator_world.faults.add("expired_token", path_prefix=DEVICES)
    emulator_world.faults.add(
        "revoked_refresh_token", path_prefix="/api/token", method="POST"
    )
    for _ in range(60):
        await tick(1)
    assert state(hass).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress_by_handler("spotify_player")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_context_name_cache_is_bounded(player: MockConfigEntry) -> None:
    """Past MAX_CACHED_CONTEXTS names the cache starts over."""
    coordinator = _coordinator(player)
    coordinator._context_names.clear()
    for number in range(MAX_CACHED_CONTEXTS + 1):
        uri = f"spotify:album:{number:022d}"
        playback = PlaybackState.from_dict(
            {
                "context": {"uri": uri, "type": "album"},
                "item": {
                    "type": "track",
                    "uri": "spotify:track:t",
                    "album": {"uri": uri, "name": f"Album {number}"},
                },
            }
        )
        name = await coordinator._context_names.async_name(playback)
        assert name == f"Album {number}"
    assert len(coordinator._context_names) == 1


def _refuse_polls(world: World, message: str) -> None:
    """Answer the next poll with a 403 carrying Spotify's `message`."""
    world.faults.add(
        FaultKind.STATUS,
        path_prefix=PLAYER,
        method="GET",
        status=403,
        body={"error": {"status": 403, "message": message}},
    )


async def test_missing_scope_at_runtime_asks_once(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A missing permission starts reauth and raises no repair on top of it."""
    _refuse_polls(emulator_world, "Insufficient client scope")
    await tick(15)

    assert state(hass).state == STATE_UNAVAILABLE
    started = hass.config_entries.flow.async_progress_by_handler("spotify_player")
    assert [flow["context"]["source"] for flow in started] == ["reauth"]
    issues = ir.async_get(hass)
    assert not [
        issue for issue in issues.issues.values() if issue.domain == "spotify_player"
    ]


async def test_allow_list_refusal_stops_polling(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    player: MockConfigEntry,
) -> None:
    """A 403 "user not registered" is final, as at setup: no retries spend budget."""
    _refuse_polls(emulator_world, NOT_REGISTERED)
    await tick(15)

    assert state(hass).state == STATE_UNAVAILABLE
    assert not hass.config_entries.flow.async_progress_by_handler("spotify_player")
    issues = ir.async_get(hass)
    assert issues.async_get_issue(
        "spotify_player", f"user_not_registered_{player.entry_id}"
    )
    start = len(emulator_world.request_log)
    for _ in range(20):
        await tick(30)
    assert api_requests(emulator_world, start) == []
