"""Constants of the Spotify Web API client."""

from __future__ import annotations

from typing import Final

DEFAULT_API_BASE: Final = "https://api.spotify.com/v1"
DEFAULT_REQUEST_TIMEOUT: Final = 10.0

# Limits enforced by Spotify (search was cut to 10 in February 2026).
MAX_PAGE_LIMIT: Final = 50
MAX_SEARCH_LIMIT: Final = 10
MAX_ARTIST_ALBUMS_LIMIT: Final = 10
MAX_SEARCH_OFFSET: Final = 1000
# PUT and DELETE /me/library take at most 40 URIs a request.
MAX_LIBRARY_URIS: Final = 40

# Without a Retry-After header the gate backs off 1, 2, 4 ... seconds, capped.
RATE_LIMIT_INITIAL_BACKOFF: Final = 1.0
RATE_LIMIT_MAX_BACKOFF: Final = 60.0
# The longest wait a Retry-After header may impose: Spotify's longest pause (its daily
# quota) ends within a day, and a wait beyond it could not be added to a date.
MAX_RETRY_AFTER: Final = 86_400.0

# Ask for episodes too, otherwise Spotify returns `item: null` while a podcast plays.
ADDITIONAL_TYPES: Final = "track,episode"
