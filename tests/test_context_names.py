"""Context names (playlist, album, artist, show): from the item, else looked up once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_UNAVAILABLE
import pytest

from custom_components.spotify_player.context_names import MAX_CACHED_CONTEXTS
from custom_components.spotify_player.diagnostics import (
    async_get_config_entry_diagnostics,
)
from spotify_emulator import FaultKind, seed
from tests.helpers import USER, api_requests, reauth_flows, spotify_error, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

PLAYER = "/v1/me/player"
PLAYLISTS = "/v1/playlists/"


def _playlist_lookups(world: World, since: int = 0) -> list[str]:
    return [r for r in api_requests(world, since) if r.startswith(f"GET {PLAYLISTS}")]


def _play_from_app(world: World, playlist_id: str = seed.MIXED_PLAYLIST_ID) -> None:
    """Another app starts a playlist the integration has not named yet."""
    playback = world.playback(USER)
    assert playback.device_key is not None
    playback.play_context(
        device_key=playback.device_key,
        context_uri=f"spotify:playlist:{playlist_id}",
        items=[entry.uri for entry in world.catalogue.playlists[playlist_id].entries],
        offset=0,
        position_ms=0,
    )


def _answer_polls(
    world: World,
    context: dict[str, Any],
    *,
    item: dict[str, Any] | None = None,
    count: int = 1,
) -> None:
    """Answer the next polls with playback in `context`, by default of no item."""
    world.faults.add(
        FaultKind.STATUS,
        path_prefix=PLAYER,
        method="GET",
        status=200,
        count=count,
        body={
            "device": {"id": "d", "name": "D", "type": "Speaker", "is_active": True},
            "is_playing": True,
            "currently_playing_type": "unknown",
            "context": context,
            "item": item,
        },
    )


async def contexts_cached(hass: HomeAssistant, entry: MockConfigEntry) -> int:
    """Return how many context names the diagnostics download says are cached."""
    download = await async_get_config_entry_diagnostics(hass, entry)
    cached: int = download["coordinator"]["contexts_cached"]
    return cached


async def test_context_name_looked_up_once(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """The playlist's name is fetched once, then cached per URI."""
    assert state(hass).attributes["media_playlist"] == "Morning Commute"
    for _ in range(4):
        await tick(15)
    assert _playlist_lookups(emulator_world) == [
        f"GET {PLAYLISTS}{seed.START_PLAYLIST_ID}"
    ]


async def test_context_name_from_item_needs_no_request(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A show context is named by the episode playing."""
    emulator_world.play_episode(USER)
    start = len(emulator_world.request_log)
    await tick(15)
    attributes = state(hass).attributes
    assert attributes["media_playlist"] == attributes["media_series_title"]
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]


@pytest.mark.parametrize("kind", ["artist", "show"])
async def test_artist_and_show_contexts_are_looked_up(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    kind: str,
) -> None:
    """An artist or show context the item does not name is fetched once."""
    catalogue = emulator_world.catalogue
    item_id, item = next(
        iter((catalogue.artists if kind == "artist" else catalogue.shows).items())
    )
    _answer_polls(
        emulator_world, {"uri": f"spotify:{kind}:{item_id}", "type": kind}, count=2
    )
    start = len(emulator_world.request_log)

    await tick(15)
    assert state(hass).attributes["media_playlist"] == item.name
    await tick(15)
    assert state(hass).attributes["media_playlist"] == item.name
    assert api_requests(emulator_world, start) == [
        f"GET {PLAYER}",
        f"GET /v1/{kind}s/{item_id}",
        f"GET {PLAYER}",
    ]


async def test_context_lookup_failure_is_not_cached(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A failed lookup leaves the name empty and is tried again; 404 is final."""
    emulator_world.faults.add(FaultKind.STATUS, path_prefix=PLAYLISTS, status=500)
    emulator_world.faults.add(FaultKind.STATUS, path_prefix=PLAYLISTS, status=404)
    _play_from_app(emulator_world)
    start = len(emulator_world.request_log)
    await tick(15)
    assert state(hass).attributes.get("media_playlist") is None
    await tick(15)
    assert state(hass).attributes.get("media_playlist") is None
    await tick(15)
    assert len(_playlist_lookups(emulator_world, start)) == 2  # 500, 404 (cached)


async def test_context_refused_is_not_asked_again(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A 403 for the context (someone else's private playlist) is final, like 404."""
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix=PLAYLISTS,
        **spotify_error(403, "Forbidden"),
    )
    _play_from_app(emulator_world)
    start = len(emulator_world.request_log)
    for _ in range(3):
        await tick(15)
    assert state(hass).attributes.get("media_playlist") is None
    assert len(_playlist_lookups(emulator_world, start)) == 1


async def test_auth_failure_in_a_lookup_starts_reauth(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A dead grant met while naming the context starts reauth once.

    The lookup keeps quiet (the one rule for background fetches); the token
    manager that met the dead grant asks for reauth, and the next poll stops.
    """
    emulator_world.faults.add(FaultKind.EXPIRED_TOKEN, path_prefix=PLAYLISTS)
    emulator_world.faults.add(
        FaultKind.REVOKED_REFRESH_TOKEN, path_prefix="/api/token", method="POST"
    )
    _play_from_app(emulator_world)
    await tick(15)
    assert len(reauth_flows(hass)) == 1
    await tick(15)
    assert state(hass).state == STATE_UNAVAILABLE
    assert len(reauth_flows(hass)) == 1


async def test_context_name_cache_is_bounded(
    hass: HomeAssistant,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Past MAX_CACHED_CONTEXTS names the cache starts over."""
    coordinator = init_integration.runtime_data.coordinator

    async def play_album(number: int) -> None:
        uri = f"spotify:album:{number:022d}"
        album = {"uri": uri, "name": f"Album {number}"}
        item = {"type": "track", "uri": "spotify:track:t", "album": album}
        _answer_polls(emulator_world, {"uri": uri, "type": "album"}, item=item)
        await coordinator.async_refresh()
        assert state(hass).attributes["media_playlist"] == f"Album {number}"

    assert await contexts_cached(hass, init_integration) == 1  # the seeded playlist
    for number in range(MAX_CACHED_CONTEXTS - 1):
        await play_album(number)
    assert await contexts_cached(hass, init_integration) == MAX_CACHED_CONTEXTS
    await play_album(MAX_CACHED_CONTEXTS)
    assert await contexts_cached(hass, init_integration) == 1
