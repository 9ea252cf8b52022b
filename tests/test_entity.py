"""The account's service device and the base entity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.entity import product_model
from spotify_emulator import seed
from tests.snapshot_helpers import device_entry_data, entry_device

if TYPE_CHECKING:
    from homeassistant.helpers import device_registry as dr
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion


@pytest.mark.parametrize(
    ("product", "model"),
    [
        ("premium", "Spotify Premium"),
        ("free", "Spotify Free"),
        ("open", "Spotify Free"),
        (None, "Spotify"),
        ("", "Spotify"),
    ],
)
def test_product_model(product: str | None, model: str) -> None:
    """The model names the subscription; Development Mode may not tell it."""
    assert product_model(product) == model


async def test_service_device(
    device_registry: dr.DeviceRegistry,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """One service device per account, identified by the Spotify user id."""
    device = entry_device(
        device_registry, init_integration.entry_id, (DOMAIN, seed.PREMIUM_USER_ID)
    )
    assert device_entry_data(device) == snapshot
