"""Browse media nodes of Spotify objects (pure: no requests, no translations).

Every node carries its Spotify URI as media_content_id, so whatever the browser
shows can be played as is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.media_player.browse_media import BrowseMedia
from homeassistant.components.media_player.const import MediaClass, MediaType

from .api import Artist, Episode, Track, largest_image
from .util import item_in_context_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .api import (
        Image,
        SimplifiedAlbum,
        SimplifiedArtist,
        SimplifiedEpisode,
        SimplifiedPlaylist,
        SimplifiedShow,
        SimplifiedTrack,
    )


def thumbnail_url(images: Sequence[Image]) -> str | None:
    """Return the URL of the largest image, if any."""
    return image.url if (image := largest_image(images)) else None


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


def playlist_node(playlist: SimplifiedPlaylist) -> BrowseMedia:
    """Return a playlist node."""
    return media_node(
        MediaClass.PLAYLIST,
        MediaType.PLAYLIST,
        playlist.uri,
        playlist.name,
        thumbnail_url(playlist.images),
        can_expand=True,
    )


def album_node(album: SimplifiedAlbum) -> BrowseMedia:
    """Return an album node."""
    return media_node(
        MediaClass.ALBUM,
        MediaType.ALBUM,
        album.uri,
        album.name,
        thumbnail_url(album.images),
        can_expand=True,
    )


def artist_node(artist: SimplifiedArtist) -> BrowseMedia:
    """Return an artist node (plays the artist's top tracks)."""
    images = artist.images if isinstance(artist, Artist) else []
    return media_node(
        MediaClass.ARTIST,
        MediaType.ARTIST,
        artist.uri,
        artist.name,
        thumbnail_url(images),
        can_expand=True,
    )


def show_node(show: SimplifiedShow) -> BrowseMedia:
    """Return a podcast node."""
    return media_node(
        MediaClass.PODCAST,
        MediaType.PODCAST,
        show.uri,
        show.name,
        thumbnail_url(show.images),
        can_expand=True,
    )


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
        thumbnail = thumbnail_url(track.album.images) or thumbnail
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
        thumbnail_url(episode.images) or thumbnail,
        can_expand=False,
    )


def playable_node(item: Track | Episode | None, context_uri: str) -> BrowseMedia | None:
    """Return the node of a playlist entry's track or episode, if playable."""
    if isinstance(item, Track) and item.uri.startswith("spotify:track:"):
        return track_node(item, context_uri=context_uri)
    if isinstance(item, Episode):
        return episode_node(item, context_uri=context_uri)
    return None  # local files and unknown kinds cannot be played through the API
