"""Media browser nodes of Spotify objects (pure: no requests, no translations).

Every node carries its Spotify URI (or, inside a context, the browse id that plays
the context from it) as media_content_id, so whatever the browser shows plays as is.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import TYPE_CHECKING

from homeassistant.components.media_player import BrowseMedia, MediaClass, MediaType

from .api import Artist, Episode, Track
from .media_info import image_url
from .uri import item_in_context_id

if TYPE_CHECKING:
    from .api import (
        SearchResult,
        SimplifiedAlbum,
        SimplifiedArtist,
        SimplifiedEpisode,
        SimplifiedPlaylist,
        SimplifiedShow,
        SimplifiedTrack,
    )


def media_node(
    media_class: MediaClass,
    media_type: str,
    uri: str,
    title: str,
    thumbnail: str | None,
    *,
    can_expand: bool,
) -> BrowseMedia:
    """Return a playable node."""
    return BrowseMedia(
        media_class=media_class,
        media_content_id=uri,
        media_content_type=media_type,
        title=title,
        can_play=True,
        can_expand=can_expand,
        thumbnail=thumbnail,
    )


def _context_node(
    media_class: MediaClass,
    media_type: str,
    item: SimplifiedPlaylist | SimplifiedAlbum | SimplifiedShow,
) -> BrowseMedia:
    return media_node(
        media_class,
        media_type,
        item.uri,
        item.name,
        image_url(item.images),
        can_expand=True,
    )


def playlist_node(playlist: SimplifiedPlaylist) -> BrowseMedia:
    """Return a playlist node."""
    return _context_node(MediaClass.PLAYLIST, MediaType.PLAYLIST, playlist)


def album_node(album: SimplifiedAlbum) -> BrowseMedia:
    """Return an album node."""
    return _context_node(MediaClass.ALBUM, MediaType.ALBUM, album)


def artist_node(artist: SimplifiedArtist) -> BrowseMedia:
    """Return an artist node (plays the artist's top tracks)."""
    images = artist.images if isinstance(artist, Artist) else []
    return media_node(
        MediaClass.ARTIST,
        MediaType.ARTIST,
        artist.uri,
        artist.name,
        image_url(images),
        can_expand=True,
    )


def show_node(show: SimplifiedShow) -> BrowseMedia:
    """Return a podcast node."""
    return _context_node(MediaClass.PODCAST, MediaType.PODCAST, show)


def _content_id(uri: str, context_uri: str | None) -> str:
    return uri if context_uri is None else item_in_context_id(uri, context_uri)


def track_node(
    track: SimplifiedTrack,
    thumbnail: str | None = None,
    *,
    context_uri: str | None = None,
) -> BrowseMedia:
    """Return a track node; album tracks borrow the album's art.

    Inside an album, playlist or the liked songs (`context_uri`), playing the node
    plays the context from this track.
    """
    if isinstance(track, Track) and track.album is not None:
        thumbnail = image_url(track.album.images) or thumbnail
    return media_node(
        MediaClass.TRACK,
        MediaType.TRACK,
        _content_id(track.uri, context_uri),
        track.name,
        thumbnail,
        can_expand=False,
    )


def episode_node(
    episode: SimplifiedEpisode,
    thumbnail: str | None = None,
    *,
    context_uri: str | None = None,
) -> BrowseMedia:
    """Return an episode node (inside a playlist, it plays the playlist from it)."""
    return media_node(
        MediaClass.EPISODE,
        MediaType.EPISODE,
        _content_id(episode.uri, context_uri),
        episode.name,
        image_url(episode.images) or thumbnail,
        can_expand=False,
    )


def playable_node(item: Track | Episode | None, context_uri: str) -> BrowseMedia | None:
    """Return the node of a playlist entry's track or episode, if playable."""
    if isinstance(item, Track) and item.uri.startswith("spotify:track:"):
        return track_node(item, context_uri=context_uri)
    if isinstance(item, Episode):
        return episode_node(item, context_uri=context_uri)
    return None  # local files and unknown kinds cannot be played through the API


def search_nodes(result: SearchResult, query: str = "") -> list[BrowseMedia]:
    """Nodes of a media browser search, best match first.

    Spotify ranks each type on its own. Across types the best match is the one
    named exactly as asked (artists, then albums, playlists, tracks, shows,
    episodes), then the types' results interleave by rank. A track plays within
    its album, so next continues there (Assist plays the first node).
    """
    ranked: list[list[tuple[str, BrowseMedia]]] = []
    if result.artists:
        ranked.append([(i.name, artist_node(i)) for i in result.artists.items])
    if result.albums:
        ranked.append([(i.name, album_node(i)) for i in result.albums.items])
    if result.playlists:
        ranked.append([(i.name, playlist_node(i)) for i in result.playlists.items])
    if result.tracks:
        ranked.append(
            [
                (i.name, track_node(i, context_uri=i.album.uri if i.album else None))
                for i in result.tracks.items
            ]
        )
    if result.shows:
        ranked.append([(i.name, show_node(i)) for i in result.shows.items])
    if result.episodes:
        ranked.append([(i.name, episode_node(i)) for i in result.episodes.items])
    wanted = query.strip().casefold()
    exact = [
        node for kind in ranked for name, node in kind if name.casefold() == wanted
    ]
    by_rank = [
        pair[1]
        for rank in zip_longest(*ranked)
        for pair in rank
        if pair is not None and pair[1] not in exact
    ]
    return exact + by_rank
