"""Action responses: Spotify objects as automations read them (pure).

Every entry carries its URI, so an automation can play or queue what it found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from .api import Track
from .media_info import image_url, item_image_url

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .api import (
        Artist,
        Device,
        Episode,
        PlayHistory,
        Queue,
        SearchResult,
        SimplifiedAlbum,
        SimplifiedArtist,
        SimplifiedAudiobook,
        SimplifiedEpisode,
        SimplifiedPlaylist,
        SimplifiedShow,
    )


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


def _details(item: Any, kind: str) -> dict[str, Any]:
    """Return what search tells of an item beyond its URI, name and artwork."""
    match kind:
        case "album":
            return {
                "artists": _names(item.artists),
                "release_date": item.release_date,
                "total_tracks": item.total_tracks,
            }
        case "playlist":
            return {"owner": item.owner.display_name if item.owner else None}
        case "episode":
            return {"release_date": item.release_date, "duration_ms": item.duration_ms}
        case "audiobook":
            return {"authors": [author.name for author in item.authors]}
    return {}


# Response key -> the item kind it lists (tracks are presented as playables).
SEARCH_KINDS: Final = {
    "albums": "album",
    "artists": "artist",
    "playlists": "playlist",
    "shows": "show",
    "episodes": "episode",
    "audiobooks": "audiobook",
}


def search_response(result: SearchResult) -> dict[str, Any]:
    """Response of search: one list per type asked for."""
    response: dict[str, Any] = {}
    if result.tracks is not None:
        response["tracks"] = [playable_dict(item) for item in result.tracks.items]
    for key, kind in SEARCH_KINDS.items():
        if (page := getattr(result, key)) is not None:
            response[key] = [
                _entry(item, kind, **_details(item, kind)) for item in page.items
            ]
    return response
