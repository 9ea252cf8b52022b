"""The Spotify Connect devices an account has listed before, kept across restarts.

Sleeping speakers drop out of Spotify's device list, and some (Echo devices) come back
under a new id. Remembering each device's last id and name lets the options offer the
devices that are asleep now, and lets an id Spotify gave earlier still find its device
by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import callback
from homeassistant.helpers.storage import Store

from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .api import Device

STORAGE_VERSION: Final = 1
# Writes are batched: device lists arrive once a minute while playing.
SAVE_DELAY: Final = 10.0


@dataclass(frozen=True, kw_only=True, slots=True)
class RememberedDevice:
    """A device as Spotify listed it last."""

    id: str
    name: str


class DeviceMemory:
    """Last id and name of every addressable device the account has listed."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Start empty; `async_load` reads what earlier runs stored."""
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.devices"
        )
        # Keyed by the name in casefold: the name is what survives an id change.
        self._devices: dict[str, RememberedDevice] = {}
        self._unsaved = False

    async def async_load(self) -> None:
        """Read the devices stored by earlier runs."""
        stored = await self._store.async_load() or {}
        for item in stored.get("devices", []):
            if isinstance(item, dict) and item.get("id") and item.get("name"):
                device = RememberedDevice(id=str(item["id"]), name=str(item["name"]))
                self._devices[device.name.casefold()] = device

    async def async_stop(self) -> None:
        """Write what a delayed save still holds (the entry unloads).

        Nothing may be left pending: removing the entry deletes the file after the
        unload, and a delayed save would write it again.
        """
        if self._unsaved:
            await self._store.async_save(self._data())

    async def async_remove(self) -> None:
        """Forget everything (the account was removed)."""
        await self._store.async_remove()

    @callback
    def async_note(self, devices: list[Device]) -> None:
        """Remember the devices of a fresh list; save when something changed."""
        changed = False
        for device in devices:
            # Restricted devices refuse remote control: nothing to offer or wake.
            if not device.id or not device.name or device.is_restricted:
                continue
            remembered = RememberedDevice(id=device.id, name=device.name)
            key = device.name.casefold()
            if self._devices.get(key) != remembered:
                self._devices[key] = remembered
                changed = True
        if changed:
            self._unsaved = True
            self._store.async_delay_save(self._data, SAVE_DELAY)

    def _data(self) -> dict[str, Any]:
        self._unsaved = False
        return {
            "devices": [
                {"id": device.id, "name": device.name}
                for device in self._devices.values()
            ]
        }

    @property
    def devices(self) -> list[RememberedDevice]:
        """Every remembered device, by name."""
        return sorted(self._devices.values(), key=lambda device: device.name.casefold())

    def find(self, requested: str) -> RememberedDevice | None:
        """Return the remembered device with this last id, else this name."""
        for device in self._devices.values():
            if device.id == requested:
                return device
        return self._devices.get(requested.casefold())
