"""The options step that links Spotify Connect devices to the entities that wake them.

One entity field per device Spotify has listed before (device_memory.py) or that is
linked already, plus a free-text name for a device Spotify has not listed yet.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    TextSelector,
)

from .schema_library import vol
from .wake import WAKE_DOMAINS

CONF_NEW_DEVICE: Final = "new_device"
CONF_NEW_DEVICE_ENTITY: Final = "new_device_entity"


def _entity_selector() -> EntitySelector:
    return EntitySelector(EntitySelectorConfig(domain=WAKE_DOMAINS))


def wake_schema(names: list[str], links: dict[str, str]) -> vol.Schema:
    """One optional entity per device name, then a new device and its entity."""
    known = {name.casefold(): name for name in names}
    for name in links:
        known.setdefault(name.casefold(), name)
    fields: dict[Any, Any] = {
        vol.Optional(name, description={"suggested_value": links.get(name)}): (
            _entity_selector()
        )
        for name in sorted(known.values(), key=str.casefold)
        if name not in (CONF_NEW_DEVICE, CONF_NEW_DEVICE_ENTITY)
    }
    fields[vol.Optional(CONF_NEW_DEVICE)] = TextSelector()
    fields[vol.Optional(CONF_NEW_DEVICE_ENTITY)] = _entity_selector()
    return vol.Schema(fields)


def parse_wake_links(
    user_input: dict[str, Any],
) -> tuple[dict[str, str], dict[str, str]]:
    """Return (links, errors) from the submitted step; an empty field unlinks."""
    links = {
        str(name): str(entity_id)
        for name, entity_id in user_input.items()
        if name not in (CONF_NEW_DEVICE, CONF_NEW_DEVICE_ENTITY) and entity_id
    }
    errors: dict[str, str] = {}
    new_name = str(user_input.get(CONF_NEW_DEVICE) or "").strip()
    new_entity = user_input.get(CONF_NEW_DEVICE_ENTITY)
    if new_name and not new_entity:
        errors[CONF_NEW_DEVICE_ENTITY] = "wake_entity_required"
    elif new_entity and not new_name:
        errors[CONF_NEW_DEVICE] = "wake_device_required"
    elif new_name and new_entity:
        # The same device typed again replaces its link, whatever the case.
        links = {
            name: entity
            for name, entity in links.items()
            if name.casefold() != new_name.casefold()
        }
        links[new_name] = str(new_entity)
    return links, errors
