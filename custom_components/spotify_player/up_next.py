"""What plays next: Spotify's queue, fetched only when it can have changed.

GET /me/player/queue costs a request, so it is not part of the poll. It is fetched
when the up-next sensor is first enabled, when the item playing changes, and after
something was added to the queue; each fetch is charged to the account's budget.
While no sensor listens, nothing is fetched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import DOMAIN
from .errors import NotFetched, async_background_fetch

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.config_entries import ConfigEntry

    from .api import Playable, Queue, SpotifyClient


class UpNext:
    """The last fetched queue of one account, and when to fetch it again."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: SpotifyClient,
        spend: Callable[[int], None],
        can_spare: Callable[[], bool],
    ) -> None:
        """Start with nothing fetched; `spend` charges the account's budget.

        `can_spare` tells whether a read now would delay the next poll (polling.py):
        then a new item's queue is read after a later poll instead.
        """
        self._hass = hass
        self._entry = entry
        self._client = client
        self._spend = spend
        self._can_spare = can_spare
        self._fetching = False
        self._listeners: list[CALLBACK_TYPE] = []
        self.queue: Queue | None = None
        # The item playing when the queue was fetched (None: nothing playing).
        self._fetched_for: str | None = None
        self.fetches = 0

    @property
    def upcoming(self) -> list[Playable]:
        """The items after the one playing, as last fetched."""
        return self.queue.queue if self.queue is not None else []

    @callback
    def async_listen(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener` after each fetch; the first listener fetches at once."""
        self._listeners.append(listener)
        if len(self._listeners) == 1:
            self.async_request_fetch()

        @callback
        def remove() -> None:
            self._listeners.remove(listener)

        return remove

    @callback
    def async_item_changed(self, uri: str | None) -> None:
        """Fetch again when the item playing is not the one the queue was read at.

        Asked after every poll, so a read the budget could not spare comes later.
        """
        if uri != self._fetched_for and not self._fetching and self._can_spare():
            self._fetched_for = uri
            self.async_request_fetch()

    @callback
    def async_request_fetch(self) -> None:
        """Fetch in the background, if anything listens."""
        if not self._listeners:
            return
        self._entry.async_create_background_task(
            self._hass, self._async_fetch(), f"{DOMAIN} up next"
        )

    async def _async_fetch(self) -> None:
        self._fetching = True
        try:
            queue = await async_background_fetch(self._client.get_queue(), "the queue")
        finally:
            self._fetching = False
        self.fetches += 1
        if isinstance(queue, NotFetched):
            return
        self._spend(1)
        self.queue = queue
        current = queue.currently_playing
        self._fetched_for = current.uri if current is not None else None
        for listener in list(self._listeners):
            listener()
