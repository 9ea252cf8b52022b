"""Short-lived access tokens: the background refresh never runs in a loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_player.auth import MIN_REFRESH_DELAY

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World
    from spotify_emulator.tokens import TokenGrant
    from tests.helpers import Tick


def _token_requests(world: World) -> int:
    return world.request_log.count(method="POST", path="/api/token")


@pytest.fixture
def token_grant(emulator_world: World, user: str, lifetime: int) -> TokenGrant:
    """Tokens that live `lifetime` seconds."""
    emulator_world.config.token_lifetime = lifetime
    return emulator_world.issue_tokens(user)


@pytest.mark.parametrize("lifetime", [300, 120])
@pytest.mark.usefixtures("init_integration")
async def test_a_short_lifetime_refreshes_once_a_minute(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """Tokens of 300 s or less are refreshed once a minute, not again and again.

    The refresh was due "five minutes before expiry": at once, for each new token.
    """
    # The clock stands still: nothing is due yet, however often timers are run.
    for _ in range(20):
        await tick(0)
    assert _token_requests(emulator_world) == 0
    await tick(MIN_REFRESH_DELAY.total_seconds())
    assert _token_requests(emulator_world) == 1
    for _ in range(20):
        await tick(0)
    assert _token_requests(emulator_world) == 1
    await tick(MIN_REFRESH_DELAY.total_seconds())
    assert _token_requests(emulator_world) == 2
