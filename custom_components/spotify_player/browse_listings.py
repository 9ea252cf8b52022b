"""What a playlist, album, artist, show or the liked songs hold, as browse nodes.

Each lister fetches one object's items (pages followed up to MAX_BROWSE_ITEMS) and
returns them as nodes with the object's own title and artwork.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player import BrowseMedia, MediaClass, MediaType

from .api import (
    Album,
    PlaylistItem,
    SavedTrack,
    SimplifiedAlbum,
    SimplifiedEpisode,
    SimplifiedTrack,
    SpotifyPlaylistItemsForbiddenError,
)
from .browse_nodes import album_node, episode_node, playable_node, track_node
from .media_info import image_url

if TYPE_CHECKING:
    from .api import SpotifyClient

# Large libraries are cut here; the browser says how many are not shown.
MAX_BROWSE_ITEMS: Final = 200
MAX_ARTIST_ALBUMS: Final = 50


@dataclass(frozen=True, kw_only=True, slots=True)
class Listing:
    """Children of a node, how many exist in all, and the node's own details."""

    children: list[BrowseMedia]
    total: int
    title: str | None = None
    thumbnail: str | None = None
    contents_hidden: bool = False
    """Spotify does not list the items (a playlist in Development Mode)."""


async def list_liked_songs(client: SpotifyClient, uri: str) -> Listing:
    """List the liked songs (newest first) as nodes that play within them."""
    page = await client.get_saved_tracks()
    saved = await client.collect(page, SavedTrack, max_items=MAX_BROWSE_ITEMS)
    children = [track_node(s.track, context_uri=uri) for s in saved]
    return Listing(children=children, total=page.total)


async def _list_playlist(client: SpotifyClient, playlist_id: str) -> Listing:
    playlist = await client.get_playlist(playlist_id)
    entries: list[PlaylistItem] = []
    total = 0
    if (embedded := playlist.items) is not None:
        entries, total = embedded.items[:MAX_BROWSE_ITEMS], embedded.total
    if embedded is None or (embedded.next and len(entries) < MAX_BROWSE_ITEMS):
        # The embedded page's `next` asks for 100 items, more than the items
        # endpoint allows; continue with pages of our own instead.
        try:
            page = await client.get_playlist_items(playlist_id, offset=len(entries))
        except SpotifyPlaylistItemsForbiddenError:
            # Development Mode: only playlists the user owns or collaborates on
            # are listed; Spotify still plays the others as a whole.
            return Listing(
                children=[],
                total=0,
                title=playlist.name,
                thumbnail=image_url(playlist.images),
                contents_hidden=True,
            )
        more = MAX_BROWSE_ITEMS - len(entries)
        entries += await client.collect(page, PlaylistItem, max_items=more)
        total = page.total
    context_uri = playlist.uri
    children = [
        node
        for e in entries
        if (node := playable_node(e.item, context_uri)) is not None
    ]
    return Listing(
        children=children,
        total=total - (len(entries) - len(children)),
        title=playlist.name,
        thumbnail=image_url(playlist.images),
    )


async def _list_album(client: SpotifyClient, album_id: str) -> Listing:
    album: Album = await client.get_album(album_id)
    thumbnail = image_url(album.images)
    tracks: list[SimplifiedTrack] = []
    total = 0
    if album.tracks is not None:
        total = album.tracks.total
        tracks = await client.collect(
            album.tracks, SimplifiedTrack, max_items=MAX_BROWSE_ITEMS
        )
    return Listing(
        children=[track_node(t, thumbnail, context_uri=album.uri) for t in tracks],
        total=total,
        title=album.name,
        thumbnail=thumbnail,
    )


async def _list_artist(client: SpotifyClient, artist_id: str) -> Listing:
    # The albums need not name the artist, so its own lookup gives title and art.
    # Both requests run at once and both finish, even when one fails.
    artist, page = await asyncio.gather(
        client.get_artist(artist_id),
        client.get_artist_albums(artist_id),
        return_exceptions=True,
    )
    if isinstance(artist, BaseException):
        raise artist
    if isinstance(page, BaseException):
        raise page
    albums = await client.collect(page, SimplifiedAlbum, max_items=MAX_ARTIST_ALBUMS)
    return Listing(
        children=[album_node(a) for a in albums],
        total=page.total,
        title=artist.name,
        thumbnail=image_url(artist.images),
    )


async def _list_show(client: SpotifyClient, show_id: str) -> Listing:
    # The show carries its first page of episodes; no second request for those.
    show = await client.get_show(show_id)
    thumbnail = image_url(show.images)
    page = show.episodes or await client.get_show_episodes(show_id)
    episodes = await client.collect(page, SimplifiedEpisode, max_items=MAX_BROWSE_ITEMS)
    return Listing(
        children=[episode_node(e, thumbnail) for e in episodes],
        total=page.total,
        title=show.name,
        thumbnail=thumbnail,
    )


ItemLister = Callable[["SpotifyClient", str], Awaitable[Listing]]
ITEM_LISTERS: Final[dict[str, tuple[ItemLister, MediaClass, str]]] = {
    "playlist": (_list_playlist, MediaClass.PLAYLIST, MediaType.PLAYLIST),
    "album": (_list_album, MediaClass.ALBUM, MediaType.ALBUM),
    "artist": (_list_artist, MediaClass.ARTIST, MediaType.ARTIST),
    "show": (_list_show, MediaClass.PODCAST, MediaType.PODCAST),
}
