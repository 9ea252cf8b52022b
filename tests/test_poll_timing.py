"""The routine poll keeps its interval, whatever else shares the request budget."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator.player import RepeatState
from tests.helpers import USER, setup_integration

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import entity_registry as er
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

PLAYER = "/v1/me/player"


async def test_device_lists_and_queue_reads_never_push_a_poll_back(
    hass: HomeAssistant,
    tick: Tick,
    entity_registry: er.EntityRegistry,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Twenty minutes of skips in the Spotify app, one every 90 s, up next on.

    Each skip makes the sensor read the queue, and the device list is due every
    minute: both come out of the polling budget. A due device list used to make its
    poll wait for two tokens, so a change made in the app showed up to 28 s late.
    Now the device list comes along only when the budget can spare it.
    """
    entity_registry.async_get_or_create(
        "sensor", DOMAIN, f"{USER}_up_next", suggested_object_id="up_next"
    )
    await setup_integration(hass, mock_config_entry)
    emulator_world.playback(USER).repeat = RepeatState.CONTEXT
    await tick(15)
    start = len(emulator_world.request_log)
    for second in range(1, 20 * 60 + 1):
        if second % 90 == 0:
            emulator_world.skip(USER)
        await tick(1)
    polls = [
        entry.time
        for entry in emulator_world.request_log.entries[start:]
        if entry.method == "GET" and entry.path == PLAYER
    ]
    gaps = [later - earlier for earlier, later in pairwise(polls)]
    # 80 polls at 15 s; a queue read may take the last token before a poll, never
    # more than 9 s of it (before: 70 polls, gaps of up to 28 s).
    assert len(polls) >= 76
    assert max(gaps) <= 15 + 9
