"""Which device a command goes to: a named one, woken when it sleeps, or the fallback.

A device named by an action or a source is looked up by id or name, with the device
list fetched again once when it is not known; a linked device that sleeps is woken
through its entity (wake.py). With no active device, commands go to the fallback:
the default device option, else the device that played last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import ServiceValidationError

from .const import CONF_DEFAULT_DEVICE, CONF_DEFAULT_DEVICE_NAME, DOMAIN
from .errors import spotify_errors

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .api import Device
    from .devices import DeviceList
    from .wake import SleepingDevices


class DeviceTargets:
    """Resolve the devices commands of one account address."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        devices: DeviceList,
        sleeping: SleepingDevices,
    ) -> None:
        """Bind to the account's devices and its linked sleeping devices."""
        self._hass = hass
        self._entry = entry
        self._devices = devices
        self._sleeping = sleeping

    async def async_resolve(self, requested: str) -> Device:
        """Return the known device with this id or name (refreshing devices once).

        Raises a translated ServiceValidationError when Spotify does not know it, or
        when it cannot be addressed (a restricted device without an id).
        """
        devices = self._devices
        if (device := devices.find(requested)) is None:
            with spotify_errors(self._hass, self._entry):
                await devices.async_fetch()
            device = devices.find(requested)
        if device is None:
            # A linked device asleep: wake it and wait for it to join (wake.py).
            with spotify_errors(self._hass, self._entry):
                device = await self._sleeping.async_wake(
                    [requested], devices.devices, devices.async_fetch
                )
        if device is None or device.id is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_device",
                translation_placeholders={"device": requested},
            )
        return device

    async def async_fallback(self) -> str:
        """Return the id of the device to play on when none is active.

        The default device option, else the device that played last, woken first
        when it is linked and asleep (HomeAssistantError `no_device_available`
        when neither is known). Spotify errors propagate untranslated.
        """
        return self.fallback_id(await self.async_wake_fallback())

    async def async_wake_fallback(self) -> Device | None:
        """Wake the fallback device when it is linked and asleep; None if unlinked.

        Commands call this before they queue (commands.py), so a wake-up never
        holds the command lock.
        """
        devices = self._devices
        default = self._entry.options.get(CONF_DEFAULT_DEVICE)
        wanted = [default, self._entry.options.get(CONF_DEFAULT_DEVICE_NAME)]
        return await self._sleeping.async_wake(
            wanted if default else [devices.last_active_id or ""],
            devices.devices,
            devices.async_fetch,
        )

    def fallback_id(self, woken: Device | None = None) -> str:
        """Return the device just woken, else the default or last one (no waking)."""
        if woken is not None and woken.id:
            return woken.id
        return self._devices.fallback_id(self._entry.options.get(CONF_DEFAULT_DEVICE))
