"""The integration's actions, called through Home Assistant against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir, selector
from homeassistant.helpers.service import _SERVICES_SCHEMA
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.spotify_player import api
from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.errors import ERROR_TABLE, translate_spotify_error
from custom_components.spotify_player.services import (
    SERVICE_ADD_TO_QUEUE,
    SERVICE_GET_DEVICES,
    SERVICE_GET_QUEUE,
    SERVICE_GET_RECENTLY_PLAYED,
    SERVICE_PLAY_CONTEXT,
    SERVICE_REMOVE_FROM_LIBRARY,
    SERVICE_SAVE_TO_LIBRARY,
    SERVICE_SEARCH,
    SERVICE_TRANSFER_PLAYBACK,
)
from spotify_emulator import FaultKind, seed
from tests.helpers import PLAYER_ACTIONS, USER, api_requests, call_action, spotify_error

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from syrupy.assertion import SnapshotAssertion

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

INTEGRATION = Path(__file__).parent.parent / "custom_components" / DOMAIN
STRINGS = json.loads((INTEGRATION / "strings.json").read_text(encoding="utf-8"))

START_PLAYLIST = f"spotify:playlist:{seed.START_PLAYLIST_ID}"
SPEAKER = "Living Room Speaker"
RESTRICTED = "Hallway Amplifier"

# Minimal valid data per action, for the checks every action shares.
MINIMAL: dict[str, dict[str, Any]] = {
    SERVICE_GET_QUEUE: {},
    SERVICE_ADD_TO_QUEUE: {"uri": "spotify:track:0000000000000000000000"},
    SERVICE_PLAY_CONTEXT: {"context_uri": START_PLAYLIST},
    SERVICE_TRANSFER_PLAYBACK: {"device": SPEAKER},
    SERVICE_SEARCH: {"query": "a"},
    SERVICE_GET_DEVICES: {},
    SERVICE_GET_RECENTLY_PLAYED: {},
    SERVICE_SAVE_TO_LIBRARY: {"uris": "spotify:track:0000000000000000000000"},
    SERVICE_REMOVE_FROM_LIBRARY: {"uris": "spotify:track:0000000000000000000000"},
}
ACCOUNT_ACTIONS = [service for service in MINIMAL if service not in PLAYER_ACTIONS]


def _scrub(value: Any, base: str) -> Any:
    """Replace the emulator's random port in image URLs."""
    if isinstance(value, dict):
        return {key: _scrub(item, base) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, base) for item in value]
    if isinstance(value, str):
        return value.replace(base, "http://emulator")
    return value


def _world_uri(world: World) -> str | None:
    snapshot = world.snapshot(USER)
    return snapshot.item_uri if snapshot else None


def _first_episode(world: World) -> str:
    return f"spotify:episode:{sorted(world.catalogue.episodes)[0]}"


def _items(world: World, context_uri: str) -> list[str]:
    items = world.catalogue.context_items(context_uri)
    assert items
    return items


def _first_album(world: World) -> tuple[str, list[str]]:
    uri = f"spotify:album:{sorted(world.catalogue.albums)[0]}"
    return uri, _items(world, uri)


# Registration and entry selection ---------------------------------------------------


async def test_actions_exist_without_entries(
    hass: HomeAssistant, enable_custom_integrations: None
) -> None:
    """The actions are registered by async_setup, before any account is added."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert set(hass.services.async_services_for_domain(DOMAIN)) == set(MINIMAL)


@pytest.mark.parametrize("service", ACCOUNT_ACTIONS)
async def test_unknown_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, service: str
) -> None:
    """An entry id that does not exist is refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, service, "not-an-entry", **MINIMAL[service])
    assert err.value.translation_key == "service_config_entry_not_found"


@pytest.mark.parametrize("service", ACCOUNT_ACTIONS)
async def test_entry_not_loaded(
    hass: HomeAssistant, init_integration: MockConfigEntry, service: str
) -> None:
    """A second account that is not set up is refused, naming the account."""
    idle = MockConfigEntry(domain=DOMAIN, title="Not loaded", unique_id="other")
    idle.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, service, idle, **MINIMAL[service])
    assert err.value.translation_key == "service_config_entry_not_loaded"
    assert err.value.translation_placeholders == {
        "domain": DOMAIN,
        "entry_title": "Not loaded",
    }


