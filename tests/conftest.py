"""Shared fixtures: the emulator, one config entry and one way to set it up.

`mock_config_entry` is the account of `user` (the Premium user unless a test
parametrizes `user`) with `options` (none unless parametrized), authorised at the
emulator's start; `init_integration` sets it up. Tests that arrange the world before
setup take `mock_config_entry` and call `tests.helpers.setup_integration` themselves.
Home Assistant's clock is frozen where the emulator's ManualClock stands; `tick`
moves both together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp.test_utils import TestServer
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.extensions.amber import AmberSnapshotExtension

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import EmulatorServer, ManualClock, World, seed
from tests.helpers import (
    EMULATOR_START,
    ENTRY_ID,
    entry_token,
    move_clocks,
    setup_integration,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from aiohttp.test_utils import TestClient
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion
    from syrupy.location import PyTestLocation

    from spotify_emulator.tokens import TokenGrant
    from tests.helpers import Tick


@pytest.fixture
def emulator_world() -> World:
    """Return the seeded emulator world on a ManualClock."""
    return seed.seeded_world(clock=ManualClock(start=EMULATOR_START))


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


@pytest.fixture
def frozen_clock(
    freezer: FrozenDateTimeFactory, emulator_world: World
) -> FrozenDateTimeFactory:
    """Freeze Home Assistant's clock where the emulator's clock stands."""
    freezer.move_to(datetime.fromtimestamp(emulator_world.clock.now(), UTC))
    return freezer


@pytest.fixture
def tick(
    hass: HomeAssistant, frozen_clock: FrozenDateTimeFactory, emulator_world: World
) -> Tick:
    """Return a function moving Home Assistant's and the emulator's time together.

    It runs the timers that came due and waits for what they started (scheduled
    refreshes run as background tasks of the config entry).
    """

    async def tick(seconds: float) -> None:
        move_clocks(frozen_clock, emulator_world, seconds)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)

    return tick


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
    as their repr (with random ids and tokens). The serialiser prints states and
    registry entries as the running core has them, so snapshot them through
    tests/snapshot_helpers.py to stay valid on every supported version.
    """
    return snapshot.use_extension(SnapshotExtension)


# The account: application credentials, its config entry, the integration set up.


@pytest.fixture
async def setup_credentials(
    hass: HomeAssistant, enable_custom_integrations: None, spotify_env: EmulatorServer
) -> None:
    """Register the emulator app's client id and secret as application credentials."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass,
        DOMAIN,
        ClientCredential(seed.CLIENT_ID, seed.CLIENT_SECRET, name="Emulated app"),
        DOMAIN,
    )


@pytest.fixture
def user() -> str:
    """Return the account's Spotify user (parametrize `user` for another one)."""
    return seed.PREMIUM_USER_ID


@pytest.fixture
def options() -> dict[str, Any]:
    """Return the account's options (parametrize `options`, or override it)."""
    return {}


@pytest.fixture
def token_grant(emulator_world: World, user: str) -> TokenGrant:
    """Tokens of `user` with every scope the integration asks for."""
    return emulator_world.issue_tokens(user)


@pytest.fixture
def mock_config_entry(
    frozen_clock: FrozenDateTimeFactory,
    setup_credentials: None,
    emulator_world: World,
    token_grant: TokenGrant,
    user: str,
    options: dict[str, Any],
) -> MockConfigEntry:
    """Return the account of `user` with `options`, authorised just now.

    Named after the user, as the config flow names it; not added to Home Assistant.
    """
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        title=emulator_world.user(user).display_name,
        unique_id=user,
        version=1,
        minor_version=1,
        data={
            "auth_implementation": DOMAIN,
            "token": entry_token(token_grant),
            "authorized_at": datetime.fromtimestamp(
                emulator_world.clock.now(), UTC
            ).isoformat(),
        },
        options=options,
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set `mock_config_entry` up against the emulator and return it."""
    await setup_integration(hass, mock_config_entry)
    return mock_config_entry


@pytest.fixture
def hass_client_no_auth(
    hass: HomeAssistant, aiohttp_client: ClientSessionGenerator, socket_enabled: None
) -> ClientSessionGenerator:
    """Return HA's unauthenticated HTTP client for the OAuth callback.

    Same as the plugin's fixture, but the server logs no access lines (aiohttp's
    access log breaks under the freezer) and media_player is set up first: it
    registers an HTTP view, which a started test server no longer accepts.
    """

    async def client() -> TestClient:
        assert await async_setup_component(hass, "media_player", {})
        server = TestServer(hass.http.app)
        await server.start_server(access_log=None)
        return await aiohttp_client(server)

    return client
