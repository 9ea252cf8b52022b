"""Removing an account leaves nothing of it behind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from custom_components.spotify_player.const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.helpers import Tick


async def test_removal_leaves_no_device_file_whatever_is_pending(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    tick: Tick,
    init_integration: MockConfigEntry,
) -> None:
    """A device list remembered just before removal is not written back afterwards.

    Setup fetched the devices, so a save waits on its 10 s delay when the entry is
    removed; the file must stay gone once that delay has passed.
    """
    key = f"{DOMAIN}.{init_integration.entry_id}.devices"
    assert key not in hass_storage  # not written yet: the save waits 10 s
    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    await tick(30)
    await hass.async_block_till_done()
    assert key not in hass_storage
