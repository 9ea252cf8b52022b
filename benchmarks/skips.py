"""Skips made in the Spotify app at seeded times, timed until the entity shows them."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from tests.helpers import USER, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World
    from tests.helpers import Tick

HOUR = 3600.0


def _playing_uri(world: World) -> str | None:
    item = world.playback(USER).current_item()
    return None if item is None else item.uri


async def async_time_skips(
    hass: HomeAssistant, tick: Tick, world: World, *, step: float, seed: int
) -> list[float]:
    """Skip 20 to 70 s after the last skip showed, for an hour; return each delay.

    Set the context to repeat first, so an hour of skips never runs out of items.
    `step` is the resolution of the delays (seconds of simulated time per tick).
    """
    rng = random.Random(seed)  # noqa: S311 - a reproducible schedule, not security
    delays: list[float] = []
    pending: float | None = None
    next_change = rng.uniform(20, 70)
    elapsed = 0.0
    while elapsed < HOUR:
        await tick(step)
        elapsed += step
        if pending is None and elapsed >= next_change:
            world.skip(USER)
            pending = 0.0
        elif pending is not None:
            pending += step
        shown = state(hass).attributes.get("media_content_id")
        if pending is not None and shown == _playing_uri(world):
            delays.append(pending)
            pending = None
            next_change = elapsed + rng.uniform(20, 70)
    return delays
