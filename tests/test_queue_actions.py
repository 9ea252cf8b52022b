"""get_queue, add_to_queue, search and get_devices, through Home Assistant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.services import (
    SERVICE_ADD_TO_QUEUE,
    SERVICE_GET_DEVICES,
    SERVICE_GET_QUEUE,
    SERVICE_SEARCH,
)
from spotify_emulator import seed
from tests.helpers import (
    STRINGS,
    USER,
    api_requests,
    call_action,
    context_items,
    playing_uri,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

START_PLAYLIST = f"spotify:playlist:{seed.START_PLAYLIST_ID}"


def _scrub(value: Any, base: str) -> Any:
    """Replace the emulator's random port in image URLs."""
    if isinstance(value, dict):
        return {key: _scrub(item, base) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, base) for item in value]
    if isinstance(value, str):
        return value.replace(base, "http://emulator")
    return value


def _first_episode(world: World) -> str:
    return f"spotify:episode:{sorted(world.catalogue.episodes)[0]}"


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
    assert response["currently_playing"]["uri"] == playing_uri(emulator_world)
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


async def test_add_to_queue(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """A track URI lands at the end of the queue; a refresh confirms ~1 s later."""
    track = context_items(emulator_world, START_PLAYLIST)[10]
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
    track = context_items(emulator_world, START_PLAYLIST)[10]
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
    track = context_items(emulator_world, START_PLAYLIST)[10]
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
