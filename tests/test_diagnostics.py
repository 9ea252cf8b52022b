"""Diagnostics: entry, token lifecycle and API counters, with secrets redacted."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aiohttp.test_utils import TestServer
from homeassistant.config_entries import ConfigEntryState
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.spotify_player.api import SpotifyRateLimitedError
from spotify_emulator import seed
from tests.helpers import rate_limited, setup_integration

if TYPE_CHECKING:
    from aiohttp.test_utils import TestClient
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion

    from spotify_emulator import World
    from spotify_emulator.tokens import TokenGrant


@pytest.fixture
def diagnostics_client(
    hass: HomeAssistant,
    aiohttp_client: ClientSessionGenerator,
    frozen_clock: FrozenDateTimeFactory,
    hass_access_token: str,
    socket_enabled: None,
) -> ClientSessionGenerator:
    """Return an authenticated HA client without access log (breaks under freezer).

    The clock is frozen first: a token issued in the frozen time's future is refused.
    """

    async def client() -> TestClient:
        server = TestServer(hass.http.app)
        await server.start_server(access_log=None)
        return await aiohttp_client(
            server, headers={"Authorization": f"Bearer {hass_access_token}"}
        )

    return client


def assert_redacted(diagnostics: object, *secrets: str) -> None:
    text = json.dumps(diagnostics)
    for secret in secrets:
        assert secret not in text


async def test_diagnostics(
    hass: HomeAssistant,
    diagnostics_client: ClientSessionGenerator,
    emulator_world: World,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """A loaded entry reports token expiry, refreshes, counters and the last 429."""
    entry = init_integration
    client = entry.runtime_data.client
    old_token = dict(entry.data["token"])
    hass.config_entries.async_update_entry(
        entry, options={"default_device": seed.SPEAKER_DEVICE_ID}
    )
    emulator_world.expire_access_tokens()
    await client.get_devices()  # 401, one forced refresh
    emulator_world.faults.add(
        "status",
        path_prefix="/v1/me/player/devices",
        **rate_limited(7),
    )
    with pytest.raises(SpotifyRateLimitedError):
        await client.get_devices()

    diagnostics = await get_diagnostics_for_config_entry(
        hass, diagnostics_client, entry
    )

    assert diagnostics == snapshot
    assert_redacted(
        diagnostics,
        old_token["access_token"],
        old_token["refresh_token"],
        entry.data["token"]["access_token"],
        entry.data["token"]["refresh_token"],
        seed.CLIENT_ID,
        seed.CLIENT_SECRET,
        seed.PREMIUM_USER_ID,
        seed.SPEAKER_DEVICE_ID,
        "Robin Emulated",
    )


@pytest.mark.parametrize("user", [seed.UNREGISTERED_USER_ID])
async def test_diagnostics_entry_not_loaded(
    hass: HomeAssistant,
    diagnostics_client: ClientSessionGenerator,
    token_grant: TokenGrant,
    mock_config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """An entry that failed to set up still reports its authorisation state."""
    grant = token_grant
    entry = mock_config_entry
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR

    diagnostics = await get_diagnostics_for_config_entry(
        hass, diagnostics_client, entry
    )

    assert diagnostics == snapshot
    assert set(diagnostics) == {"entry", "authorization"}
    assert_redacted(
        diagnostics,
        grant.access_token,
        str(grant.refresh_token),
        seed.UNREGISTERED_USER_ID,
        "Alex Outsider",
    )


async def test_diagnostics_hide_the_client_id_in_the_implementation(
    hass: HomeAssistant,
    diagnostics_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """An entry linked through the UI names its credential after the client id.

    Home Assistant calls such an implementation `spotify_player_<client id>`.
    """
    implementation = f"spotify_player_{seed.CLIENT_ID.lower()}"
    entry = mock_config_entry
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "auth_implementation": implementation}
    )
    await setup_integration(hass, entry)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, diagnostics_client, entry
    )

    assert seed.CLIENT_ID.lower() not in json.dumps(diagnostics).lower()
