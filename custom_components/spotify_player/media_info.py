"""What the media player shows about the item playing (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player import MediaType

from .api import CurrentlyPlayingType, Episode, Track, largest_image
from .uri import uri_type

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .api import Image
    from .playback import SpotifyPlaybackData

# Home Assistant has no media type for audiobooks; Spotify's own word is used.
MEDIA_TYPE_AUDIOBOOK: Final = "audiobook"
MEDIA_TYPE_AD: Final = "ad"


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


@dataclass(frozen=True, kw_only=True, slots=True)
class MediaInfo:
    """Media attributes of the entity; None where they do not apply."""

    content_id: str | None = None
    content_type: str | None = None
    title: str | None = None
    artist: str | None = None
    album_name: str | None = None
    album_artist: str | None = None
    series_title: str | None = None
    track: int | None = None
    duration: int | None = None
    image_url: str | None = None
    playlist: str | None = None


def _is_audiobook(data: SpotifyPlaybackData) -> bool:
    """Chapters play as episodes; only the context (or a chapter URI) tells."""
    playback, item = data.playback, data.item
    if item is not None and item.uri.startswith("spotify:chapter:"):
        return True
    return bool(
        playback
        and playback.context
        and playback.context.uri
        and uri_type(playback.context.uri) == "audiobook"
    )


def media_info(data: SpotifyPlaybackData) -> MediaInfo:
    """Extract title, artists, album, art and so on from a playback snapshot."""
    playback, item = data.playback, data.item
    if playback is None:
        return MediaInfo()
    playlist = data.context_name
    if playback.currently_playing_type is CurrentlyPlayingType.AD:
        return MediaInfo(content_type=MEDIA_TYPE_AD, playlist=playlist)
    if isinstance(item, Track):
        album = item.album
        return MediaInfo(
            content_id=item.uri,
            content_type=MediaType.MUSIC,
            title=item.name,
            artist=", ".join(artist.name for artist in item.artists) or None,
            album_name=album.name if album else None,
            album_artist=", ".join(artist.name for artist in album.artists) or None
            if album
            else None,
            track=item.track_number,
            duration=round(item.duration_ms / 1000),
            image_url=item_image_url(item),
            playlist=playlist,
        )
    if isinstance(item, Episode):
        show = item.show
        return MediaInfo(
            content_id=item.uri,
            content_type=MEDIA_TYPE_AUDIOBOOK
            if _is_audiobook(data)
            else MediaType.PODCAST,
            title=item.name,
            artist=show.publisher if show else None,
            album_name=show.name if show else None,
            series_title=show.name if show else None,
            duration=round(item.duration_ms / 1000),
            image_url=item_image_url(item),
            playlist=playlist,
        )
    return MediaInfo(playlist=playlist)