async def test_entry_of_another_integration(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry of another integration is refused too."""
    other = MockConfigEntry(domain="demo", title="Demo")
    other.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, SERVICE_GET_DEVICES, other)
    assert err.value.translation_key == "service_config_entry_wrong_domain"


async def test_entry_is_required(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The account field is required by every action."""
    with pytest.raises(ServiceValidationError, match=r"."):
        await hass.services.async_call(
            DOMAIN, SERVICE_GET_DEVICES, {}, blocking=True, return_response=True
        )


# get_queue ------------------------------------------------------------------------


async def test_get_queue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    spotify_env: EmulatorServer,
    snapshot: SnapshotAssertion,
) -> None:
    """The current item and the queue, tracks and episodes alike."""
    emulator_world.playback(USER).add_to_queue(_first_episode(emulator_world))
    since = len(emulator_world.request_log.entries)

    response = await call_action(hass, SERVICE_GET_QUEUE, init_integration)

    assert api_requests(emulator_world, since) == ["GET /v1/me/player/queue"]
    assert response is not None
    assert response["currently_playing"]["uri"] == _world_uri(emulator_world)
    # Spotify lists the user's queue first, then what follows in the context.
    queue = response["queue"]
    assert len(queue) == 20
    assert [item["type"] for item in queue[: seed.QUEUE_LENGTH + 2]] == [
        *["track"] * seed.QUEUE_LENGTH,
        "episode",
        "track",
    ]
    head = {"currently_playing": response["currently_playing"], "queue": queue[:4]}
    assert _scrub(head, spotify_env.url) == snapshot


async def test_get_queue_idle(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """Without a session there is nothing playing and nothing queued."""
    emulator_world.stop_playback(USER)
    await tick(15)
    response = await call_action(hass, SERVICE_GET_QUEUE, init_integration)
    assert response == {"currently_playing": None, "queue": []}


# add_to_queue ---------------------------------------------------------------------


async def test_add_to_queue(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """A track URI lands at the end of the queue; a refresh confirms ~1 s later."""
    track = _items(emulator_world, START_PLAYLIST)[10]
    since = len(emulator_world.request_log.entries)

    await call_action(hass, SERVICE_ADD_TO_QUEUE, init_integration, uri=track)

    assert emulator_world.playback(USER).queue[-1] == track
    assert api_requests(emulator_world, since) == ["POST /v1/me/player/queue"]
    queued = next(
        entry
        for entry in emulator_world.request_log.entries[since:]
        if entry.path == "/v1/me/player/queue"
    )
    assert f"device_id={seed.COMPUTER_DEVICE_ID}" in queued.query
    await tick(1.1)
    assert api_requests(emulator_world, since)[1:] == ["GET /v1/me/player"]


async def test_add_to_queue_episode_link(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """An open.spotify.com link (with locale and query string) works too."""
    episode = _first_episode(emulator_world)
    link = f"https://open.spotify.com/intl-de/episode/{episode.rsplit(':', 1)[1]}?si=x"
    await call_action(
        hass,
        SERVICE_ADD_TO_QUEUE,
        init_integration,
        uri=link,
        device_id=seed.COMPUTER_DEVICE_ID,
    )
    assert emulator_world.playback(USER).queue[-1] == episode


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (
            START_PLAYLIST,
            (
                "queue_unsupported_type",
                {"field": "uri", "uri": START_PLAYLIST, "type": "playlist"},
            ),
        ),
        ("not a uri", ("invalid_uri", {"field": "uri", "uri": "not a uri"})),
        (
            f"spotify:user:{USER}:collection",
            (
                "queue_unsupported_type",
                {
                    "field": "uri",
                    "uri": f"spotify:user:{USER}:collection",
                    "type": "collection",
                },
            ),
        ),
        (
            "https://example.com/track/0000000000000000000000",
            (
                "invalid_uri",
                {
                    "field": "uri",
                    "uri": "https://example.com/track/0000000000000000000000",
                },
            ),
        ),
    ],
)
async def test_add_to_queue_invalid(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    uri: str,
    expected: tuple[str, dict[str, str]],
) -> None:
    """Albums and playlists go through play_media; anything else is not a URI."""
    since = len(emulator_world.request_log.entries)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, SERVICE_ADD_TO_QUEUE, init_integration, uri=uri)
    assert err.value.translation_domain == DOMAIN
    assert (
        err.value.translation_key,
        err.value.translation_placeholders,
    ) == expected
    assert api_requests(emulator_world, since) == []


