"""Constants for the Spotify Player integration."""

from __future__ import annotations

import logging
import os
from typing import Final

DOMAIN: Final = "spotify_player"
LOGGER = logging.getLogger(__package__)

DEFAULT_ACCOUNTS_URL: Final = "https://accounts.spotify.com"
DEFAULT_API_URL: Final = "https://api.spotify.com/v1"

# Development and tests only (the emulator); deliberately not a user option.
ENV_ACCOUNTS_URL: Final = "SPOTIFY_PLAYER_ACCOUNTS_URL"
ENV_API_URL: Final = "SPOTIFY_PLAYER_API_URL"

SPOTIFY_SCOPES: Final = (
    "user-read-playback-state",
    "user-modify-playback-state",
    "user-read-currently-playing",
    "user-read-private",
    "playlist-read-private",
    "playlist-read-collaborative",
    "user-library-read",
    "user-library-modify",
    "user-follow-read",
    "user-top-read",
    "user-read-recently-played",
    "user-read-playback-position",
)

# Where users create their Spotify app and manage its allow-list.
DASHBOARD_URL: Final = "https://developer.spotify.com/dashboard"

CONF_AUTHORIZED_AT: Final = "authorized_at"
CONF_DEFAULT_DEVICE: Final = "default_device"
# Label of the default device, kept so the options form can show it while offline.
CONF_DEFAULT_DEVICE_NAME: Final = "default_device_name"
CONF_PLAYING_INTERVAL: Final = "playing_interval"
# Spotify Connect device name -> entity that wakes the device (wake.py).
CONF_WAKE_LINKS: Final = "wake_links"

DEFAULT_PLAYING_INTERVAL: Final = 15
MIN_PLAYING_INTERVAL: Final = 5
MAX_PLAYING_INTERVAL: Final = 60


def accounts_base_url() -> str:
    """Return the Spotify Accounts service base URL."""
    return os.environ.get(ENV_ACCOUNTS_URL, DEFAULT_ACCOUNTS_URL).rstrip("/")


def api_base_url() -> str:
    """Return the Spotify Web API base URL."""
    return os.environ.get(ENV_API_URL, DEFAULT_API_URL).rstrip("/")
