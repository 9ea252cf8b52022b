"""External changes: how soon a change made in the Spotify app shows.

Spotify sends no push updates, so a skip made in the Spotify app shows at the next
poll. Over a simulated playing hour on the default 15 s interval, the app skips at
seeded random times; each change is timed until the entity shows the new item.
"""

from __future__ import annotations

from collections import Counter
import statistics
from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator.player import RepeatState
from tests.helpers import USER, Tick, api_requests, setup_integration

from .report import report
from .skips import async_time_skips

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

STEP = 0.5  # seconds of simulated time per step: the resolution of the delays
SEED = 20261207


@pytest.mark.parametrize("up_next", [False, True])
async def test_external_changes_show_within_the_poll(
    hass: HomeAssistant,
    tick: Tick,
    entity_registry: er.EntityRegistry,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
    up_next: bool,
) -> None:
    """Median and p95 from a skip in the Spotify app to the entity showing it.

    With the up-next sensor enabled its queue reads come out of the same budget.
    """
    if up_next:
        entity_registry.async_get_or_create(
            "sensor", DOMAIN, f"{USER}_up_next", suggested_object_id="up_next"
        )
    await setup_integration(hass, mock_config_entry)
    # The context repeats, so an hour of skips never runs out of items.
    emulator_world.playback(USER).repeat = RepeatState.CONTEXT
    await tick(15)
    start = len(emulator_world.request_log)
    delays = await async_time_skips(hass, tick, emulator_world, step=STEP, seed=SEED)
    requests = Counter(api_requests(emulator_world, start))
    quantiles = statistics.quantiles(delays, n=20)
    report(
        "polling: external changes at the 15 s default",
        "skips in the app, up next on" if up_next else "skips in the app",
        changes=len(delays),
        median_s=statistics.median(delays),
        p95_s=round(quantiles[18], 1),
        max_s=max(delays),
        requests=sum(requests.values()),
        player_polls=requests["GET /v1/me/player"],
        device_lists=requests["GET /v1/me/player/devices"],
        queue_reads=requests["GET /v1/me/player/queue"],
    )
    assert sum(requests.values()) <= 300
