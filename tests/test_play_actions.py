"""play_context and transfer_playback, through Home Assistant against the emulator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.services import (
    SERVICE_PLAY_CONTEXT,
    SERVICE_TRANSFER_PLAYBACK,
)
from spotify_emulator import FaultKind, seed
from tests.helpers import USER, api_requests, call_action, context_items

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

START_PLAYLIST = f"spotify:playlist:{seed.START_PLAYLIST_ID}"
SPEAKER = "Living Room Speaker"


def _first_album(world: World) -> tuple[str, list[str]]:
    uri = f"spotify:album:{sorted(world.catalogue.albums)[0]}"
    return uri, context_items(world, uri)


async def test_play_context(
    hass: HomeAssistant,
    tick: Tick,
    init_integration: MockConfigEntry,
    emulator_world: World,
) -> None:
    """A playlist from a position, part-way in, shuffled, on the active device."""
    items = context_items(emulator_world, START_PLAYLIST)
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


@pytest.mark.parametrize(
    "options", [{"default_device": seed.PHONE_DEVICE_ID}], ids=["phone_default"]
)
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
    devices = init_integration.runtime_data.devices.devices
    active = [device.id for device in devices if device.is_active]
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
