"""Search Spotify's catalogue from the media browser (at most 10 per type)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player import (
    MediaClass,
    MediaType,
    SearchMedia,
    SearchMediaQuery,
)

from .api import SearchType
from .browse_nodes import search_nodes
from .errors import spotify_errors

if TYPE_CHECKING:
    from .coordinator import SpotifyPlaybackCoordinator

SEARCH_LIMIT: Final = 10
# Search types per media class the caller may filter on.
SEARCH_TYPES: Final = {
    MediaClass.TRACK: SearchType.TRACK,
    MediaClass.ALBUM: SearchType.ALBUM,
    MediaClass.ARTIST: SearchType.ARTIST,
    MediaClass.PLAYLIST: SearchType.PLAYLIST,
    MediaClass.PODCAST: SearchType.SHOW,
    MediaClass.EPISODE: SearchType.EPISODE,
}
SEARCH_TYPES_BY_MEDIA_TYPE: Final[dict[str, SearchType]] = {
    MediaType.TRACK: SearchType.TRACK,
    MediaType.MUSIC: SearchType.TRACK,
    MediaType.ALBUM: SearchType.ALBUM,
    MediaType.ARTIST: SearchType.ARTIST,
    MediaType.PLAYLIST: SearchType.PLAYLIST,
    MediaType.PODCAST: SearchType.SHOW,
    MediaType.EPISODE: SearchType.EPISODE,
}


async def async_search_media(
    coordinator: SpotifyPlaybackCoordinator, query: SearchMediaQuery
) -> SearchMedia:
    """Search Spotify's catalogue (Spotify returns at most 10 per type)."""
    if not (types := _search_types(query)):
        return SearchMedia(result=[])
    with spotify_errors(coordinator.hass, coordinator.config_entry):
        result = await coordinator.client.search(
            query.search_query, types, limit=SEARCH_LIMIT
        )
    return SearchMedia(result=search_nodes(result, query.search_query))


def _search_types(query: SearchMediaQuery) -> list[SearchType]:
    """Types to search: the filter classes, the content type, else all we show."""
    if query.media_filter_classes:
        return [
            SEARCH_TYPES[cls]
            for cls in query.media_filter_classes
            if cls in SEARCH_TYPES
        ]
    if kind := SEARCH_TYPES_BY_MEDIA_TYPE.get(query.media_content_type or ""):
        return [kind]
    return list(SEARCH_TYPES.values())
