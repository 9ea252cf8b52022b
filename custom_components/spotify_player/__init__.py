"""The Spotify Player integration."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)
from homeassistant.helpers.typing import ConfigType

from .api import SpotifyClient
from .auth import SpotifyTokenManager
from .const import DOMAIN, api_base_url
from .coordinator import SpotifyPlaybackCoordinator
from .data import SpotifyPlayerConfigEntry, SpotifyPlayerData
from .services import async_setup_services

PLATFORMS: list[Platform] = [Platform.MEDIA_PLAYER]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions once, independent of entries."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SpotifyPlayerConfigEntry) -> bool:
    """Set up a Spotify account from a config entry."""
    implementation = await async_get_config_entry_implementation(hass, entry)
    oauth_session = OAuth2Session(hass, entry, implementation)
    token_manager = SpotifyTokenManager(hass, entry, oauth_session)
    client = SpotifyClient(
        async_get_clientsession(hass),
        token_manager.async_get_access_token,
        api_base=api_base_url(),
    )
    user = await client.get_current_user()
    coordinator = SpotifyPlaybackCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = SpotifyPlayerData(
        client=client,
        token_manager=token_manager,
        user=user,
        coordinator=coordinator,
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry
) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
