"""Actions of the Spotify Player integration.

Registered once in `async_setup`, so automations that use them validate even while no
account is loaded; each call picks its account with `config_entry_id`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, selector
from homeassistant.helpers.service import async_get_config_entry

from .api import (
    MAX_SEARCH_LIMIT,
    Artist,
    Device,
    Episode,
    Image,
    SearchType,
    SimplifiedAlbum,
    SimplifiedArtist,
    SimplifiedAudiobook,
    SimplifiedEpisode,
    SimplifiedPlaylist,
    SimplifiedShow,
    Track,
    largest_image,
)
from .const import DOMAIN
from .errors import spotify_errors
from .schema_library import vol
from .util import CONTEXT_TYPES, to_spotify_uri, uri_type
from .validation import (
    MAX_POSITION_MS,
    MAX_QUERY_LENGTH,
    MAX_URI_LENGTH,
    ActionSchema,
    device,
    text,
    whole_number,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .coordinator import SpotifyPlaybackCoordinator
    from .data import SpotifyPlayerConfigEntry

SERVICE_GET_QUEUE: Final = "get_queue"
SERVICE_ADD_TO_QUEUE: Final = "add_to_queue"
SERVICE_PLAY_CONTEXT: Final = "play_context"
SERVICE_TRANSFER_PLAYBACK: Final = "transfer_playback"
SERVICE_SEARCH: Final = "search"
SERVICE_GET_DEVICES: Final = "get_devices"

ATTR_URI: Final = "uri"
ATTR_DEVICE: Final = "device"
ATTR_DEVICE_ID: Final = "device_id"
ATTR_CONTEXT_URI: Final = "context_uri"
ATTR_OFFSET_POSITION: Final = "offset_position"
ATTR_OFFSET_URI: Final = "offset_uri"
ATTR_POSITION_MS: Final = "position_ms"
ATTR_SHUFFLE: Final = "shuffle"
ATTR_PLAY: Final = "play"
ATTR_QUERY: Final = "query"
ATTR_TYPES: Final = "types"
ATTR_LIMIT: Final = "limit"

# Spotify caps a search page at 10 items since February 2026; its default became 5.
SEARCH_DEFAULT_LIMIT: Final = 5

QUEUEABLE_TYPES: Final = frozenset({"track", "episode"})
# Spotify only honours a start offset inside an album or a playlist.
OFFSET_CONTEXT_TYPES: Final = frozenset({"album", "playlist"})
# The maximum services.yaml declares for offset_position (position_ms: validation.py).
MAX_OFFSET_POSITION: Final = 10_000

_uri = text(MAX_URI_LENGTH)

# Every refusal is a translated ServiceValidationError (validation.py), raised
# before the action sends anything.
_ENTRY_SCHEMA: Final = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): selector.ConfigEntrySelector(
            {"integration": DOMAIN}
        ),
    }
)

GET_QUEUE_SCHEMA: Final = _ENTRY_SCHEMA
GET_DEVICES_SCHEMA: Final = _ENTRY_SCHEMA

ADD_TO_QUEUE_SCHEMA: Final = _ENTRY_SCHEMA.extend(
    {
        vol.Required(ATTR_URI): _uri,
        vol.Optional(ATTR_DEVICE_ID): device,
    }
)

PLAY_CONTEXT_SCHEMA: Final = _ENTRY_SCHEMA.extend(
    {
        vol.Required(ATTR_CONTEXT_URI): _uri,
        vol.Optional(ATTR_DEVICE): device,
        vol.Exclusive(ATTR_OFFSET_POSITION, "offset"): whole_number(
            0, MAX_OFFSET_POSITION
        ),
        vol.Exclusive(ATTR_OFFSET_URI, "offset"): _uri,
        vol.Optional(ATTR_POSITION_MS): whole_number(0, MAX_POSITION_MS),
        vol.Optional(ATTR_SHUFFLE): cv.boolean,
    }
)

TRANSFER_PLAYBACK_SCHEMA: Final = _ENTRY_SCHEMA.extend(
    {
        vol.Required(ATTR_DEVICE): device,
        vol.Optional(ATTR_PLAY): cv.boolean,
    }
)

SEARCH_SCHEMA: Final = _ENTRY_SCHEMA.extend(
    {
        vol.Required(ATTR_QUERY): text(MAX_QUERY_LENGTH),
        vol.Optional(ATTR_TYPES, default=[SearchType.TRACK.value]): vol.All(
            cv.ensure_list,
            vol.Length(min=1),
            [vol.In([search_type.value for search_type in SearchType])],
        ),
        vol.Optional(ATTR_LIMIT, default=SEARCH_DEFAULT_LIMIT): whole_number(
            1, MAX_SEARCH_LIMIT
        ),
    }
)


def _loaded_entry(call: ServiceCall) -> SpotifyPlayerConfigEntry:
    """Return the loaded entry the call names (translated validation error if not)."""
    entry: SpotifyPlayerConfigEntry = async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    return entry


def _validated_uri(value: str, allowed: frozenset[str], key: str) -> tuple[str, str]:
    """Normalise a URI or open.spotify.com link and check its type.

    Returns (uri, type); `key` names the translated error for a type outside `allowed`.
    """
    try:
        uri = to_spotify_uri(value)
    except ValueError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_uri",
            translation_placeholders={"uri": value},
        ) from err
    kind = uri_type(uri)
    if kind not in allowed:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders={"uri": uri, "type": kind},
        )
    return uri, kind


async def _async_device_id(
    coordinator: SpotifyPlaybackCoordinator, requested: str | None
) -> str | None:
    """Resolve the device a call names, if any.

    An unknown one refreshes the device list once, then fails translated, before
    any command is sent.
    """
    if requested is None:
        return None
    return (await coordinator.async_resolve_device(requested)).id


def _image_url(images: Sequence[Image]) -> str | None:
    image = largest_image(images)
    return image.url if image is not None else None


def _artist_names(artists: Sequence[SimplifiedArtist]) -> list[str]:
    return [artist.name for artist in artists]


def _playable_dict(item: Track | Episode) -> dict[str, Any]:
    """Compact view of a queue entry: a track or a podcast episode."""
    if isinstance(item, Track):
        album = item.album
        return {
            "uri": item.uri,
            "name": item.name,
            "type": "track",
            "artists": _artist_names(item.artists),
            "album": album.name if album else None,
            "duration_ms": item.duration_ms,
            "image_url": _image_url(album.images) if album else None,
        }
    show = item.show
    return {
        "uri": item.uri,
        "name": item.name,
        "type": "episode",
        "show": show.name if show else None,
        "duration_ms": item.duration_ms,
        # Episodes usually carry their own artwork; fall back to the show's.
        "image_url": _image_url(item.images)
        or (_image_url(show.images) if show else None),
    }


def _device_dict(device: Device) -> dict[str, Any]:
    return {
        "id": device.id,
        "name": device.name,
        "type": device.type,
        "is_active": device.is_active,
        "is_restricted": device.is_restricted,
        "volume_percent": device.volume_percent,
        "supports_volume": device.supports_volume,
    }


def _album_dict(album: SimplifiedAlbum) -> dict[str, Any]:
    return {
        "uri": album.uri,
        "name": album.name,
        "type": "album",
        "artists": _artist_names(album.artists),
        "release_date": album.release_date,
        "total_tracks": album.total_tracks,
        "image_url": _image_url(album.images),
    }


def _artist_dict(artist: Artist) -> dict[str, Any]:
    return {
        "uri": artist.uri,
        "name": artist.name,
        "type": "artist",
        "image_url": _image_url(artist.images),
    }


def _playlist_dict(playlist: SimplifiedPlaylist) -> dict[str, Any]:
    return {
        "uri": playlist.uri,
        "name": playlist.name,
        "type": "playlist",
        "owner": playlist.owner.display_name if playlist.owner else None,
        "image_url": _image_url(playlist.images),
    }


def _show_dict(show: SimplifiedShow) -> dict[str, Any]:
    return {
        "uri": show.uri,
        "name": show.name,
        "type": "show",
        "image_url": _image_url(show.images),
    }


def _episode_dict(episode: SimplifiedEpisode) -> dict[str, Any]:
    return {
        "uri": episode.uri,
        "name": episode.name,
        "type": "episode",
        "release_date": episode.release_date,
        "duration_ms": episode.duration_ms,
        "image_url": _image_url(episode.images),
    }


def _audiobook_dict(audiobook: SimplifiedAudiobook) -> dict[str, Any]:
    return {
        "uri": audiobook.uri,
        "name": audiobook.name,
        "type": "audiobook",
        "authors": [author.name for author in audiobook.authors],
        "image_url": _image_url(audiobook.images),
    }


async def _async_get_queue(call: ServiceCall) -> ServiceResponse:
    entry = _loaded_entry(call)
    with spotify_errors(call.hass, entry):
        queue = await entry.runtime_data.client.get_queue()
    current = queue.currently_playing
    return {
        "currently_playing": _playable_dict(current) if current is not None else None,
        "queue": [_playable_dict(item) for item in queue.queue],
    }


async def _async_add_to_queue(call: ServiceCall) -> None:
    entry = _loaded_entry(call)
    uri, _ = _validated_uri(
        call.data[ATTR_URI], QUEUEABLE_TYPES, "queue_unsupported_type"
    )
    client = entry.runtime_data.client
    coordinator = entry.runtime_data.coordinator
    target = await _async_device_id(coordinator, call.data.get(ATTR_DEVICE_ID))

    async def add(device_id: str | None) -> None:
        await client.add_to_queue(uri, device_id=target or device_id)

    await coordinator.async_run_command(add, needs_device=target is None)


async def _async_play_context(call: ServiceCall) -> None:
    entry = _loaded_entry(call)
    context_uri, context_type = _validated_uri(
        call.data[ATTR_CONTEXT_URI], CONTEXT_TYPES, "context_unsupported_type"
    )
    offset_position: int | None = call.data.get(ATTR_OFFSET_POSITION)
    offset_uri: str | None = None
    if ATTR_OFFSET_URI in call.data:
        offset_uri, _ = _validated_uri(
            call.data[ATTR_OFFSET_URI], QUEUEABLE_TYPES, "offset_uri_unsupported_type"
        )
    if (
        offset_position is not None or offset_uri is not None
    ) and context_type not in OFFSET_CONTEXT_TYPES:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="offset_not_supported",
            translation_placeholders={"type": context_type},
        )
    client = entry.runtime_data.client
    coordinator = entry.runtime_data.coordinator
    target = await _async_device_id(coordinator, call.data.get(ATTR_DEVICE))
    position_ms: int | None = call.data.get(ATTR_POSITION_MS)
    shuffle: bool | None = call.data.get(ATTR_SHUFFLE)

    async def start(device_id: str | None) -> None:
        device_id = target or device_id
        await client.start_playback(
            device_id=device_id,
            context_uri=context_uri,
            offset_position=offset_position,
            offset_uri=offset_uri,
            position_ms=position_ms,
        )
        # Starting playback takes no shuffle flag: set it on the device now playing.
        if shuffle is not None:
            await client.set_shuffle(shuffle, device_id=device_id)

    # Without a device the coordinator picks one: the active device, else it
    # transfers to the default or last active device first.
    await coordinator.async_run_command(
        start, needs_device=target is None, device_changed=target is not None
    )


async def _async_transfer_playback(call: ServiceCall) -> None:
    entry = _loaded_entry(call)
    await entry.runtime_data.coordinator.async_transfer_playback(
        call.data[ATTR_DEVICE], play=call.data.get(ATTR_PLAY)
    )


async def _async_search(call: ServiceCall) -> ServiceResponse:
    entry = _loaded_entry(call)
    types = [SearchType(value) for value in dict.fromkeys(call.data[ATTR_TYPES])]
    with spotify_errors(call.hass, entry):
        result = await entry.runtime_data.client.search(
            call.data[ATTR_QUERY], types, limit=call.data[ATTR_LIMIT]
        )
    response: dict[str, Any] = {}
    if result.tracks is not None:
        response["tracks"] = [_playable_dict(item) for item in result.tracks.items]
    if result.albums is not None:
        response["albums"] = [_album_dict(item) for item in result.albums.items]
    if result.artists is not None:
        response["artists"] = [_artist_dict(item) for item in result.artists.items]
    if result.playlists is not None:
        response["playlists"] = [
            _playlist_dict(item) for item in result.playlists.items
        ]
    if result.shows is not None:
        response["shows"] = [_show_dict(item) for item in result.shows.items]
    if result.episodes is not None:
        response["episodes"] = [_episode_dict(item) for item in result.episodes.items]
    if result.audiobooks is not None:
        response["audiobooks"] = [
            _audiobook_dict(item) for item in result.audiobooks.items
        ]
    return response


async def _async_get_devices(call: ServiceCall) -> ServiceResponse:
    entry = _loaded_entry(call)
    coordinator = entry.runtime_data.coordinator
    with spotify_errors(call.hass, entry):
        devices = await coordinator.async_refresh_devices()
    return {"devices": [_device_dict(device) for device in devices]}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_QUEUE,
        _async_get_queue,
        schema=GET_QUEUE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_ADD_TO_QUEUE, _async_add_to_queue, schema=ADD_TO_QUEUE_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, SERVICE_PLAY_CONTEXT, _async_play_context, schema=PLAY_CONTEXT_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_TRANSFER_PLAYBACK,
        _async_transfer_playback,
        schema=TRANSFER_PLAYBACK_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEARCH,
        _async_search,
        schema=SEARCH_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_DEVICES,
        _async_get_devices,
        schema=GET_DEVICES_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
