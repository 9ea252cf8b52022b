"""save_to_library, remove_from_library, get_recently_played and random starts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import seed
from tests.helpers import (
    ENTITY_ID,
    STRINGS,
    USER,
    api_requests,
    call,
    call_action,
    playing_uri,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

PLAYLIST = f"spotify:playlist:{seed.START_PLAYLIST_ID}"


async def test_like_what_is_playing_and_take_it_back(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """Without URIs, the item playing is saved, then removed: one request each."""
    uri = playing_uri(emulator_world)
    assert uri
    saved = emulator_world.user(USER).saved
    saved.pop(uri, None)
    start = len(emulator_world.request_log)

    await call(hass, DOMAIN, "save_to_library", {ATTR_ENTITY_ID: ENTITY_ID})
    assert uri in saved
    await call(hass, DOMAIN, "remove_from_library", {ATTR_ENTITY_ID: ENTITY_ID})
    assert uri not in saved
    assert api_requests(emulator_world, start) == [
        "PUT /v1/me/library",
        "DELETE /v1/me/library",
    ]


async def test_save_named_uris_and_links(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """An album link and a track URI (twice) are saved in one request."""
    album_id = sorted(emulator_world.catalogue.albums)[0]
    track = playing_uri(emulator_world)
    assert track
    start = len(emulator_world.request_log)

    await call(
        hass,
        DOMAIN,
        "save_to_library",
        {
            ATTR_ENTITY_ID: ENTITY_ID,
            "uris": [f"https://open.spotify.com/album/{album_id}", track, track],
        },
    )

    saved = emulator_world.user(USER).saved
    assert f"spotify:album:{album_id}" in saved
    assert track in saved
    assert api_requests(emulator_world, start) == ["PUT /v1/me/library"]


@pytest.mark.parametrize(
    ("uris", "key"),
    [
        ([f"spotify:track:{index:022d}" for index in range(41)], "too_many_uris"),
        ([], "uris_empty"),
        (["spotify:user:someone:collection"], "library_unsupported_type"),
        (["not a uri"], "invalid_uri"),
    ],
)
async def test_library_refusals_send_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    uris: list[str],
    key: str,
) -> None:
    """Too many, none, the wrong kind or no URI at all: refused before any request."""
    start = len(emulator_world.request_log)
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            DOMAIN,
            "remove_from_library",
            {ATTR_ENTITY_ID: ENTITY_ID, "uris": uris},
        )
    assert err.value.translation_key == key
    assert api_requests(emulator_world, start) == []


async def test_nothing_playing_to_like(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """With nothing playing there is no default to save."""
    emulator_world.stop_playback(USER)
    await tick(15)
    start = len(emulator_world.request_log)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, DOMAIN, "save_to_library", {ATTR_ENTITY_ID: ENTITY_ID})
    assert err.value.translation_key == "nothing_playing"
    assert api_requests(emulator_world, start) == []


async def test_get_recently_played(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """The newest tracks first, with when they played and from where."""
    response = await call_action(hass, "get_recently_played", init_integration, limit=3)
    assert response is not None
    items = response["items"]
    assert isinstance(items, list)
    assert 0 < len(items) <= 3
    played = [item["played_at"] for item in items]
    assert played == sorted(played, reverse=True)
    assert all(item["type"] == "track" and item["uri"] for item in items)
    assert any(item["context_uri"] == PLAYLIST for item in items)


async def test_recently_played_limit_is_checked(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Spotify gives at most 50."""
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, "get_recently_played", init_integration, limit=51)
    assert err.value.translation_key == "number_out_of_range"


@pytest.mark.parametrize("kind", ["playlist", "album"])
async def test_random_start(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    kind: str,
) -> None:
    """A random start asks the size once and starts at an item of the context."""
    if kind == "playlist":
        context = PLAYLIST
    else:
        context = f"spotify:album:{sorted(emulator_world.catalogue.albums)[0]}"
    items = emulator_world.catalogue.context_items(context)
    start = len(emulator_world.request_log)

    response = await call_action(
        hass,
        "play_context",
        init_integration,
        context_uri=context,
        random_start=True,
        shuffle=True,
    )

    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.context_uri == context
    assert snapshot.item_uri in items
    assert response == {
        "context_uri": context,
        "random_start_applied": True,
        "offset_position": items.index(snapshot.item_uri),
    }
    assert snapshot.shuffle_state is True
    sent = api_requests(emulator_world, start)
    assert sent[0].startswith(f"GET /v1/{kind}s/")
    assert sent[1:] == ["PUT /v1/me/player/shuffle", "PUT /v1/me/player/play"]


async def test_random_start_without_a_size_says_so(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A playlist the user only follows: Spotify hides its size in Development Mode.

    Playback starts at the first item, and the response and a translated warning
    say that the random start did not happen.
    """
    context = f"spotify:playlist:{seed.CURATED_PLAYLIST_ID}"
    first = emulator_world.catalogue.context_items(context)[0]

    with caplog.at_level(logging.WARNING):
        response = await call_action(
            hass,
            "play_context",
            init_integration,
            context_uri=context,
            random_start=True,
        )

    assert response == {
        "context_uri": context,
        "random_start_applied": False,
        "offset_position": None,
    }
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.item_uri == first
    warning = STRINGS["exceptions"]["random_start_size_unknown"]["message"]
    assert warning.format(uri=context).rstrip(".") in [
        record.getMessage()
        for record in caplog.records
        if record.levelname == "WARNING"
    ]


async def test_play_context_answers_without_a_random_start(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """Asked for a response, a plain start says where it started; else no response."""
    response = await call_action(
        hass, "play_context", init_integration, context_uri=PLAYLIST, offset_position=2
    )
    assert response == {
        "context_uri": PLAYLIST,
        "random_start_applied": False,
        "offset_position": 2,
    }
    assert (
        await hass.services.async_call(
            DOMAIN,
            "play_context",
            {ATTR_ENTITY_ID: ENTITY_ID, "context_uri": PLAYLIST},
            blocking=True,
        )
        is None
    )


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"context_uri": PLAYLIST, "offset_position": 1}, "random_start_with_offset"),
        (
            {"context_uri": f"spotify:artist:{'0' * 22}"},
            "offset_not_supported",
        ),
    ],
)
async def test_random_start_refusals(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    data: dict[str, Any],
    key: str,
) -> None:
    """A random start with an offset, or into an artist, is refused before sending."""
    start = len(emulator_world.request_log)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(
            hass, "play_context", init_integration, random_start=True, **data
        )
    assert err.value.translation_key == key
    assert api_requests(emulator_world, start) == []