async def test_add_to_queue_inactive_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """Spotify's NO_ACTIVE_DEVICE for a device that is not playing is translated."""
    track = _items(emulator_world, START_PLAYLIST)[10]
    with pytest.raises(HomeAssistantError) as err:
        await call_action(
            hass,
            SERVICE_ADD_TO_QUEUE,
            init_integration,
            uri=track,
            device=seed.SPEAKER_DEVICE_ID,
        )
    assert err.value.translation_key == "no_active_device"
    # Rendered from strings.json (Home Assistant drops the final full stop).
    message = STRINGS["exceptions"]["no_active_device"]["message"]
    assert str(err.value) == message.rstrip(".")


async def test_add_to_queue_unknown_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """A device Spotify does not list: the list is fetched again, nothing is queued."""
    track = _items(emulator_world, START_PLAYLIST)[10]
    since = len(emulator_world.request_log.entries)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(
            hass,
            SERVICE_ADD_TO_QUEUE,
            init_integration,
            uri=track,
            device="0123456789abcdef",
        )
    assert err.value.translation_key == "unknown_device"
    assert api_requests(emulator_world, since) == ["GET /v1/me/player/devices"]


# play_context ---------------------------------------------------------------------


async def test_play_context(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """A playlist from a position, part-way in, shuffled, on the active device."""
    items = _items(emulator_world, START_PLAYLIST)
    since = len(emulator_world.request_log.entries)

    await call_action(
        hass,
        SERVICE_PLAY_CONTEXT,
        init_integration,
        context_uri=START_PLAYLIST,
        offset_position=5,
        position_ms=30_000,
        shuffle=True,
    )

    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.context_uri == START_PLAYLIST
    assert snapshot.item_uri == items[5]
    assert snapshot.progress_ms == 30_000
    assert snapshot.shuffle_state is True
    assert snapshot.device_key == "computer"
    # Shuffle first: starting a context while shuffle is off plays it in order.
    assert api_requests(emulator_world, since) == [
        "PUT /v1/me/player/shuffle",
        "PUT /v1/me/player/play",
    ]
    await tick(1.1)
    assert api_requests(emulator_world, since)[2:] == ["GET /v1/me/player"]


async def test_play_context_on_named_device(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """An album link on a device picked by name, from a given track."""
    album, items = _first_album(emulator_world)
    link = f"https://open.spotify.com/album/{album.rsplit(':', 1)[1]}"
    since = len(emulator_world.request_log.entries)

    await call_action(
        hass,
        SERVICE_PLAY_CONTEXT,
        init_integration,
        context_uri=link,
        device=SPEAKER.upper(),
        offset_uri=items[-1],
    )

    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.device_key, snapshot.context_uri, snapshot.item_uri) == (
        "speaker",
        album,
        items[-1],
    )
    assert snapshot.shuffle_state is False
    assert api_requests(emulator_world, since) == ["PUT /v1/me/player/play"]
    # The device changed: the confirming refresh fetches the device list too.
    await tick(1.1)
    assert api_requests(emulator_world, since)[1:] == [
        "GET /v1/me/player",
        "GET /v1/me/player/devices",
    ]


@pytest.mark.parametrize("kind", ["collection", "audiobook"])
async def test_play_context_liked_songs_and_audiobooks(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    kind: str,
) -> None:
    """The liked songs and audiobooks play as contexts, as with play_media."""
    if kind == "collection":
        context = f"spotify:user:{USER}:collection"
    else:
        context = f"spotify:audiobook:{sorted(emulator_world.catalogue.audiobooks)[0]}"
    await call_action(hass, SERVICE_PLAY_CONTEXT, init_integration, context_uri=context)
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.context_uri == context


@pytest.mark.parametrize("options", [{"default_device": seed.PHONE_DEVICE_ID}])
async def test_play_context_when_idle(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """With nothing active, playback moves to the default device first."""
    entry = init_integration
    emulator_world.stop_playback(USER)
    await tick(15)
    artist = f"spotify:artist:{sorted(emulator_world.catalogue.artists)[0]}"
    since = len(emulator_world.request_log.entries)

    await call_action(
        hass, SERVICE_PLAY_CONTEXT, entry, context_uri=artist, shuffle=False
    )

    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.device_key, snapshot.context_uri) == ("phone", artist)
    assert snapshot.is_playing
    assert api_requests(emulator_world, since) == [
        "PUT /v1/me/player",
        "PUT /v1/me/player/shuffle",
        "PUT /v1/me/player/play",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"context_uri": "spotify:track:0000000000000000000000"},
            (
                "context_unsupported_type",
                {
                    "field": "context_uri",
                    "uri": "spotify:track:0000000000000000000000",
                    "type": "track",
                },
            ),
        ),
        (
            {"context_uri": "playlist"},
            ("invalid_uri", {"field": "context_uri", "uri": "playlist"}),
        ),
        (
            {"context_uri": START_PLAYLIST, "offset_uri": "nope"},
            ("invalid_uri", {"field": "offset_uri", "uri": "nope"}),
        ),
        (
            {"context_uri": START_PLAYLIST, "offset_uri": START_PLAYLIST},
            (
                "offset_uri_unsupported_type",
                {"field": "offset_uri", "uri": START_PLAYLIST, "type": "playlist"},
            ),
        ),
        (
            {
                "context_uri": "spotify:show:0000000000000000000000",
                "offset_position": 1,
            },
            ("offset_not_supported", {"type": "show"}),
        ),
        (
            {"context_uri": START_PLAYLIST, "device": "Kitchen Radio"},
            ("unknown_device", {"device": "Kitchen Radio"}),
        ),
    ],
)
async def test_play_context_invalid(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    data: dict[str, Any],
    expected: tuple[str, dict[str, str]],
) -> None:
    """Bad URIs, offsets that cannot apply and unknown devices send no command."""
    since = len(emulator_world.request_log.entries)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, SERVICE_PLAY_CONTEXT, init_integration, **data)
    assert err.value.translation_domain == DOMAIN
    assert (
        err.value.translation_key,
        err.value.translation_placeholders,
    ) == expected
    # At most the device list was refreshed to look for an unknown device.
    assert set(api_requests(emulator_world, since)) <= {"GET /v1/me/player/devices"}


