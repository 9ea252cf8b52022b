"""A refresh of the coordinator at one exact moment, which can be moved or cancelled.

Used for the refresh when the playing item ends and for a command's confirmation.
The timer is cancelled when Home Assistant shuts down; the refresh runs as a
background task of the config entry, so unloading waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, HassJob, callback
from homeassistant.helpers.event import async_call_later

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant


class RefreshTimer:
    """At most one pending `refresh` of an entry's coordinator, named `name`."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        name: str,
        refresh: Callable[[], Coroutine[object, object, None]],
        on_fire: Callable[[], None] | None = None,
    ) -> None:
        """Prepare the timer; `on_fire` runs just before the refresh starts."""
        self._hass = hass
        self._entry = entry
        self._name = name
        self._refresh = refresh
        self._on_fire = on_fire
        self._unsub: CALLBACK_TYPE | None = None

    @property
    def pending(self) -> bool:
        """Whether the refresh is still to come."""
        return self._unsub is not None

    @callback
    def schedule(self, delay: float) -> None:
        """Refresh in `delay` seconds (instead of any time set before)."""
        self.cancel()
        self._unsub = async_call_later(
            self._hass,
            delay,
            HassJob(self._fire, self._name, cancel_on_shutdown=True),
        )

    @callback
    def cancel(self) -> None:
        """Drop the pending refresh, if any."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    @callback
    def _fire(self, _now: datetime) -> None:
        self._unsub = None
        if self._on_fire is not None:
            self._on_fire()
        self._entry.async_create_background_task(
            self._hass, self._refresh(), name=self._name
        )
