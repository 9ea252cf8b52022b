"""Runtime data kept on a Spotify Player config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .api import SpotifyClient, UserProfile
    from .auth import SpotifyTokenManager
    from .commands import PlayerCommands
    from .coordinator import SpotifyPlaybackCoordinator

type SpotifyPlayerConfigEntry = ConfigEntry[SpotifyPlayerData]


@dataclass(frozen=True, kw_only=True, slots=True)
class SpotifyPlayerData:
    """Everything a loaded entry needs, built once in async_setup_entry."""

    client: SpotifyClient
    token_manager: SpotifyTokenManager
    user: UserProfile
    coordinator: SpotifyPlaybackCoordinator
    commands: PlayerCommands
