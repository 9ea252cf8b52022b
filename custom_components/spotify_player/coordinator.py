"""Playback coordinator (placeholder until the adaptive coordinator lands)."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import PlaybackState, SpotifyClient, SpotifyError
from .const import DOMAIN, LOGGER
from .data import SpotifyPlayerConfigEntry


class SpotifyPlaybackCoordinator(DataUpdateCoordinator[PlaybackState | None]):
    """Fetch the playback state of one Spotify account."""

    config_entry: SpotifyPlayerConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: SpotifyPlayerConfigEntry, client: SpotifyClient
    ) -> None:
        """Initialise the coordinator."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=15),
        )
        self.client = client

    async def _async_update_data(self) -> PlaybackState | None:
        try:
            return await self.client.get_playback_state()
        except SpotifyError as err:
            raise UpdateFailed(str(err)) from err
