"""Wake a sleeping Spotify Connect device through the entity linked to it.

A speaker, AVR or TV in standby drops out of Spotify's device list, so a command sent
to it fails. When a command targets a device linked in the options (device name ->
entity registry id of the entity that powers it) and Spotify does not list it, the
entity is turned on and the device list asked again on a bounded back-off until the
device joins; the command then goes to the device as listed now (its id may have
changed: devices match by name).

A wake-up never holds the account: callers run it before they queue their command
(commands.py), the whole of it (the entity's own turn-on included) ends after
WAKE_TIMEOUT, and a device is woken once however many callers want it at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Final

from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
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
# A device that has not joined Spotify Connect by then is not coming; the entity's
# own turn-on counts towards it.
WAKE_TIMEOUT: Final = 30.0
# Entities without turn_on: the service that wakes through them. An automation's
# turn_on only enables it; trigger runs its actions, which is what linking it means.
WAKE_SERVICES: Final = {
    "automation": ("automation", "trigger"),
    "button": ("button", "press"),
}
# Domains the options offer: those with turn_on (what homeassistant.turn_on calls),
# buttons and automations (WAKE_SERVICES).
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
    """Device name -> linked entity, as the options store it (registry id)."""
    links = entry.options.get(CONF_WAKE_LINKS) or {}
    return {str(name): str(entity) for name, entity in links.items()}


@callback
def linked_entity_id(hass: HomeAssistant, stored: str) -> str | None:
    """Return the entity id a stored link points to (None: the registry lost it).

    Links store registry ids; entities without a registry entry, their entity id.
    """
    return er.async_resolve_entity_id(er.async_get(hass), stored)


@callback
def link_to_store(hass: HomeAssistant, entity_id: str) -> str:
    """Return what a link to `entity_id` stores: its registry id (renames keep it)."""
    entry = er.async_get(hass).async_get(entity_id)
    return entry.id if entry is not None else entity_id


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


def _wake_error(key: str, name: str, **placeholders: str) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"device": name, **placeholders},
    )


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
        # Device name (casefolded) -> the wake-up under way: later callers share it.
        self._waking: dict[str, asyncio.Task[Device]] = {}

    def link_for(self, requested: str) -> tuple[str, str] | None:
        """(device name, stored link) of the link a device id or name points to."""
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

    def linked_entity(self, device_name: str) -> str | None:
        """Entity id linked to the device of this name (None: not linked, or gone)."""
        if (link := self.link_for(device_name)) is None:
            return None
        return linked_entity_id(self._hass, link[1])

    async def async_wake(
        self, requested: list[str | None], devices: list[Device], fetch: FetchDevices
    ) -> Device | None:
        """Return the device one of `requested` (ids or names) names, woken if asleep.

        None when none is linked. A linked device that is listed (maybe under a new
        id) is returned at once. Otherwise its entity is turned on and `fetch` asked
        on the back-off until it joins, all within WAKE_TIMEOUT; a second caller
        meanwhile shares the first one's wake-up. HomeAssistantError (translated,
        naming device and entity) when the entity is missing or unavailable, or the
        device never joins. Spotify errors other than a rate limit propagate
        untranslated.
        """
        link = next(
            (link for key in requested if key and (link := self.link_for(key))), None
        )
        if link is None:
            return None
        name, stored = link
        if (device := listed_by_name(devices, name)) is not None:
            return device
        key = name.casefold()
        if (task := self._waking.get(key)) is None:
            entity_id = self._checked_entity(name, stored)
            task = self._entry.async_create_background_task(
                self._hass,
                self._async_wake_device(name, entity_id, fetch),
                name=f"{DOMAIN} wake {entity_id}",
            )
            self._waking[key] = task
            task.add_done_callback(lambda _: self._waking.pop(key, None))
        # Shielded: a caller that gives up does not end the others' wake-up.
        return await asyncio.shield(task)

    def _checked_entity(self, name: str, stored: str) -> str:
        """Return the linked entity's id; refuse at once if it cannot wake anything."""
        entity_id = linked_entity_id(self._hass, stored)
        if entity_id is None:
            # Deleted from the registry: the stored id would mean nothing to anyone.
            raise _wake_error("wake_entity_removed", name)
        domain = entity_id.partition(".")[0]
        domain, service = WAKE_SERVICES.get(domain, (domain, "turn_on"))
        state = self._hass.states.get(entity_id)
        if state is None or not self._hass.services.has_service(domain, service):
            raise _wake_error("wake_entity_missing", name, entity=entity_id)
        if state.state == STATE_UNAVAILABLE:
            # Home Assistant would skip it silently, and the wait be in vain.
            raise _wake_error("wake_entity_unavailable", name, entity=entity_id)
        return entity_id

    async def _async_wake_device(
        self, name: str, entity_id: str, fetch: FetchDevices
    ) -> Device:
        """Turn the entity on and wait for the device, both within WAKE_TIMEOUT."""
        started = dt_util.utcnow()
        turn_on = self._hass.async_create_task(self._async_turn_on(name, entity_id))
        deadline = self._hass.async_create_task(self._async_sleep(WAKE_TIMEOUT))
        waiting = self._hass.async_create_task(
            self._async_wait_for(name, entity_id, fetch, started)
        )
        try:
            await asyncio.wait((turn_on, waiting), return_when=asyncio.FIRST_COMPLETED)
            if not waiting.done() and (error := turn_on.exception()) is not None:
                # The device will not join: say so now, naming what failed.
                raise _wake_error(
                    "wake_entity_failed",
                    name,
                    entity=entity_id,
                    error=str(error) or type(error).__name__,
                ) from error
            if not waiting.done():
                await asyncio.wait(
                    (waiting, deadline), return_when=asyncio.FIRST_COMPLETED
                )
            if waiting.done() and waiting.exception() is None:
                return waiting.result()
            if not turn_on.done():
                # The entity's own turn-on never returned: say so, not "no join".
                raise _wake_error(
                    "wake_entity_stuck",
                    name,
                    entity=entity_id,
                    seconds=str(round(WAKE_TIMEOUT)),
                )
            if waiting.done():
                return waiting.result()  # raises its own error: timeout, rate limit
            raise _wake_error(
                "wake_timeout", name, entity=entity_id, seconds=str(round(WAKE_TIMEOUT))
            )
        finally:
            for task in (turn_on, deadline, waiting):
                task.cancel()

    async def _async_turn_on(self, name: str, entity_id: str) -> None:
        """Press a button, trigger an automation, else turn the entity on."""
        domain = entity_id.partition(".")[0]
        domain, service = WAKE_SERVICES.get(domain, (domain, "turn_on"))
        LOGGER.debug("Waking %s through %s", name, entity_id)
        await self._hass.services.async_call(
            domain, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
        )

    async def _async_wait_for(
        self, name: str, entity_id: str, fetch: FetchDevices, started: datetime
    ) -> Device:
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
        raise _wake_error(
            "wake_timeout", name, entity=entity_id, seconds=str(round(WAKE_TIMEOUT))
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
