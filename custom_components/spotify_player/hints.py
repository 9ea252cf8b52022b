"""Local push hints: the playing speaker's own integration says when to ask Spotify.

Spotify sends no push updates. But the entity a device is linked to for waking is
often the speaker's own integration (Sonos, Cast, HEOS, MusicCast, Bang & Olufsen,
Onkyo), which reports within a second that it paused or started a new title. When
the linked entity of the device playing now changes its state, `media_title` or
`media_content_id`, the account refreshes at once: urgent, within the request
budget, at most one refresh each HINT_SPACING, inside Retry-After only once it
ends, never during a quota pause (polling.py). Other attribute churn (position,
volume) is no hint.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player import (
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_TITLE,
)
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import CALLBACK_TYPE, Event, EventStateChangedData, callback

from .const import DOMAIN, LOGGER
from .refresh_timer import RefreshTimer

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .coordinator import SpotifyPlaybackCoordinator
    from .wake import SleepingDevices

# Attributes whose change means something new plays (the state covers pausing).
HINT_ATTRIBUTES: Final = (ATTR_MEDIA_TITLE, ATTR_MEDIA_CONTENT_ID)


def is_hint(data: EventStateChangedData) -> bool:
    """Whether a state change says something new: state, title or content."""
    old, new = data["old_state"], data["new_state"]
    if old is None or new is None:
        return False
    return old.state != new.state or any(
        old.attributes.get(key) != new.attributes.get(key) for key in HINT_ATTRIBUTES
    )


class LocalPushHints:
    """Refresh one account when its playing device's linked entity reports."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        coordinator: SpotifyPlaybackCoordinator,
        sleeping: SleepingDevices,
    ) -> None:
        """Listen through `sleeping`'s links; refresh `coordinator`."""
        self._hass = hass
        self._coordinator = coordinator
        self._sleeping = sleeping
        self._timer = RefreshTimer(
            hass, entry, f"{DOMAIN} local push hint", coordinator.async_refresh
        )

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Start listening; return what stops it (and a refresh still to come)."""
        unsub = self._hass.bus.async_listen(
            EVENT_STATE_CHANGED, self._async_hint, event_filter=self._from_playing
        )

        @callback
        def stop() -> None:
            unsub()
            self._timer.cancel()

        return stop

    def _playing_device(self) -> str | None:
        data = self._coordinator.data
        device = data.device if data is not None else None
        return device.name if device is not None else None

    @callback
    def _from_playing(self, data: EventStateChangedData) -> bool:
        """Whether the change comes from the playing device's linked entity."""
        device = self._playing_device()
        return (
            device is not None
            and self._sleeping.linked_entity(device) == data["entity_id"]
            and is_hint(data)
        )

    @callback
    def _async_hint(self, _event: Event[EventStateChangedData]) -> None:
        device = self._playing_device()
        if device is None:
            return
        now = time.monotonic()
        policy = self._coordinator.policy
        policy.note_hint(device, now)
        if self._timer.pending:
            return  # coalesced into the refresh to come
        # Inside Retry-After or a quota pause the gate is shut: the delay runs to
        # its end, where the refresh joins the poll that ends the wait.
        delay = policy.hint_refresh_in(
            now, self._coordinator.client.rate_limit_gate.remaining
        )
        if delay is None:
            return
        LOGGER.debug("%s reported a change: refresh in %.1f s", device, delay)
        self._timer.schedule(delay)
