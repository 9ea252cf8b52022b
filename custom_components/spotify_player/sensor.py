"""The sensors of an account: up next, and what the account spends of its app.

Up next: the next item in Spotify's queue, and the ten after it. The usage sensors
(`USAGE_SENSORS`) are diagnostics, disabled by default: the requests of the last 24
hours (the app's total as an attribute) and until when Spotify pauses the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .api import Track
from .entity import SpotifyPlayerEntity, account_device
from .media_info import item_image_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .api import Playable
    from .data import SpotifyPlayerConfigEntry, SpotifyPlayerData

# Fetching happens in up_next.py, charged to the account's budget.
PARALLEL_UPDATES = 0
QUEUE_ITEMS: Final = 10
# The request count moves with every request: shown once a minute, its resolution.
COUNT_INTERVAL: Final = timedelta(minutes=1)


@dataclass(frozen=True, kw_only=True)
class UsageSensorDescription(SensorEntityDescription):
    """A usage sensor: its value (and attributes) from the account and its app."""

    value_fn: Callable[[SpotifyPlayerData, datetime], int | datetime | None]
    attributes_fn: Callable[[SpotifyPlayerData], dict[str, Any]] | None = None
    every_minute: bool = False
    entity_category: EntityCategory | None = EntityCategory.DIAGNOSTIC
    entity_registry_enabled_default: bool = False


USAGE_SENSORS: Final = (
    UsageSensorDescription(
        key="requests_24h",
        translation_key="requests_24h",
        value_fn=lambda data, _now: data.client.stats.last_24h.count(),
        attributes_fn=lambda data: {"app_requests_24h": data.app.requests.count()},
        every_minute=True,
    ),
    UsageSensorDescription(
        key="paused_until",
        translation_key="paused_until",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data, now: data.app.paused(now),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SpotifyPlayerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of a Spotify account."""
    data = entry.runtime_data
    async_add_entities(
        [
            SpotifyUpNextSensor(data),
            *(
                SpotifyUsageSensor(data, entry.title, description)
                for description in USAGE_SENSORS
            ),
        ]
    )


class SpotifyUsageSensor(SensorEntity):
    """What the account and its app spend; shown even while Spotify refuses them."""

    entity_description: UsageSensorDescription
    _attr_has_entity_name = True
    _attr_should_poll = False
    # The app's total moves with every request of every account of the app.
    _unrecorded_attributes = frozenset({"app_requests_24h"})

    def __init__(
        self, data: SpotifyPlayerData, name: str, description: UsageSensorDescription
    ) -> None:
        """Create one usage sensor of the account."""
        self.entity_description = description
        self._data = data
        self._attr_unique_id = f"{data.user.id}_{description.key}"
        self._attr_device_info = account_device(data, name)

    async def async_added_to_hass(self) -> None:
        """Follow the app's pauses, and the count once a minute."""
        self.async_on_remove(self._data.app.async_listen(self.async_write_ha_state))
        if self.entity_description.every_minute:
            self.async_on_remove(
                async_track_time_interval(self.hass, self._async_minute, COUNT_INTERVAL)
            )

    @callback
    def _async_minute(self, _now: datetime) -> None:
        self.async_write_ha_state()

    @property
    def native_value(self) -> int | datetime | None:
        """The count, or the end of the pause (unknown when not paused)."""
        return self.entity_description.value_fn(self._data, dt_util.utcnow())

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The app's total, for the count."""
        attributes = self.entity_description.attributes_fn
        return attributes(self._data) if attributes is not None else None


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
