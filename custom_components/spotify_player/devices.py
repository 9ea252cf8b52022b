"""The Spotify Connect devices of one account, as the playback coordinator knows them.

Holds the last device list and the last active device, decides when the list is due
again (its own cadence, slower than the player polls) and picks the device to wake
when a command finds none active.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import HomeAssistantError

from .api import Device, SpotifyAuthenticationError, SpotifyClient, SpotifyError
from .const import DOMAIN, LOGGER
from .playback import Activity

if TYPE_CHECKING:
    from collections.abc import Callable

DEVICES_INTERVAL: Final = {
    Activity.PLAYING: 60.0,
    Activity.PAUSED: 120.0,
    Activity.IDLE: 120.0,
}


class DeviceList:
    """Known devices, when they were fetched, and which one played last."""

    def __init__(
        self,
        client: SpotifyClient,
        spend: Callable[[int], None],
        stretch: Callable[[Activity, float, float], float],
        remember: Callable[[list[Device]], None],
    ) -> None:
        """Start empty; `spend` charges each request to the coordinator's budget.

        `stretch(activity, interval, now)` may lengthen the interval (cadence.py);
        `remember` gets every fresh list (device_memory.py).
        """
        self._client = client
        self._spend = spend
        self._stretch = stretch
        self._remember = remember
        self.devices: list[Device] = []
        self.last_active_id: str | None = None
        self._fetched_at: float | None = None

    def due(self, activity: Activity, delay: float) -> bool:
        """Whether the device list is due `delay` seconds from now."""
        if self._fetched_at is None:
            return True
        now = time.monotonic()
        interval = self._stretch(activity, DEVICES_INTERVAL[activity], now)
        return now + delay - self._fetched_at >= interval

    def expire(self) -> None:
        """Make the list due at the next poll (the active device changed)."""
        self._fetched_at = None

    def note_active(self, device_id: str) -> None:
        """Remember the device the player reports as active."""
        self.last_active_id = device_id

    async def async_fetch(self) -> list[Device]:
        """Fetch the device list now; errors propagate."""
        devices = await self._client.get_devices()
        self._spend(1)
        self._store(devices)
        return devices

    async def async_try_fetch(self) -> None:
        """Fetch the device list as part of a poll; keep the old one on failure."""
        try:
            devices = await self._client.get_devices()
        except SpotifyAuthenticationError:
            raise
        except SpotifyError as err:
            LOGGER.debug("Keeping the known devices: %s", err)
            return
        self._spend(1)
        self._store(devices)

    def _store(self, devices: list[Device]) -> None:
        self.devices = devices
        self._fetched_at = time.monotonic()
        self._remember(devices)
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
