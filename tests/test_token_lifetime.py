"""Short-lived access tokens: the background refresh never runs in a loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.util import dt as dt_util
import pytest

from custom_components.spotify_player.auth import MIN_REFRESH_DELAY
from spotify_emulator import seed
from tests.conftest import EMULATOR_START, spotify_entry
from tests.playback_helpers import advance

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World


def _token_requests(world: World) -> int:
    return world.request_log.count(method="POST", path="/api/token")


@pytest.mark.parametrize("lifetime", [300, 120])
@pytest.mark.usefixtures("setup_credentials")
async def test_a_short_lifetime_refreshes_once_a_minute(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    lifetime: int,
) -> None:
    """Tokens of 300 s or less are refreshed once a minute, not again and again.

    The refresh was due "five minutes before expiry": at once, for each new token.
    """
    freezer.move_to(dt_util.utc_from_timestamp(EMULATOR_START))
    emulator_world.config.token_lifetime = lifetime
    entry = spotify_entry(emulator_world.issue_tokens(seed.PREMIUM_USER_ID))
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # The clock stands still: nothing is due yet, however often timers are run.
    for _ in range(20):
        await advance(hass, freezer, emulator_world, 0)
    assert _token_requests(emulator_world) == 0
    await advance(hass, freezer, emulator_world, MIN_REFRESH_DELAY.total_seconds())
    assert _token_requests(emulator_world) == 1
    for _ in range(20):
        await advance(hass, freezer, emulator_world, 0)
    assert _token_requests(emulator_world) == 1
    await advance(hass, freezer, emulator_world, MIN_REFRESH_DELAY.total_seconds())
    assert _token_requests(emulator_world) == 2
