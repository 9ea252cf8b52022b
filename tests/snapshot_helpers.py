"""Plain-data views of states and registry entries, for snapshots.

Home Assistant's own snapshot serialiser prints what the running core holds:
attribute keys are StrEnums in newer releases and plain strings in older ones,
entity aliases are a list or a set, and registry entries grow new fields. These
views keep one snapshot set valid on every supported Home Assistant version
while still pinning every value the integration controls.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum, IntFlag
from typing import TYPE_CHECKING, Any

from homeassistant.helpers import device_registry as dr, entity_registry as er

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant, State
    from syrupy.assertion import SnapshotAssertion
    from syrupy.types import PropertyFilter

# Entity registry fields the integration sets; the rest belong to the user or
# to Home Assistant's bookkeeping.
ENTITY_FIELDS = (
    "capabilities",
    "disabled_by",
    "domain",
    "entity_category",
    "entity_id",
    "has_entity_name",
    "hidden_by",
    "original_device_class",
    "original_icon",
    "original_name",
    "platform",
    "supported_features",
    "translation_key",
    "unique_id",
    "unit_of_measurement",
)
# Device registry fields the integration sets.
DEVICE_FIELDS = (
    "configuration_url",
    "connections",
    "disabled_by",
    "entry_type",
    "hw_version",
    "identifiers",
    "manufacturer",
    "model",
    "model_id",
    "name",
    "serial_number",
    "sw_version",
    "via_device_id",
)


def plain(value: Any) -> Any:
    """Return `value` as the JSON-like data Home Assistant would store or send.

    Enum members become their values (flags their integer), mappings get string
    keys, sets become sorted lists and datetimes ISO strings.
    """
    if isinstance(value, IntFlag):
        return int(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {plain_key(key): plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=repr)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def plain_key(key: Any) -> Any:
    """Return a mapping key as its plain value (a StrEnum key as its string)."""
    return key.value if isinstance(key, Enum) else key


def state_data(state: State | None) -> dict[str, Any]:
    """Return what an entity's state shows: entity id, state and attributes."""
    assert state is not None
    return {
        "entity_id": state.entity_id,
        "state": state.state,
        "attributes": plain(state.attributes),
    }


def entity_entry_data(entry: er.RegistryEntry | None) -> dict[str, Any]:
    """Return the entity registry fields the integration controls."""
    assert entry is not None
    return {field: plain(getattr(entry, field)) for field in ENTITY_FIELDS}


def device_entry_data(device: dr.DeviceEntry | None) -> dict[str, Any]:
    """Return the device registry fields the integration controls."""
    assert device is not None
    return {field: plain(getattr(device, field)) for field in DEVICE_FIELDS}


def entry_device(
    device_registry: dr.DeviceRegistry, entry_id: str, identifier: tuple[str, str]
) -> dr.DeviceEntry | None:
    """Return the config entry's device with `identifier`.

    Works on every supported version: newer Home Assistant scopes identifiers to a
    config entry and deprecates the global lookup by identifier.
    """
    matches = [
        device
        for device in dr.async_entries_for_config_entry(device_registry, entry_id)
        if identifier in device.identifiers
    ]
    assert len(matches) <= 1
    return matches[0] if matches else None


def snapshot_platform(
    hass: HomeAssistant,
    snapshot: SnapshotAssertion,
    entry_id: str,
    domain: str,
    *,
    exclude: PropertyFilter | None = None,
) -> None:
    """Snapshot the registry entry and state of each of an entry's `domain` entities.

    Home Assistant's `snapshot_platform`, through the views above; `exclude` leaves
    out state values that change per run (addresses with the emulator's port).
    """
    entities = sorted(
        (
            entity
            for entity in er.async_entries_for_config_entry(
                er.async_get(hass), entry_id
            )
            if entity.domain == domain
        ),
        key=lambda entity: entity.entity_id,
    )
    assert entities, f"no {domain} entity"
    for entity in entities:
        assert entity_entry_data(entity) == snapshot(name=f"{entity.entity_id}-entry")
        assert entity.disabled_by is None, f"enable {entity.entity_id} first"
        assert state_data(hass.states.get(entity.entity_id)) == snapshot(
            name=f"{entity.entity_id}-state", exclude=exclude
        )