@pytest.mark.parametrize(
    "data",
    [
        {"offset_position": 1, "offset_uri": "spotify:track:0000000000000000000000"},
        {"offset_position": -1},
        {"position_ms": -5},
        {"shuffle": "sometimes"},
    ],
)
async def test_play_context_schema(
    hass: HomeAssistant, init_integration: MockConfigEntry, data: dict[str, Any]
) -> None:
    """The offsets exclude each other; numbers and flags are checked."""
    with pytest.raises(ServiceValidationError, match=r"."):
        await call_action(
            hass,
            SERVICE_PLAY_CONTEXT,
            init_integration,
            context_uri=START_PLAYLIST,
            **data,
        )


# transfer_playback ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("device", "play"), [(SPEAKER, True), (seed.SPEAKER_DEVICE_ID, None)]
)
async def test_transfer_playback(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    device: str,
    play: bool | None,
) -> None:
    """By name or id; the device list is fetched again at once."""
    emulator_world.pause(USER)
    since = len(emulator_world.request_log.entries)
    data = {"device": device} | ({"play": play} if play is not None else {})

    await call_action(hass, SERVICE_TRANSFER_PLAYBACK, init_integration, **data)

    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.device_key == "speaker"
    assert snapshot.is_playing is bool(play)
    assert api_requests(emulator_world, since) == [
        "PUT /v1/me/player",
        "GET /v1/me/player/devices",
    ]
    coordinator = init_integration.runtime_data.coordinator
    active = [d.id for d in coordinator.devices if d.is_active]
    assert active == [seed.SPEAKER_DEVICE_ID]
    # The player shows the new device before the confirming refresh.
    player_state = hass.states.get("media_player.robin_emulated")
    assert player_state is not None
    assert player_state.attributes["source"] == SPEAKER


