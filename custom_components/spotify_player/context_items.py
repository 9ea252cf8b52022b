"""The items of a context, read for the actions that need them before playing.

Enqueueing an album, playlist, show or the liked songs adds its first items one by
one (Spotify queues single items only); a random start needs the context's size.
"""

from __future__ import annotations

from dataclasses import dataclass
import logging
import secrets
from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.translation import async_get_exception_message

from .const import DOMAIN
from .uri import is_context_uri, uri_id, uri_type

if TYPE_CHECKING:
    from .api import SpotifyClient

_LOGGER = logging.getLogger(__name__)

# Enqueueing an album, playlist, show or liked songs adds this many items at most.
MAX_ENQUEUE: Final = 50


async def async_queueable(client: SpotifyClient, uri: str) -> list[str]:
    """Return the item, or the first MAX_ENQUEUE items of a context.

    Spotify errors propagate untranslated: call it inside `spotify_errors`.
    """
    if not is_context_uri(uri):
        return [uri]
    kind = uri_type(uri)
    if kind == "album":
        album = await client.get_album(uri_id(uri))
        tracks = album.tracks.items if album.tracks else []
        return [track.uri for track in tracks][:MAX_ENQUEUE]
    if kind == "playlist":
        page = await client.get_playlist_items(uri_id(uri), limit=MAX_ENQUEUE)
        return [
            entry.item.uri for entry in page.items if entry.item and not entry.is_local
        ]
    if kind == "show":
        episodes = await client.get_show_episodes(uri_id(uri), limit=MAX_ENQUEUE)
        return [episode.uri for episode in episodes.items if episode.uri]
    if kind == "collection":
        saved = await client.get_saved_tracks(limit=MAX_ENQUEUE)
        return [entry.track.uri for entry in saved.items]
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="enqueue_not_supported",
        translation_placeholders={"media_id": uri},
    )


async def async_random_start(client: SpotifyClient, context_uri: str) -> int | None:
    """Pick a random position in an album or playlist.

    None, with a warning in the log, when Spotify does not tell the size: Development
    Mode hides the items of playlists the user neither owns nor collaborates on.
    """
    if uri_type(context_uri) == "album":
        size = (await client.get_album(uri_id(context_uri))).total_tracks
    else:
        playlist = await client.get_playlist(uri_id(context_uri))
        size = playlist.items.total if playlist.items else None
    if not size:
        _LOGGER.warning(
            async_get_exception_message(
                DOMAIN, "random_start_size_unknown", {"uri": context_uri}
            )
        )
        return None
    return secrets.randbelow(size)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContextStart:
    """Where and how a context starts: at an item, a position, shuffled or not."""

    context_uri: str
    offset_position: int | None = None
    offset_uri: str | None = None
    position_ms: int | None = None
    shuffle: bool | None = None
