"""Wake a sleeping Spotify Connect device through the entity linked to it.

A speaker, AVR or TV in standby drops out of Spotify's device list, so a command sent
to it fails. When a command targets a device linked in the options (device name ->
entity that powers it) and Spotify does not list it, the entity is turned on and the
device list asked again on a bounded back-off until the device joins; the command then
goes to the device as listed now (its id may have changed: devices match by name).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Final

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .api import Device, SpotifyRateLimitedError
from .const import CONF_WAKE_LINKS, DOMAIN, LOGGER
from .polling import RETRY_AFTER_MARGIN

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry

    from .api import RateLimitGate
    from .device_memory import DeviceMemory

# Seconds between device lists while a device wakes; the last step repeats.
WAKE_STEPS: Final = (1.0, 2.0, 3.0, 5.0, 8.0)
# A device that has not joined Spotify Connect by then is not coming.
WAKE_TIMEOUT: Final = 30.0
# Entities without turn_on: the service that wakes through them.
WAKE_SERVICES: Final = {"button": ("button", "press")}
# Domains the options offer: those with turn_on (what homeassistant.turn_on calls),
# and buttons.
WAKE_DOMAINS: Final = [
    "automation",
    "button",
    "climate",
    "fan",
    "humidifier",
    "input_boolean",
    "light",
    "media_player",
    "remote",
    "scene",
    "script",
    "switch",
]

type FetchDevices = Callable[[], Awaitable[list[Device]]]


def wake_links(entry: ConfigEntry) -> dict[str, str]:
    """Device name -> entity id, as the options store them."""
    links = entry.options.get(CONF_WAKE_LINKS) or {}
    return {str(name): str(entity_id) for name, entity_id in links.items()}


def listed_by_name(devices: list[Device], name: str) -> Device | None:
    """Return the addressable device Spotify lists under this name (any case)."""
    wanted = name.casefold()
    return next(
        (
            device
            for device in devices
            if device.id
            and not device.is_restricted
            and device.name.casefold() == wanted
        ),
        None,
    )


def wake_steps() -> Iterator[float]:
    """1, 2, 3, 5, 8, 8, ... seconds."""
    yield from WAKE_STEPS
    while True:
        yield WAKE_STEPS[-1]


class SleepingDevices:
    """The linked devices of one account, and how to wake them."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        memory: DeviceMemory,
        gate: RateLimitGate,
    ) -> None:
        """Wake through `entry`'s links; `gate` tells when Spotify may be asked."""
        self._hass = hass
        self._entry = entry
        self._memory = memory
        self._gate = gate

    def link_for(self, requested: str) -> tuple[str, str] | None:
        """(device name, entity id) of the link a device id or name points to."""
        links = {
            name.casefold(): (name, entity)
            for name, entity in wake_links(self._entry).items()
        }
        if (link := links.get(requested.casefold())) is not None:
            return link
        if (remembered := self._memory.find(requested)) is not None:
            return links.get(remembered.name.casefold())
        return None

    def asleep_names(self, devices: list[Device]) -> list[str]:
        """Linked devices Spotify does not list now: they stay choosable as sources."""
        return [
            name
            for name in wake_links(self._entry)
            if listed_by_name(devices, name) is None
        ]

    async def async_wake(
        self, requested: list[str | None], devices: list[Device], fetch: FetchDevices
    ) -> Device | None:
        """Return the device one of `requested` (ids or names) names, woken if asleep.

        None when none is linked. A linked device that is listed (maybe under a new
        id) is returned at once. Otherwise its entity is turned on and `fetch` asked
        on the back-off until it joins; HomeAssistantError when it never does.
        Spotify errors other than a rate limit propagate untranslated.
        """
        link = next(
            (link for key in requested if key and (link := self.link_for(key))), None
        )
        if link is None:
            return None
        name, entity_id = link
        if (device := listed_by_name(devices, name)) is not None:
            return device
        await self._async_turn_on(name, entity_id)
        return await self._async_wait_for(name, entity_id, fetch)

    async def _async_turn_on(self, name: str, entity_id: str) -> None:
        """Press a button, else turn the entity on, as homeassistant.turn_on does."""
        domain = entity_id.partition(".")[0]
        domain, service = WAKE_SERVICES.get(domain, (domain, "turn_on"))
        if self._hass.states.get(entity_id) is None or not (
            self._hass.services.has_service(domain, service)
        ):
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="wake_entity_missing",
                translation_placeholders={"device": name, "entity": entity_id},
            )
        LOGGER.debug("Waking %s through %s", name, entity_id)
        await self._hass.services.async_call(
            domain, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
        )

    async def _async_wait_for(
        self, name: str, entity_id: str, fetch: FetchDevices
    ) -> Device:
        started = dt_util.utcnow()
        elapsed = 0.0
        rate_limited: SpotifyRateLimitedError | None = None
        for step in wake_steps():
            delay = min(step, WAKE_TIMEOUT - elapsed)
            if (closed := self._gate.remaining) > 0:
                delay = max(delay, closed + RETRY_AFTER_MARGIN)
            if elapsed + delay > WAKE_TIMEOUT:
                break
            await self._async_sleep(delay)
            elapsed = (dt_util.utcnow() - started).total_seconds()
            try:
                devices = await fetch()
            except SpotifyRateLimitedError as err:
                # The gate now stays shut for Retry-After; the next step waits it out.
                rate_limited = err
                continue
            if (device := listed_by_name(devices, name)) is not None:
                LOGGER.debug("%s joined Spotify Connect after %.0f s", name, elapsed)
                return device
            if elapsed >= WAKE_TIMEOUT:
                break
        if rate_limited is not None and self._gate.remaining > 0:
            raise rate_limited
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="wake_timeout",
            translation_placeholders={
                "device": name,
                "entity": entity_id,
                "seconds": str(round(WAKE_TIMEOUT)),
            },
        )

    async def _async_sleep(self, seconds: float) -> None:
        """Wait on Home Assistant's scheduler (so tests can move its clock)."""
        done = self._hass.loop.create_future()

        @callback
        def _wake_up(_now: datetime) -> None:
            if not done.done():
                done.set_result(None)

        cancel = async_call_later(self._hass, seconds, _wake_up)
        try:
            await done
        finally:
            cancel()
