"""The up-next sensor: the queue is read when it can have changed, never per poll."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.components.recorder.history import get_significant_states
from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN
from homeassistant.const import STATE_UNKNOWN
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from syrupy.filters import props

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import FaultKind
from tests.helpers import (
    USER,
    api_requests,
    call_action,
    call_player,
    setup_integration,
    state,
)
from tests.snapshot_helpers import snapshot_platform

if TYPE_CHECKING:
    from homeassistant.components.recorder import Recorder
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

SENSOR = "sensor.robin_emulated_up_next"
QUEUE = "GET /v1/me/player/queue"


@pytest.fixture
async def enabled(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    mock_config_entry: MockConfigEntry,
) -> MockConfigEntry:
    """Set the account up with its sensors enabled, as a user would enable them."""
    for key, object_id in (
        ("up_next", "up_next"),
        ("requests_24h", "spotify_requests_24_h"),
        ("paused_until", "requests_paused_until"),
    ):
        entity_registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"{USER}_{key}",
            suggested_object_id=f"robin_emulated_{object_id}",
        )
    await setup_integration(hass, mock_config_entry)
    return mock_config_entry


def _queue_fetches(world: World, since: int = 0) -> int:
    return api_requests(world, since).count(QUEUE)


async def test_disabled_by_default_costs_nothing(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Nobody enabled it: no state, and the queue is never fetched."""
    entry = entity_registry.async_get(SENSOR)
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(SENSOR) is None
    emulator_world.skip(USER)
    await tick(15)
    assert _queue_fetches(emulator_world) == 0


async def test_all_entities(
    hass: HomeAssistant, enabled: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """The sensors: registry entries and states.

    The artwork's address names the emulator's port, which changes per run.
    """
    snapshot_platform(
        hass, snapshot, enabled.entry_id, SENSOR_DOMAIN, exclude=props("image")
    )


async def test_sensor(
    hass: HomeAssistant,
    emulator: EmulatorServer,
    emulator_world: World,
    enabled: MockConfigEntry,
) -> None:
    """The next item's title, artist, URI and image, and the next ten items."""
    current = state(hass, SENSOR)
    assert current.attributes["image"].startswith(emulator.url)
    upcoming = emulator_world.playback(USER).upcoming(10)
    assert [item["uri"] for item in current.attributes["queue"]] == upcoming
    assert current.attributes["uri"] == upcoming[0]
    # Enabling it fetched the queue once.
    assert _queue_fetches(emulator_world) == 1


async def test_plain_polls_do_not_fetch_the_queue(
    hass: HomeAssistant, tick: Tick, emulator_world: World, enabled: MockConfigEntry
) -> None:
    """Polls of the same track read no queue; a new track reads it once."""
    since = len(emulator_world.request_log.entries)
    for _ in range(3):
        await tick(15)
    sent = api_requests(emulator_world, since)
    assert sent.count("GET /v1/me/player") == 3
    assert QUEUE not in sent

    emulator_world.skip(USER)
    since = len(emulator_world.request_log.entries)
    await tick(15)
    assert _queue_fetches(emulator_world, since) == 1
    upcoming = emulator_world.playback(USER).upcoming(10)
    assert state(hass, SENSOR).attributes["uri"] == upcoming[0]


async def test_add_to_queue_fetches_the_queue(
    hass: HomeAssistant, tick: Tick, emulator_world: World, enabled: MockConfigEntry
) -> None:
    """After add_to_queue (and enqueue) the sensor shows the new queue."""
    tracks = sorted(emulator_world.catalogue.tracks.values(), key=lambda t: t.uri)
    since = len(emulator_world.request_log.entries)
    await call_action(hass, "add_to_queue", enabled, uri=tracks[0].uri)
    await call_player(
        hass,
        "play_media",
        media_content_id=tracks[1].uri,
        media_content_type="music",
        enqueue="add",
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _queue_fetches(emulator_world, since) == 2
    queue = [item["uri"] for item in state(hass, SENSOR).attributes["queue"]]
    assert queue == emulator_world.playback(USER).upcoming(10)
    assert tracks[0].uri in queue
    assert tracks[1].uri in queue


async def test_empty_queue_is_unknown(
    hass: HomeAssistant, tick: Tick, emulator_world: World, enabled: MockConfigEntry
) -> None:
    """Nothing playing, nothing next: the state is unknown, the queue empty."""
    emulator_world.stop_playback(USER)
    await tick(15)
    current = state(hass, SENSOR)
    assert current.state == STATE_UNKNOWN
    assert current.attributes["queue"] == []
    assert current.attributes["uri"] is None


async def test_failed_queue_fetch_keeps_the_last_queue(
    hass: HomeAssistant, tick: Tick, emulator_world: World, enabled: MockConfigEntry
) -> None:
    """A failing queue request leaves what the sensor showed."""
    before = state(hass, SENSOR).state
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me/player/queue", status=503
    )
    emulator_world.skip(USER)
    await tick(15)
    assert state(hass, SENSOR).state == before
    assert not emulator_world.faults.pending


async def test_episode_next(
    hass: HomeAssistant, emulator_world: World, enabled: MockConfigEntry
) -> None:
    """An episode up next names its show as the artist."""
    episode = next(iter(emulator_world.catalogue.episodes.values()))
    await call_action(
        hass, "add_to_queue", enabled, uri=f"spotify:episode:{episode.id}"
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    queue = state(hass, SENSOR).attributes["queue"]
    show = emulator_world.catalogue.shows[episode.show_id]
    assert {"title": episode.name, "artist": show.name} in [
        {"title": item["title"], "artist": item["artist"]} for item in queue
    ]


async def test_queue_is_not_recorded(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    enabled: MockConfigEntry,
) -> None:
    """The history keeps the next item's artist and URI, never the queue."""
    await tick(1)
    await async_wait_recording_done(hass)
    now = dt_util.utcnow()
    history = await recorder_mock.async_add_executor_job(
        get_significant_states, hass, now - timedelta(hours=1), now, [SENSOR]
    )
    recorded = history[SENSOR][-1]
    assert "uri" in recorded.attributes
    assert "queue" not in recorded.attributes
