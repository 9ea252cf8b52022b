"""Helpers for the emulator's own tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

from spotify_emulator import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from spotify_emulator import EmulatorServer, World


@pytest.fixture
async def http(emulator: EmulatorServer) -> AsyncIterator[aiohttp.ClientSession]:
    """Return a plain HTTP session for talking to the emulator."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def premium_headers(emulator_world: World) -> dict[str, str]:
    """Return bearer headers of the seeded Premium user (all integration scopes)."""
    grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
    return {"Authorization": f"Bearer {grant.access_token}"}


@pytest.fixture
def free_headers(emulator_world: World) -> dict[str, str]:
    """Return bearer headers of the seeded free user."""
    grant = emulator_world.issue_tokens(seed.FREE_USER_ID)
    return {"Authorization": f"Bearer {grant.access_token}"}