async def test_transfer_playback_device_refresh_fails(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """The transfer worked: a failing device refresh afterwards is not an error."""
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me/player/devices", status=503
    )
    await call_action(hass, SERVICE_TRANSFER_PLAYBACK, init_integration, device=SPEAKER)
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.device_key == "speaker"


async def test_transfer_playback_unaddressable(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """A device without an id (or unknown) cannot be picked."""
    since = len(emulator_world.request_log.entries)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(
            hass,
            SERVICE_TRANSFER_PLAYBACK,
            init_integration,
            device=seed.NULL_ID_DEVICE_NAME,
        )
    assert err.value.translation_key == "unknown_device"
    assert "PUT /v1/me/player" not in api_requests(emulator_world, since)


# search ---------------------------------------------------------------------------


async def test_search_every_type(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    spotify_env: EmulatorServer,
    snapshot: SnapshotAssertion,
) -> None:
    """Compact results per requested type."""
    types = ["track", "album", "artist", "playlist", "show", "episode", "audiobook"]
    since = len(emulator_world.request_log.entries)

    response = await call_action(
        hass,
        SERVICE_SEARCH,
        init_integration,
        query=" a ",
        types=[*types, "track"],
        limit=2,
    )

    assert response is not None
    assert set(response) == {f"{kind}s" for kind in types}
    assert all(0 < len(items) <= 2 for items in response.values())
    (request,) = emulator_world.request_log.entries[since:]
    assert request.path == "/v1/search"
    assert "limit=2" in request.query
    assert "type=track,album,artist,playlist,show,episode,audiobook&" in request.query
    assert _scrub(response, spotify_env.url) == snapshot


async def test_search_defaults(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """Tracks only, five of them, unless asked otherwise."""
    response = await call_action(hass, SERVICE_SEARCH, init_integration, query="e")
    assert response is not None
    assert list(response) == ["tracks"]
    assert len(response["tracks"]) == 5
    assert all(item["type"] == "track" for item in response["tracks"])


async def test_search_single_type(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A single type may be given as a plain string."""
    response = await call_action(
        hass, SERVICE_SEARCH, init_integration, query="a", types="album"
    )
    assert list(response) == ["albums"]
    assert {item["type"] for item in response["albums"]} == {"album"}


@pytest.mark.parametrize(
    "data",
    [
        {"query": "a", "limit": 11},
        {"query": "a", "limit": 0},
        {"query": "a", "types": ["podcast"]},
        {"query": "a", "types": []},
        {"query": "   "},
        {"types": ["track"]},
    ],
)
async def test_search_schema(
    hass: HomeAssistant, init_integration: MockConfigEntry, data: dict[str, Any]
) -> None:
    """Spotify's limit of 10, known types and a query are required."""
    with pytest.raises(ServiceValidationError, match=r"."):
        await call_action(hass, SERVICE_SEARCH, init_integration, **data)


# get_devices ----------------------------------------------------------------------


async def test_get_devices(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    snapshot: SnapshotAssertion,
) -> None:
    """The device list, fetched from Spotify for the call."""
    since = len(emulator_world.request_log.entries)
    response = await call_action(hass, SERVICE_GET_DEVICES, init_integration)
    assert api_requests(emulator_world, since) == ["GET /v1/me/player/devices"]
    assert response == snapshot


# Spotify errors -------------------------------------------------------------------


@pytest.mark.parametrize("user", [seed.FREE_USER_ID])
async def test_premium_required(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A free account cannot control playback: translated error and repair issue."""
    entry = init_integration
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_TRANSFER_PLAYBACK, entry, device="Budget Phone")
    assert err.value.translation_key == "premium_required"
    assert issue_registry.async_get_issue(DOMAIN, f"premium_required_{entry.entry_id}")


async def test_restricted_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Spotify refuses commands to a restricted device."""
    with pytest.raises(HomeAssistantError) as err:
        await call_action(
            hass, SERVICE_TRANSFER_PLAYBACK, init_integration, device=RESTRICTED
        )
    assert err.value.translation_key == "restricted_device"


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (
            spotify_error(429, "API rate limit exceeded", headers={"Retry-After": "7"}),
            ("rate_limited", {"retry_after": "7"}),
        ),
        (spotify_error(502, "Bad gateway"), ("server_error", {"error": "Bad gateway"})),
        (spotify_error(404, "Not found."), ("not_found", {"error": "Not found."})),
        (spotify_error(400, "Bad request"), ("api_error", {"error": "Bad request"})),
        (
            spotify_error(
                403,
                "Player command failed: Cannot control device volume",
                reason="VOLUME_CONTROL_DISALLOW",
            ),
            ("volume_control_disallowed", None),
        ),
        (
            spotify_error(
                403,
                "Check settings on developer.spotify.com/dashboard, "
                "the user may not be registered.",
            ),
            ("user_not_registered", None),
        ),
    ],
)
async def test_command_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    fault: dict[str, Any],
    expected: tuple[str, dict[str, str] | None],
) -> None:
    """Spotify's HTTP errors come out as translated Home Assistant errors."""
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me/player/queue", method="POST", **fault
    )
    track = _items(emulator_world, START_PLAYLIST)[10]
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_ADD_TO_QUEUE, init_integration, uri=track)
    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_domain == DOMAIN
    assert (
        err.value.translation_key,
        err.value.translation_placeholders,
    ) == expected
    assert track not in emulator_world.playback(USER).queue


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (FaultKind.RESET, "cannot_connect"),
        (FaultKind.MALFORMED, "malformed_response"),
    ],
)
async def test_read_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    kind: FaultKind,
    key: str,
) -> None:
    """Transport failures and unreadable answers of the read-only actions."""
    # Two shots: aiohttp retries an idempotent request once on a reused connection.
    emulator_world.faults.add(kind, path_prefix="/v1/me/player/queue", count=2)
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_GET_QUEUE, init_integration)
    assert err.value.translation_key == key


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        ({"kind": FaultKind.EXPIRED_TOKEN}, "authentication_failed"),
        (
            {
                "kind": FaultKind.STATUS,
                **spotify_error(403, "Insufficient client scope"),
            },
            "missing_scope",
        ),
    ],
)
async def test_auth_errors_start_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    fault: dict[str, Any],
    key: str,
) -> None:
    """A dead grant or missing scopes start reauthentication at once, and only that.

    Missing scopes raise no repair issue on top of the reauth flow: one question.
    """
    emulator_world.faults.add(path_prefix="/v1/search", **fault)
    # The refresh after a 401 finds the grant revoked.
    emulator_world.faults.add(FaultKind.REVOKED_REFRESH_TOKEN, path_prefix="/api/token")
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_SEARCH, init_integration, query="a")
    assert err.value.translation_key == key
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert not [
        issue for issue in ir.async_get(hass).issues.values() if issue.domain == DOMAIN
    ]


