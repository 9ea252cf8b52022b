"""A one-shot refresh of the coordinator at a set time; scheduling again moves it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, HassJob, callback
from homeassistant.helpers.event import async_call_later

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from datetime import datetime

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant


class RefreshTimer:
    """Run `refresh` once, `delay` seconds after the last `schedule`."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        refresh: Callable[[], Coroutine[None, None, None]],
        name: str,
        before: Callable[[], None] | None = None,
    ) -> None:
        """Bind to the entry whose background task runs `refresh`.

        `before` runs as the timer fires, ahead of the refresh.
        """
        self._hass = hass
        self._entry = entry
        self._refresh = refresh
        self._name = name
        self._before = before
        self._unsub: CALLBACK_TYPE | None = None

    @property
    def pending(self) -> bool:
        """Whether the refresh is still to come."""
        return self._unsub is not None

    @callback
    def schedule(self, delay: float) -> None:
        """Refresh in `delay` seconds (replacing a pending refresh)."""
        self.cancel()
        self._unsub = async_call_later(
            self._hass,
            delay,
            HassJob(self._fire, f"{DOMAIN} {self._name}", cancel_on_shutdown=True),
        )

    @callback
    def _fire(self, _now: datetime) -> None:
        self._unsub = None
        if self._before is not None:
            self._before()
        self._entry.async_create_background_task(
            self._hass, self._refresh(), name=f"{DOMAIN} {self._name}"
        )

    @callback
    def cancel(self) -> None:
        """Drop the pending refresh, if any."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
