"""Between a command and Spotify's confirmation of it: the state shown is held.

Commands show the state they expect at once (commands.py). Spotify reports it only a
moment later, so a poll answered meanwhile would undo it on screen. Commands tell
`CommandConfirmation` what they send; the coordinator asks it whether to hold the
shown state, and whether a refresh is the confirmation (which answers the user, so it
is not charged to the polling budget).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from homeassistant.core import callback

from .const import DOMAIN
from .polling import CONFIRM_DELAY
from .refresh_timer import RefreshTimer

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterator

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant


class CommandConfirmation:
    """Commands in flight and the refresh that confirms them, for one account."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        refresh: Callable[[], Coroutine[object, object, None]],
    ) -> None:
        """Confirm through `refresh` (the coordinator's) a second after sending."""
        self._timer = RefreshTimer(
            hass, entry, f"{DOMAIN} confirmation", refresh, self._fired
        )
        self._due = False
        self._in_flight = 0

    def holds_shown_state(self) -> bool:
        """Whether what is shown is a command's expectation, not yet confirmed."""
        return self._in_flight > 0 or self._timer.pending or self._due

    def take_due(self) -> bool:
        """Whether the refresh starting now is a confirmation (asked once each)."""
        due, self._due = self._due, False
        return due

    @contextmanager
    def in_flight(self) -> Iterator[None]:
        """Hold the state shown while a command's request is on its way."""
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1

    @callback
    def async_sent(self) -> None:
        """Confirm a command sent just now in a moment (a later one moves it)."""
        self._timer.schedule(CONFIRM_DELAY)

    @callback
    def cancel(self) -> None:
        """Drop a pending confirmation (the entry unloads)."""
        self._timer.cancel()

    @callback
    def _fired(self) -> None:
        self._due = True
