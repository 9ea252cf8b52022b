"""Names of the contexts (playlist, album, artist, show) that playback runs in.

Taken from the playing item when it carries them, else looked up once per URI and
cached, so a context costs at most one request however long it plays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

from .api import Episode, PlaybackState, SpotifyClient, Track
from .errors import NotFetched, async_background_fetch
from .uri import uri_id, uri_type

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

MAX_CACHED_CONTEXTS: Final = 100


class ContextNames:
    """Cache of context names by URI (None: known to have no name for us)."""

    def __init__(self, client: SpotifyClient, spend: Callable[[int], None]) -> None:
        """Start empty; `spend` charges each lookup to the coordinator's budget."""
        self._client = client
        self._spend = spend
        self._names: dict[str, str | None] = {}

    def __len__(self) -> int:
        """Return the number of cached names."""
        return len(self._names)

    async def async_name(self, playback: PlaybackState) -> str | None:
        """Name of the playlist, album, artist or show playing; cached per URI.

        Taken from the item when it carries it (no request), else looked up once.
        """
        if playback.context is None or not (uri := playback.context.uri):
            return None
        if uri in self._names:
            return self._names[uri]
        name = _name_from_item(uri, playback.item)
        if name is None and (lookup := _NAME_LOOKUPS.get(uri_type(uri))):
            result = await async_background_fetch(
                lookup(self._client, uri_id(uri)), "the context name"
            )
            self._spend(1)
            if isinstance(result, NotFetched):
                if not result.final:
                    return None  # not cached: try again on the next poll
                # Final answers are cached: Spotify's own mixes are hidden from apps
                # since 2026 (404), someone else's private playlist is refused (403).
                name = None
            else:
                name = result.name
        if len(self._names) >= MAX_CACHED_CONTEXTS:
            self._names.clear()
        self._names[uri] = name
        return name


class _Named(Protocol):
    @property
    def name(self) -> str: ...


# Context types whose name is looked up once when the playing item does not carry it.
_NAME_LOOKUPS: Final[dict[str, Callable[[SpotifyClient, str], Awaitable[_Named]]]] = {
    "playlist": SpotifyClient.get_playlist,
    "album": SpotifyClient.get_album,
    "artist": SpotifyClient.get_artist,
    "show": SpotifyClient.get_show,
}


def _name_from_item(uri: str, item: Track | Episode | None) -> str | None:
    """Return the context's name when the item itself carries it."""
    if isinstance(item, Track):
        if item.album is not None and item.album.uri == uri:
            return item.album.name
        for artist in item.artists:
            if artist.uri == uri:
                return artist.name
    if isinstance(item, Episode) and item.show is not None and item.show.uri == uri:
        return item.show.name
    return None
