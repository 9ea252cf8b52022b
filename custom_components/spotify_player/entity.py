"""Base entity of the Spotify Player integration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import SpotifyPlaybackCoordinator

if TYPE_CHECKING:
    from .data import SpotifyPlayerData

# Spotify's web player; the device page links there.
WEB_PLAYER_URL = "https://open.spotify.com"


def product_model(product: str | None) -> str:
    """Return the device model for a subscription, e.g. `Spotify Premium`."""
    if not product:
        return "Spotify"
    # Spotify calls its free tier `free` or, in older accounts, `open`.
    name = "Free" if product == "open" else product.capitalize()
    return f"Spotify {name}"


def account_device(data: SpotifyPlayerData, name: str) -> DeviceInfo:
    """Return the service device of one Spotify account, named after its entry."""
    return DeviceInfo(
        identifiers={(DOMAIN, data.user.id)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer="Spotify AB",
        model=product_model(data.user.product),
        name=name,
        configuration_url=WEB_PLAYER_URL,
    )


class SpotifyPlayerEntity(CoordinatorEntity[SpotifyPlaybackCoordinator]):
    """An entity of one Spotify account; the account is a service device.

    Subclasses set their attributes in `_update_attrs`, which runs when the entity
    is created and after every coordinator update.
    """

    _attr_has_entity_name = True

    def __init__(self, data: SpotifyPlayerData) -> None:
        """Attach the entity to the account's device."""
        super().__init__(data.coordinator)
        self.runtime = data
        self._attr_device_info = account_device(
            data, self.coordinator.config_entry.title
        )

    @callback
    def _handle_coordinator_update(self) -> None:
        self._update_attrs()
        super()._handle_coordinator_update()

    @callback
    def _update_attrs(self) -> None:
        """Set the attributes from the coordinator's latest data."""
