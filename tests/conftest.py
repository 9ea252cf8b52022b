"""Shared fixtures."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp.test_utils import TestServer
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.extensions.amber import AmberSnapshotExtension

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import EmulatorServer, ManualClock, World, seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from aiohttp.test_utils import TestClient
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion
    from syrupy.location import PyTestLocation

    from spotify_emulator.tokens import TokenGrant

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
    as their repr (with random ids and tokens). The serialiser prints states and
    registry entries as the running core has them, so snapshot them through
    tests/snapshot_helpers.py to stay valid on every supported version.
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


# ---------------------------------------------------------------------------
# Config entries (engineer C): application credentials, a linked account and the
# integration set up against the emulator.
# ---------------------------------------------------------------------------

ENTRY_ID = "01JSPOTIFYPLAYERPREMIUM001"


def entry_token(
    grant: TokenGrant, *, expires_at: float | None = None
) -> dict[str, Any]:
    """Return the OAuth token dict HA stores for an emulator grant."""
    if expires_at is None:
        expires_at = time.time() + grant.expires_in
    return {
        "access_token": grant.access_token,
        "refresh_token": grant.refresh_token,
        "token_type": grant.token_type,
        "expires_in": grant.expires_in,
        "expires_at": expires_at,
        "scope": grant.scope,
    }


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
def token_grant(emulator_world: World) -> TokenGrant:
    """Tokens of the seeded Premium user with every scope the integration asks for."""
    return emulator_world.issue_tokens(seed.PREMIUM_USER_ID)


def spotify_entry(
    grant: TokenGrant,
    *,
    unique_id: str = seed.PREMIUM_USER_ID,
    title: str = "Robin Emulated",
    expires_at: float | None = None,
    authorized_at: str | None = None,
) -> MockConfigEntry:
    """Return a config entry holding `grant`, authorised now unless told otherwise."""
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=ENTRY_ID,
        title=title,
        unique_id=unique_id,
        version=1,
        minor_version=1,
        data={
            "auth_implementation": DOMAIN,
            "token": entry_token(grant, expires_at=expires_at),
            "authorized_at": authorized_at or dt_util.utcnow().isoformat(),
        },
    )


@pytest.fixture
def config_entry(token_grant: TokenGrant) -> MockConfigEntry:
    """Return a config entry for the seeded Premium user, authorised just now."""
    return spotify_entry(token_grant)


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, setup_credentials: None, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set up `config_entry` against the emulator and return it."""
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


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