async def test_account_dropped_from_allow_list(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """A command refused for the app's allow-list raises that repair issue."""
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/search",
        **spotify_error(
            403,
            "Check settings on developer.spotify.com/dashboard, "
            "the user may not be registered.",
        ),
    )
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_SEARCH, init_integration, query="a")
    assert err.value.translation_key == "user_not_registered"
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"user_not_registered_{init_integration.entry_id}"
    )
    assert issue is not None


async def test_get_devices_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """A failing device list is translated as well."""
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me/player/devices", status=500
    )
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_GET_DEVICES, init_integration)
    assert err.value.translation_key == "server_error"


# Strings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        api.SpotifyPremiumRequiredError("x", status=403, reason="PREMIUM_REQUIRED"),
        api.SpotifyNoActiveDeviceError("x", status=404, reason="NO_ACTIVE_DEVICE"),
        api.SpotifyRateLimitedError("x", retry_after=0.2),
        api.SpotifyInsufficientScopeError("x", status=403),
        api.SpotifyUserNotRegisteredError("x", status=403),
        api.SpotifyForbiddenError("x", status=403, reason="VOLUME_CONTROL_DISALLOW"),
        api.SpotifyForbiddenError("Player command failed: Restriction violated"),
        api.SpotifyForbiddenError("Forbidden", status=403),
        api.SpotifyAuthenticationError("x", status=401),
        api.SpotifyNotFoundError("x", status=404),
        api.SpotifyServerError("x", status=500),
        api.SpotifyConnectionError("x"),
        api.SpotifyMalformedResponseError("x"),
        api.SpotifyResponseError("x", status=400),
        api.SpotifyError("x"),
    ],
    ids=repr,
)
def test_every_error_is_translated(error: api.SpotifyError) -> None:
    """Each mapped key exists with exactly the placeholders it is given."""
    translated = translate_spotify_error(error)
    assert translated.translation_domain == DOMAIN
    message = STRINGS["exceptions"][translated.translation_key]["message"]
    placeholders = translated.translation_placeholders or {}
    assert message.format(**placeholders)
    assert all(f"{{{name}}}" in message for name in placeholders)
    if isinstance(error, api.SpotifyRateLimitedError):
        assert placeholders == {"retry_after": "1"}


