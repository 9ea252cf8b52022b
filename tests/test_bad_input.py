"""Malformed action calls: each is refused, translated, before any request is sent.

Numbers that are not finite or out of the declared range (a seek past the item's
end included), text that is empty, too long or not valid Unicode, junk device names
and URIs of the wrong type. None may crash, none may reach Spotify: not even the
device list a well-formed unknown device name may refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_SEARCH_QUERY,
    ATTR_MEDIA_SEEK_POSITION,
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    SERVICE_PLAY_MEDIA,
    SERVICE_SEARCH_MEDIA,
    SERVICE_SELECT_SOURCE,
)
from homeassistant.const import SERVICE_MEDIA_SEEK
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import seed
from tests.helpers import USER, api_requests, call_action, call_player, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

TRACK = "spotify:track:0000000000000000000000"
ALBUM = "spotify:album:0000000000000000000000"
PLAYLIST = f"spotify:playlist:{seed.START_PLAYLIST_ID}"
LONE_SURROGATE = "\ud800"
HUGE = "x" * 5000
# What every device field must refuse before it looks for the device.
JUNK_DEVICES: list[tuple[Any, str]] = [
    ("", "text_empty"),
    ("   ", "text_empty"),
    (HUGE, "text_too_long"),
    (LONE_SURROGATE, "text_invalid"),
    ("Kitchen\x00", "text_invalid"),
    ("../", "device_invalid"),
    ("Kitchen/../Attic", "device_invalid"),
    ("..\\", "device_invalid"),
    ("%2F..%2F", "device_invalid"),
    ("...", "device_invalid"),
    (["Living Room Speaker"], "text_invalid"),
]
JUNK_TEXT: list[tuple[Any, str]] = [
    ("", "text_empty"),
    ("  ", "text_empty"),
    (HUGE, "text_too_long"),
    (LONE_SURROGATE, "text_invalid"),
    (f"spotify:track:{LONE_SURROGATE}", "text_invalid"),
    ("a\nb", "text_invalid"),
    ({"uri": TRACK}, "text_invalid"),
]
# offset_position 0..10000, position_ms 0..86400000, as services.yaml declares.
JUNK_NUMBERS: list[tuple[str, Any, str]] = [
    ("offset_position", 10**30, "number_out_of_range"),
    ("offset_position", 10_001, "number_out_of_range"),
    ("offset_position", -1, "number_out_of_range"),
    ("offset_position", 1.5, "number_out_of_range"),
    ("offset_position", float("inf"), "number_not_finite"),
    ("offset_position", float("-inf"), "number_not_finite"),
    ("offset_position", float("nan"), "number_not_finite"),
    ("offset_position", "1e400", "number_not_finite"),
    ("offset_position", "ten", "number_invalid"),
    ("offset_position", True, "number_invalid"),
    ("offset_position", [1], "number_invalid"),
    ("position_ms", 10**20, "number_out_of_range"),
    ("position_ms", 86_400_001, "number_out_of_range"),
    ("position_ms", 1e308, "number_out_of_range"),
    ("position_ms", float("inf"), "number_not_finite"),
    ("position_ms", "-1e400", "number_not_finite"),
]

ACTION_CASES: list[tuple[str, dict[str, Any], str]] = [
    # add_to_queue
    *(("add_to_queue", {"uri": value}, key) for value, key in JUNK_TEXT),
    ("add_to_queue", {"uri": ALBUM}, "queue_unsupported_type"),
    ("add_to_queue", {"uri": "spotify:track:short"}, "invalid_uri"),
    ("add_to_queue", {"uri": 12}, "invalid_uri"),
    ("add_to_queue", {}, "invalid_field"),
    *(
        ("add_to_queue", {"uri": TRACK, "device": value}, key)
        for value, key in JUNK_DEVICES
    ),
    # play_context
    *(("play_context", {"context_uri": value}, key) for value, key in JUNK_TEXT),
    ("play_context", {"context_uri": TRACK}, "context_unsupported_type"),
    *(
        ("play_context", {"context_uri": PLAYLIST, field: value}, key)
        for field, value, key in JUNK_NUMBERS
    ),
    *(
        ("play_context", {"context_uri": PLAYLIST, "offset_uri": value}, key)
        for value, key in JUNK_TEXT
    ),
    (
        "play_context",
        {"context_uri": PLAYLIST, "offset_uri": ALBUM},
        "offset_uri_unsupported_type",
    ),
    (
        "play_context",
        {"context_uri": PLAYLIST, "offset_position": 1, "offset_uri": TRACK},
        "offsets_exclusive",
    ),
    ("play_context", {"context_uri": PLAYLIST, "shuffle": "maybe"}, "invalid_field"),
    *(
        ("play_context", {"context_uri": PLAYLIST, "device": value}, key)
        for value, key in JUNK_DEVICES
    ),
    # transfer_playback
    *(("transfer_playback", {"device": value}, key) for value, key in JUNK_DEVICES),
    (
        "transfer_playback",
        {"device": "Living Room Speaker", "play": "maybe"},
        "invalid_field",
    ),
    # search
    *(("search", {"query": value}, key) for value, key in JUNK_TEXT),
    ("search", {"query": "a" * 501}, "text_too_long"),
    ("search", {"query": "a", "limit": 11}, "number_out_of_range"),
    ("search", {"query": "a", "limit": 0}, "number_out_of_range"),
    ("search", {"query": "a", "limit": float("inf")}, "number_not_finite"),
    ("search", {"query": "a", "limit": "1e400"}, "number_not_finite"),
    ("search", {"query": "a", "types": ["podcast"]}, "invalid_field"),
    ("search", {"query": "a", "types": []}, "invalid_field"),
    ("search", {"query": "a", "extra": 1}, "invalid_field"),
    # get_devices, get_queue
    ("get_devices", {"device": "x"}, "invalid_field"),
    ("get_queue", {"limit": 1}, "invalid_field"),
]

MEDIA_PLAYER_CASES: list[tuple[str, dict[str, Any], str]] = [
    (SERVICE_MEDIA_SEEK, {ATTR_MEDIA_SEEK_POSITION: float("inf")}, "number_not_finite"),
    (SERVICE_MEDIA_SEEK, {ATTR_MEDIA_SEEK_POSITION: "1e400"}, "number_not_finite"),
    (SERVICE_MEDIA_SEEK, {ATTR_MEDIA_SEEK_POSITION: 1e308}, "seek_beyond_duration"),
    (SERVICE_MEDIA_SEEK, {ATTR_MEDIA_SEEK_POSITION: 1e16}, "seek_beyond_duration"),
    *(
        (SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: value}, key)
        for value, key in JUNK_DEVICES
        if isinstance(value, str)
    ),
    *(
        (
            SERVICE_PLAY_MEDIA,
            {ATTR_MEDIA_CONTENT_ID: value, ATTR_MEDIA_CONTENT_TYPE: "music"},
            key,
        )
        for value, key in JUNK_TEXT
        if isinstance(value, str)
    ),
    (
        SERVICE_PLAY_MEDIA,
        {
            ATTR_MEDIA_CONTENT_ID: "spotify:track:short",
            ATTR_MEDIA_CONTENT_TYPE: "music",
        },
        "invalid_media_id",
    ),
    (
        SERVICE_SEARCH_MEDIA,
        {ATTR_MEDIA_SEARCH_QUERY: f"queen {LONE_SURROGATE}"},
        "text_invalid",
    ),
    (SERVICE_SEARCH_MEDIA, {ATTR_MEDIA_SEARCH_QUERY: HUGE}, "text_too_long"),
]

# (domain, action, data, translation key): the integration's own actions, then the
# media player's, whose schemas Home Assistant owns (the entity checks the rest).
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    *((DOMAIN, service, data, key) for service, data, key in ACTION_CASES),
    *(
        (MEDIA_PLAYER_DOMAIN, service, data, key)
        for service, data, key in MEDIA_PLAYER_CASES
    ),
]


async def call(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    domain: str,
    service: str,
    data: dict[str, Any],
) -> None:
    """Call an action of the account `entry` (or of its media player)."""
    if domain == DOMAIN:
        await call_action(hass, service, entry, **data)
    else:
        await call_player(hass, service, **data)


def _id(case: tuple[str, str, dict[str, Any], str]) -> str:
    _domain, service, data, key = case
    shown = {
        k: (v if len(repr(v)) < 30 else f"{repr(v)[:20]}...") for k, v in data.items()
    }
    return f"{service}-{key}-{shown}"


@pytest.mark.parametrize(
    ("domain", "service", "data", "key"), CASES, ids=map(_id, CASES)
)
async def test_malformed_calls_are_refused_before_sending(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    domain: str,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Each malformed field: a translated validation error, no request, no change."""
    since = len(emulator_world.request_log)
    shown = state(hass)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, init_integration, domain, service, data)
    assert (err.value.translation_domain, err.value.translation_key) == (DOMAIN, key)
    assert str(err.value)
    assert api_requests(emulator_world, since) == []
    assert state(hass).attributes == shown.attributes


async def test_seek_to_the_end_of_the_item_is_sent(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """The item's own length is still a valid seek target; past it is not."""
    duration = state(hass).attributes["media_duration"]
    await call_player(
        hass, SERVICE_MEDIA_SEEK, **{ATTR_MEDIA_SEEK_POSITION: duration - 1}
    )
    assert emulator_world.request_log.count(method="PUT", path="/v1/me/player/seek")
    with pytest.raises(ServiceValidationError):
        await call_player(
            hass, SERVICE_MEDIA_SEEK, **{ATTR_MEDIA_SEEK_POSITION: duration + 1}
        )


@pytest.mark.parametrize("name", ["Attic Radio", "AC/DC Room", "100% Loud"])
async def test_unknown_well_formed_device_refreshes_the_list_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    name: str,
) -> None:
    """A plausible name Spotify does not know costs one device list, no command."""
    since = len(emulator_world.request_log)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, "transfer_playback", init_integration, device=name)
    assert err.value.translation_key == "unknown_device"
    assert api_requests(emulator_world, since) == ["GET /v1/me/player/devices"]
    assert emulator_world.snapshot(USER) is not None
