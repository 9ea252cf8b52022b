"""Shared fixtures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.extensions.amber import AmberSnapshotExtension

from spotify_emulator import EmulatorServer, ManualClock, World

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion
    from syrupy.location import PyTestLocation

# Fixed start (2026-03-01T12:00:00Z) so emulator worlds are reproducible.
EMULATOR_START = 1_772_366_400.0


@pytest.fixture
def emulator_world() -> World:
    """Return the seeded emulator world on a ManualClock."""
    return World.seeded(clock=ManualClock(start=EMULATOR_START))


@pytest.fixture
async def emulator(
    socket_enabled: None, emulator_world: World
) -> AsyncIterator[EmulatorServer]:
    """Serve `emulator_world` on 127.0.0.1 with a free port."""
    async with EmulatorServer(emulator_world, host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture
def spotify_env(
    monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> EmulatorServer:
    """Point the integration's accounts and Web API base URLs at the emulator."""
    monkeypatch.setenv("SPOTIFY_PLAYER_ACCOUNTS_URL", emulator.url)
    monkeypatch.setenv("SPOTIFY_PLAYER_API_URL", emulator.api_url)
    return emulator


# Playback tests (coordinator, media player, browse media) -------------------------


class SnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's serialiser, files in syrupy's default `__snapshots__`."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        """Keep syrupy's directory, as the project layout says."""
        return AmberSnapshotExtension.dirname(test_location=test_location)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise states and registry entries the Home Assistant way.

    The plugin's fixture of the same name loses to syrupy's own, so states came out
    as their repr (with random ids and tokens).
    """
    return snapshot.use_extension(SnapshotExtension)


@pytest.fixture
async def player(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    enable_custom_integrations: None,
    spotify_env: EmulatorServer,
    emulator_world: World,
) -> MockConfigEntry:
    """Set up the Premium user's account against the emulator (time frozen)."""
    from tests.playback_helpers import make_entry, setup_entry

    return await setup_entry(hass, freezer, emulator_world, make_entry(emulator_world))


@pytest.fixture
def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, emulator_world: World
) -> Callable[[float], Awaitable[None]]:
    """Return a function moving Home Assistant's and the emulator's time together."""
    from tests.playback_helpers import advance

    async def tick(seconds: float) -> None:
        await advance(hass, freezer, emulator_world, seconds)

    return tick


@pytest.fixture
def setup_player(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    enable_custom_integrations: None,
    spotify_env: EmulatorServer,
    emulator_world: World,
) -> Callable[..., Awaitable[MockConfigEntry]]:
    """Return a function that sets up an account with other users or options."""
    from tests.playback_helpers import make_entry, setup_entry

    async def setup(**kwargs: Any) -> MockConfigEntry:
        entry = make_entry(emulator_world, **kwargs)
        return await setup_entry(hass, freezer, emulator_world, entry)

    return setup
