"""Runtime data kept on a Spotify Player config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .api import SpotifyClient, UserProfile
    from .auth import SpotifyTokenManager
    from .commands import PlayerCommands
    from .confirmation import CommandConfirmation
    from .coordinator import SpotifyPlaybackCoordinator
    from .device_memory import DeviceMemory
    from .devices import DeviceList
    from .household import SharedApp
    from .up_next import UpNext
    from .wake import SleepingDevices

type SpotifyPlayerConfigEntry = ConfigEntry[SpotifyPlayerData]


@dataclass(frozen=True, kw_only=True, slots=True)
class SpotifyPlayerData:
    """The parts of one loaded account, composed once in async_setup_entry.

    None of them reads this object: each is handed the others it needs, so the
    modules below never import this one.
    """

    client: SpotifyClient
    token_manager: SpotifyTokenManager
    user: UserProfile
    app: SharedApp
    coordinator: SpotifyPlaybackCoordinator
    commands: PlayerCommands
    confirmation: CommandConfirmation
    devices: DeviceList
    device_memory: DeviceMemory
    sleeping: SleepingDevices
    up_next: UpNext
