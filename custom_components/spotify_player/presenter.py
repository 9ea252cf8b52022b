"""How Spotify objects are presented: action responses and browse media nodes.

Pure (no requests, no translations). Every node carries its Spotify URI as
media_content_id, so whatever the browser shows can be played as is; every response
entry carries its URI, so an automation can play or queue what it found.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import BrowseMedia, MediaClass, MediaType

from .api import Artist, Episode, Track, largest_image
from .uri import item_in_context_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .api import (
        Device,
        Image,
        PlayHistory,
        Queue,
        SearchResult,
        SimplifiedAlbum,
        SimplifiedArtist,
        SimplifiedAudiobook,
        SimplifiedEpisode,
        SimplifiedPlaylist,
        SimplifiedShow,
        SimplifiedTrack,
    )


def image_url(images: Sequence[Image]) -> str | None:
    """Return the URL of the largest image, if any."""
    return image.url if (image := largest_image(images)) else None


def item_image_url(item: Track | Episode) -> str | None:
    """Artwork of a track (its album's) or an episode (its own, else its show's)."""
    if isinstance(item, Track):
        return image_url(item.album.images) if item.album else None
    return image_url(item.images) or (
        image_url(item.show.images) if item.show else None
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


# Action responses


def _names(artists: Sequence[SimplifiedArtist]) -> list[str]:
    return [artist.name for artist in artists]


def playable_dict(item: Track | Episode) -> dict[str, Any]:
    """Present a track or a podcast episode (queue, search, recently played)."""
    if isinstance(item, Track):
        album = item.album
        return {
            "uri": item.uri,
            "name": item.name,
            "type": "track",
            "artists": _names(item.artists),
            "album": album.name if album else None,
            "duration_ms": item.duration_ms,
            "image_url": item_image_url(item),
        }
    return {
        "uri": item.uri,
        "name": item.name,
        "type": "episode",
        "show": item.show.name if item.show else None,
        "duration_ms": item.duration_ms,
        "image_url": item_image_url(item),
    }


def queue_response(queue: Queue) -> dict[str, Any]:
    """Response of get_queue: what plays now and what comes next."""
    current = queue.currently_playing
    return {
        "currently_playing": playable_dict(current) if current is not None else None,
        "queue": [playable_dict(item) for item in queue.queue],
    }


def recently_played_response(history: Sequence[PlayHistory]) -> dict[str, Any]:
    """Response of get_recently_played: newest first, with when each was played."""
    return {
        "items": [
            {
                **playable_dict(entry.track),
                "played_at": entry.played_at.isoformat() if entry.played_at else None,
                "context_uri": entry.context.uri if entry.context else None,
            }
            for entry in history
        ]
    }


def device_dict(device: Device) -> dict[str, Any]:
    """Present a Spotify Connect device (get_devices)."""
    return {
        "id": device.id,
        "name": device.name,
        "type": device.type,
        "is_active": device.is_active,
        "is_restricted": device.is_restricted,
        "volume_percent": device.volume_percent,
        "supports_volume": device.supports_volume,
    }


def _entry(
    item: SimplifiedAlbum
    | Artist
    | SimplifiedPlaylist
    | SimplifiedShow
    | SimplifiedEpisode
    | SimplifiedAudiobook,
    kind: str,
    **details: Any,
) -> dict[str, Any]:
    """Present a catalogue item of search: URI, name, type, details, artwork."""
    return {
        "uri": item.uri,
        "name": item.name,
        "type": kind,
        **details,
        "image_url": image_url(item.images),
    }


def search_response(result: SearchResult) -> dict[str, Any]:
    """Response of search: one list per type asked for."""
    response: dict[str, Any] = {}
    if result.tracks is not None:
        response["tracks"] = [playable_dict(item) for item in result.tracks.items]
    if result.albums is not None:
        response["albums"] = [
            _entry(
                item,
                "album",
                artists=_names(item.artists),
                release_date=item.release_date,
                total_tracks=item.total_tracks,
            )
            for item in result.albums.items
        ]
    if result.artists is not None:
        response["artists"] = [_entry(item, "artist") for item in result.artists.items]
    if result.playlists is not None:
        response["playlists"] = [
            _entry(
                item,
                "playlist",
                owner=item.owner.display_name if item.owner else None,
            )
            for item in result.playlists.items
        ]
    if result.shows is not None:
        response["shows"] = [_entry(item, "show") for item in result.shows.items]
    if result.episodes is not None:
        response["episodes"] = [
            _entry(
                item,
                "episode",
                release_date=item.release_date,
                duration_ms=item.duration_ms,
            )
            for item in result.episodes.items
        ]
    if result.audiobooks is not None:
        response["audiobooks"] = [
            _entry(item, "audiobook", authors=[a.name for a in item.authors])
            for item in result.audiobooks.items
        ]
    return response


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
