"""Config entry migrations: stored data follows what the code expects.

1.2: wake links store entity registry ids, so renaming the linked entity keeps the
link; speakers' unique ids are a hash of the device name as Spotify spells it (the
slug before collided: "Living Room" and "Living-Room"), their entity ids kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player import DOMAIN as MEDIA_PLAYER_DOMAIN
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import slugify

from .const import CONF_WAKE_LINKS, DOMAIN, LOGGER
from .speaker_ids import speaker_unique_id
from .wake import link_to_store, wake_links

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

VERSION: Final = 1
MINOR_VERSION: Final = 2


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Bring an entry of an older minor version up to date (none newer exists)."""
    if entry.version > VERSION:
        return False
    if entry.minor_version < 2:
        links = {
            name: link_to_store(hass, entity)
            for name, entity in wake_links(entry).items()
        }
        if entry.unique_id:
            _migrate_speaker_ids(hass, entry, entry.unique_id, list(links))
        options = {**entry.options}
        if links:
            options[CONF_WAKE_LINKS] = links
        hass.config_entries.async_update_entry(entry, options=options, minor_version=2)
        LOGGER.debug("Migrated %s to version 1.2", entry.entry_id)
    return True


def _migrate_speaker_ids(
    hass: HomeAssistant, entry: ConfigEntry, user_id: str, names: list[str]
) -> None:
    """Give each speaker its hashed unique id (and device identifier)."""
    entities = er.async_get(hass)
    devices = dr.async_get(hass)
    for name in names:
        old = f"{user_id}_speaker_{slugify(name)}"
        new = speaker_unique_id(user_id, name)
        entity_id = entities.async_get_entity_id(MEDIA_PLAYER_DOMAIN, DOMAIN, old)
        if entity_id is not None:
            # Only the first of names that collided had an entity: it stays theirs.
            entities.async_update_entity(entity_id, new_unique_id=new)
        device = _device_of(devices, (DOMAIN, old), entry.entry_id)
        if device is not None:
            devices.async_update_device(device.id, new_identifiers={(DOMAIN, new)})


def _device_of(
    devices: dr.DeviceRegistry, identifier: tuple[str, str], entry_id: str
) -> dr.DeviceEntry | None:
    """Find a device by identifier on every supported Home Assistant.

    2026.10 added async_get_device_by_identifier and deprecated async_get_device;
    older releases only have the latter.
    """
    if hasattr(devices, "async_get_device_by_identifier"):
        return devices.async_get_device_by_identifier(identifier, entry_id)
    return devices.async_get_device(identifiers={identifier})