def test_error_table_keys_read_everywhere() -> None:
    """Every outcome of the error table has its message and its config flow abort."""
    for _kind, _condition, outcome in ERROR_TABLE:
        assert outcome.key in STRINGS["exceptions"], outcome.key
        assert outcome.key in STRINGS["config"]["abort"], outcome.key
        # Reauth and "only you can fix this" exclude each other: one question.
        assert not (outcome.reauth and outcome.issue), outcome.key


@pytest.mark.parametrize(
    "module",
    [
        "coordinator",
        "commands",
        "player_actions",
        "media_player",
        "services",
        "browse_media",
        "errors",
        "validation",
    ],
)
def test_raised_translation_keys_exist(module: str) -> None:
    """Every translation key the playback modules raise with is in strings.json."""
    source = (INTEGRATION / f"{module}.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'translation_key="([a-z_]+)"', source))
    keys |= set(re.findall(r'(?:_error|FieldInvalid)\(\s*"([a-z_]+)"', source))
    assert keys <= set(STRINGS["exceptions"])


@pytest.mark.parametrize(
    "key",
    [
        "context_unsupported_type",
        "queue_unsupported_type",
        "offset_uri_unsupported_type",
        "library_unsupported_type",
        "offset_not_supported",
    ],
)
def test_type_refusals_read_well(key: str) -> None:
    """The type is quoted, never put after an article ("is a album")."""
    template = STRINGS["exceptions"][key]["message"]
    assert "{type}" in template
    assert not re.search(r"\ban? \{type\}", template)


def test_services_yaml_matches_strings() -> None:
    """Every action and field in services.yaml has a name and a description."""
    services = load_yaml(str(INTEGRATION / "services.yaml"))
    assert isinstance(services, dict)
    # The schema Home Assistant loads action descriptions with, and valid selectors.
    _SERVICES_SCHEMA(services)
    for spec in services.values():
        for field in spec.get("fields", {}).values():
            selector.validate_selector(field["selector"])
    assert set(services) == set(MINIMAL)
    for service, spec in services.items():
        strings = STRINGS["services"][service]
        assert strings["name"]
        assert strings["description"]
        assert set(spec.get("fields", {})) == set(strings.get("fields", {}))
        for field in strings.get("fields", {}).values():
            assert field["name"]
            assert field["description"]
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    assert set(icons["services"]) == set(MINIMAL)
    translations = json.loads(
        (INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8")
    )
    assert translations == STRINGS
