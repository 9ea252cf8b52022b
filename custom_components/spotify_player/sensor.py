"""The up-next sensor: the next item in Spotify's queue, and the ten after it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.sensor import SensorEntity
from homeassistant.core import HomeAssistant, callback

from .api import Track
from .entity import SpotifyPlayerEntity
from .media_info import item_image_url

if TYPE_CHECKING:
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .api import Playable
    from .data import SpotifyPlayerConfigEntry, SpotifyPlayerData

# Fetching happens in up_next.py, charged to the account's budget.
PARALLEL_UPDATES = 0
QUEUE_ITEMS: Final = 10


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SpotifyPlayerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the up-next sensor of a Spotify account."""
    async_add_entities([SpotifyUpNextSensor(entry.runtime_data)])


def _artist(item: Playable) -> str | None:
    if isinstance(item, Track):
        return ", ".join(artist.name for artist in item.artists) or None
    return item.show.name if item.show else None


def _summary(item: Playable) -> dict[str, Any]:
    return {"title": item.name, "artist": _artist(item), "uri": item.uri}


class SpotifyUpNextSensor(SpotifyPlayerEntity, SensorEntity):
    """The next item in the queue (its title), with the queue as an attribute."""

    _attr_translation_key = "up_next"
    # Its queue requests cost budget even when nobody looks: users opt in.
    _attr_entity_registry_enabled_default = False
    # Ten items of titles and URIs per change would bloat the history.
    _unrecorded_attributes = frozenset({"queue"})

    def __init__(self, data: SpotifyPlayerData) -> None:
        """Create the sensor of the account."""
        super().__init__(data)
        self._attr_unique_id = f"{data.user.id}_up_next"
        self._up_next = data.up_next

    async def async_added_to_hass(self) -> None:
        """Listen for new queues (the first listener fetches one)."""
        await super().async_added_to_hass()
        self._update_attrs()  # nothing listens yet: no fetch for this
        self.async_on_remove(self._up_next.async_listen(self._handle_queue))

    @callback
    def _update_attrs(self) -> None:
        """Read the queue again when a new item plays."""
        data = self.coordinator.data
        item = data.item if data is not None else None
        self._up_next.async_item_changed(item.uri if item is not None else None)

    @callback
    def _handle_queue(self) -> None:
        self.async_write_ha_state()

    @property
    def native_value(self) -> str | None:
        """Title of the next item; unknown when the queue is empty."""
        upcoming = self._up_next.upcoming
        return upcoming[0].name if upcoming else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The next item's artist, URI and image, and the next ten items."""
        upcoming = self._up_next.upcoming
        following = upcoming[0] if upcoming else None
        return {
            "artist": _artist(following) if following else None,
            "uri": following.uri if following else None,
            "image": item_image_url(following) if following else None,
            "queue": [_summary(item) for item in upcoming[:QUEUE_ITEMS]],
        }
