"""Actions of the Spotify Player integration.

Registered once in `async_setup`, so automations that use them validate even while no
account is loaded. Actions that act on a player are entity services: they target the
integration's media player entities, the account's and its speakers' (actions.py
has their methods; action_targets.py runs them once per account). Actions
of the account (`search`, `get_devices`, `get_recently_played`) pick it with
`config_entry_id`. Every field is checked by the schemas here before anything is
sent, and every refusal is a translated ServiceValidationError (validation.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.media_player import DOMAIN as MEDIA_PLAYER_DOMAIN
from homeassistant.const import ATTR_CONFIG_ENTRY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv, selector, service

from .action_targets import action_handler
from .api import MAX_SEARCH_LIMIT, SearchType
from .api.const import MAX_LIBRARY_URIS, MAX_PAGE_LIMIT
from .const import DOMAIN
from .errors import spotify_errors
from .responses import device_dict, recently_played_response, search_response
from .schema_library import vol
from .uri import CONTEXT_TYPES
from .validation import (
    MAX_POSITION_MS,
    MAX_QUERY_LENGTH,
    ActionSchema,
    FieldInvalid,
    device,
    spotify_uri,
    text,
    whole_number,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .data import SpotifyPlayerConfigEntry

SERVICE_GET_QUEUE: Final = "get_queue"
SERVICE_ADD_TO_QUEUE: Final = "add_to_queue"
SERVICE_PLAY_CONTEXT: Final = "play_context"
SERVICE_TRANSFER_PLAYBACK: Final = "transfer_playback"
SERVICE_SAVE_TO_LIBRARY: Final = "save_to_library"
SERVICE_REMOVE_FROM_LIBRARY: Final = "remove_from_library"
SERVICE_SEARCH: Final = "search"
SERVICE_GET_DEVICES: Final = "get_devices"
SERVICE_GET_RECENTLY_PLAYED: Final = "get_recently_played"

ATTR_URI: Final = "uri"
ATTR_URIS: Final = "uris"
ATTR_DEVICE: Final = "device"
ATTR_CONTEXT_URI: Final = "context_uri"
ATTR_OFFSET_POSITION: Final = "offset_position"
ATTR_OFFSET_URI: Final = "offset_uri"
ATTR_POSITION_MS: Final = "position_ms"
ATTR_SHUFFLE: Final = "shuffle"
ATTR_RANDOM_START: Final = "random_start"
ATTR_PLAY: Final = "play"
ATTR_QUERY: Final = "query"
ATTR_TYPES: Final = "types"
ATTR_LIMIT: Final = "limit"

# Spotify caps a search page at 10 items since February 2026; its default became 5.
SEARCH_DEFAULT_LIMIT: Final = 5
RECENTLY_PLAYED_DEFAULT_LIMIT: Final = 20

QUEUEABLE_TYPES: Final = frozenset({"track", "episode"})
# What Spotify's library takes (artists and playlists are followed).
LIBRARY_TYPES: Final = frozenset(
    {"track", "album", "episode", "show", "audiobook", "artist", "playlist"}
)
# The maximum services.yaml declares for offset_position (position_ms: validation.py).
MAX_OFFSET_POSITION: Final = 10_000


def _uri_list(item: Callable[[Any], str]) -> Callable[[Any], list[str]]:
    """Accept one URI or a list of 1..MAX_LIBRARY_URIS, each checked by `item`."""

    def validate(value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value]
        if not values:
            raise FieldInvalid("uris_empty")
        if len(values) > MAX_LIBRARY_URIS:
            raise FieldInvalid("too_many_uris", max=str(MAX_LIBRARY_URIS))
        return list(dict.fromkeys(item(entry) for entry in values))

    return validate


def _one_offset(data: dict[str, Any]) -> dict[str, Any]:
    if ATTR_OFFSET_POSITION in data and ATTR_OFFSET_URI in data:
        raise FieldInvalid("offsets_exclusive")
    return data


def _entity_schema(
    fields: dict[Any, Any], *checks: Callable[[dict[str, Any]], dict[str, Any]]
) -> ActionSchema:
    """Return an entity service schema (media player targets), refusals translated."""
    return ActionSchema(vol.All(cv.make_entity_service_schema(fields), *checks))


_ENTRY_SCHEMA: Final = ActionSchema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): selector.ConfigEntrySelector(
            {"integration": DOMAIN}
        ),
    }
)

GET_QUEUE_SCHEMA: Final = _entity_schema({})

ADD_TO_QUEUE_SCHEMA: Final = _entity_schema(
    {
        vol.Required(ATTR_URI): spotify_uri(QUEUEABLE_TYPES, "queue_unsupported_type"),
        vol.Optional(ATTR_DEVICE): device,
    }
)

PLAY_CONTEXT_SCHEMA: Final = _entity_schema(
    {
        vol.Required(ATTR_CONTEXT_URI): spotify_uri(
            CONTEXT_TYPES, "context_unsupported_type"
        ),
        vol.Optional(ATTR_DEVICE): device,
        vol.Optional(ATTR_OFFSET_POSITION): whole_number(0, MAX_OFFSET_POSITION),
        vol.Optional(ATTR_OFFSET_URI): spotify_uri(
            QUEUEABLE_TYPES, "offset_uri_unsupported_type"
        ),
        vol.Optional(ATTR_POSITION_MS): whole_number(0, MAX_POSITION_MS),
        vol.Optional(ATTR_SHUFFLE): cv.boolean,
        vol.Optional(ATTR_RANDOM_START, default=False): cv.boolean,
    },
    _one_offset,
)

TRANSFER_PLAYBACK_SCHEMA: Final = _entity_schema(
    {
        # Optional on a speaker (it is the device); the account's player needs it.
        vol.Optional(ATTR_DEVICE): device,
        vol.Optional(ATTR_PLAY): cv.boolean,
    }
)

_LIBRARY_SCHEMA: Final = _entity_schema(
    {
        vol.Optional(ATTR_URIS): _uri_list(
            spotify_uri(LIBRARY_TYPES, "library_unsupported_type")
        ),
    }
)
SAVE_TO_LIBRARY_SCHEMA: Final = _LIBRARY_SCHEMA
REMOVE_FROM_LIBRARY_SCHEMA: Final = _LIBRARY_SCHEMA

GET_DEVICES_SCHEMA: Final = _ENTRY_SCHEMA

GET_RECENTLY_PLAYED_SCHEMA: Final = _ENTRY_SCHEMA.extend(
    {
        vol.Optional(ATTR_LIMIT, default=RECENTLY_PLAYED_DEFAULT_LIMIT): whole_number(
            1, MAX_PAGE_LIMIT
        ),
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

# Entity services: (action, schema, method of the media player, response).
ENTITY_SERVICES: Final = (
    (
        SERVICE_PLAY_CONTEXT,
        PLAY_CONTEXT_SCHEMA,
        "async_play_context",
        SupportsResponse.OPTIONAL,
    ),
    (
        SERVICE_TRANSFER_PLAYBACK,
        TRANSFER_PLAYBACK_SCHEMA,
        "async_transfer_playback",
        SupportsResponse.NONE,
    ),
    (
        SERVICE_ADD_TO_QUEUE,
        ADD_TO_QUEUE_SCHEMA,
        "async_add_to_queue",
        SupportsResponse.NONE,
    ),
    (SERVICE_GET_QUEUE, GET_QUEUE_SCHEMA, "async_get_queue", SupportsResponse.ONLY),
    (
        SERVICE_SAVE_TO_LIBRARY,
        SAVE_TO_LIBRARY_SCHEMA,
        "async_save_to_library",
        SupportsResponse.NONE,
    ),
    (
        SERVICE_REMOVE_FROM_LIBRARY,
        REMOVE_FROM_LIBRARY_SCHEMA,
        "async_remove_from_library",
        SupportsResponse.NONE,
    ),
)


def _loaded_entry(call: ServiceCall) -> SpotifyPlayerConfigEntry:
    """Return the loaded entry the call names (translated validation error if not)."""
    entry: SpotifyPlayerConfigEntry = service.async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    return entry


async def _async_search(call: ServiceCall) -> ServiceResponse:
    entry = _loaded_entry(call)
    types = [SearchType(value) for value in dict.fromkeys(call.data[ATTR_TYPES])]
    with spotify_errors(call.hass, entry):
        result = await entry.runtime_data.client.search(
            call.data[ATTR_QUERY], types, limit=call.data[ATTR_LIMIT]
        )
    return search_response(result)


async def _async_get_devices(call: ServiceCall) -> ServiceResponse:
    entry = _loaded_entry(call)
    with spotify_errors(call.hass, entry):
        devices = await entry.runtime_data.devices.async_fetch()
    return {"devices": [device_dict(device) for device in devices]}


async def _async_get_recently_played(call: ServiceCall) -> ServiceResponse:
    entry = _loaded_entry(call)
    with spotify_errors(call.hass, entry):
        page = await entry.runtime_data.client.get_recently_played(
            limit=call.data[ATTR_LIMIT]
        )
    return recently_played_response(page.items)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, schema, method, responds in ENTITY_SERVICES:
        service.async_register_platform_entity_service(
            hass,
            DOMAIN,
            name,
            entity_domain=MEDIA_PLAYER_DOMAIN,
            schema=schema,
            func=action_handler(method),
            supports_response=responds,
        )
    for name, handler, account_schema in (
        (SERVICE_SEARCH, _async_search, SEARCH_SCHEMA),
        (SERVICE_GET_DEVICES, _async_get_devices, GET_DEVICES_SCHEMA),
        (
            SERVICE_GET_RECENTLY_PLAYED,
            _async_get_recently_played,
            GET_RECENTLY_PLAYED_SCHEMA,
        ),
    ):
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=account_schema,
            supports_response=SupportsResponse.ONLY,
        )
