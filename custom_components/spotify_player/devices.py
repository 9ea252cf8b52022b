"""The Spotify Connect devices of one account, as last listed.

Holds the last device list and the last active device, and picks the device to wake
when a command finds none active. Polls bring the list along when the polling policy
says it is due (polling.py); commands fetch it at once when they need it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN
from .errors import NotFetched, async_background_fetch

if TYPE_CHECKING:
    from collections.abc import Callable

    from .api import Device, SpotifyClient
    from .device_memory import DeviceMemory


class DeviceList:
    """Known devices, when they were fetched, and which one played last."""

    def __init__(
        self,
        client: SpotifyClient,
        spend: Callable[[int], None],
        memory: DeviceMemory,
    ) -> None:
        """Start empty; `spend` charges each request to the polling budget.

        Every fresh list is also remembered across restarts (`memory`).
        """
        self._client = client
        self._spend = spend
        self._memory = memory
        self._listeners: list[CALLBACK_TYPE] = []
        self.devices: list[Device] = []
        self.last_active_id: str | None = None
        self.fetched_at: float | None = None
        """When the list was fetched (time.monotonic), None: due at the next poll."""

    @callback
    def async_listen(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener` after each fetch a command asked for."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def expire(self) -> None:
        """Make the list due at the next poll (the active device changed)."""
        self.fetched_at = None

    def note_active(self, device_id: str) -> None:
        """Remember the device the player reports as active."""
        self.last_active_id = device_id

    async def async_fetch(self) -> list[Device]:
        """Fetch the device list now and tell the listeners; errors propagate."""
        devices = await self._client.get_devices()
        self._store(devices)
        for listener in list(self._listeners):
            listener()
        return devices

    async def async_fetch_in_background(self) -> None:
        """Fetch the list as part of a poll; keep the old one on failure (errors.py)."""
        result = await async_background_fetch(self._client.get_devices(), "devices")
        if not isinstance(result, NotFetched):
            self._store(result)

    def _store(self, devices: list[Device]) -> None:
        self._spend(1)
        self.devices = devices
        self.fetched_at = time.monotonic()
        self._memory.async_note(devices)
        for device in devices:
            if device.is_active and device.id:
                self.last_active_id = device.id

    def find(self, requested: str) -> Device | None:
        """Return the known device with this id, else with this name (any case)."""
        for device in self.devices:
            if device.id == requested:
                return device
        wanted = requested.casefold()
        for device in self.devices:
            if device.name.casefold() == wanted:
                return device
        return None

    def fallback_id(self, default: object) -> str:
        """Device to wake when none is active: the default, else the last active one.

        `default` is the default device option as stored (absent: None). Raises
        HomeAssistantError when neither is available.
        """
        if default:
            return str(default)
        known = {device.id for device in self.devices}
        if self.last_active_id in known and self.last_active_id:
            return self.last_active_id
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="no_device_available"
        )
