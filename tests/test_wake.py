"""Sleeping speakers: a linked entity wakes the device, then the command runs on it.

The emulator's "Living Room AVR" is out of Spotify Connect until its control API is
called; a real template switch (or script) does that through rest_command, and the
device joins `wake_delay` seconds later. Every test here fails without the wake-up:
Spotify does not know the device, so the command is refused as an unknown device.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_ON
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.spotify_player.const import (
    CONF_DEFAULT_DEVICE,
    CONF_DEFAULT_DEVICE_NAME,
    CONF_WAKE_LINKS,
)
from custom_components.spotify_player.wake import WAKE_TIMEOUT
from spotify_emulator import FaultKind, seed
from tests.helpers import (
    USER,
    api_requests,
    call_action,
    call_player,
    rate_limited,
    setup_integration,
    state,
)
from tests.wake_helpers import (
    AVR,
    AVR_COVER,
    AVR_SCRIPT,
    AVR_SWITCH,
    LINKED_OPTIONS,
    async_setup_wake_entities,
    drive,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

DEVICES = "GET /v1/me/player/devices"
WAKE_DELAY = 5.0
# The AVR linked to its switch and chosen as the default device.
AVR_BY_DEFAULT = {
    **LINKED_OPTIONS,
    CONF_DEFAULT_DEVICE: seed.SLEEPER_DEVICE_ID,
    CONF_DEFAULT_DEVICE_NAME: AVR,
}
# Device lists 1, 3 and 6 s after the switch: the AVR joined at 5 s.
SECONDS_TO_PLAY = 6


@pytest.fixture
def options() -> dict[str, Any]:
    """Link the AVR to its power switch (parametrize `options` for other links)."""
    return LINKED_OPTIONS


@pytest.fixture(autouse=True)
def wake_delay(emulator_world: World) -> None:
    """Let the AVR join Spotify Connect five seconds after it gets power."""
    emulator_world.config.wake_delay = WAKE_DELAY


@pytest.fixture
async def linked(
    hass: HomeAssistant, spotify_env: EmulatorServer, init_integration: MockConfigEntry
) -> MockConfigEntry:
    """Set the account up, and the entities that wake the AVR."""
    await async_setup_wake_entities(hass, spotify_env)
    return init_integration


def _on_avr(world: World) -> bool:
    device = world.active_device(USER)
    return device is not None and device.key == seed.SLEEPER_DEVICE_KEY


async def test_asleep_linked_device_is_a_source(
    hass: HomeAssistant, linked: MockConfigEntry
) -> None:
    """A linked device Spotify does not list is still in source_list."""
    assert AVR in state(hass).attributes["source_list"]


async def test_select_source_wakes_the_avr(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    linked: MockConfigEntry,
) -> None:
    """Choosing the sleeping AVR turns its switch on; playback moves once it joins."""
    since = len(emulator_world.request_log.entries)
    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_player(hass, "select_source", source=AVR),
    )

    assert task.exception() is None
    assert state(hass, AVR_SWITCH).state == STATE_ON
    assert _on_avr(emulator_world)
    assert seconds == SECONDS_TO_PLAY
    sent = api_requests(emulator_world, since)
    # One list finds nothing, three while it wakes, the transfer, the list after it.
    assert sent.count(DEVICES) == 5
    assert "PUT /v1/me/player" in sent


async def test_transfer_action_wakes_the_avr(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    linked: MockConfigEntry,
) -> None:
    """transfer_playback to the sleeping AVR by name."""
    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_action(hass, "transfer_playback", linked, device=AVR, play=True),
    )

    assert task.exception() is None
    assert _on_avr(emulator_world)
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.is_playing
    assert seconds == SECONDS_TO_PLAY


async def test_play_context_wakes_the_avr(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    linked: MockConfigEntry,
) -> None:
    """play_context on the sleeping AVR starts the playlist there."""
    playlist = f"spotify:playlist:{seed.START_PLAYLIST_ID}"
    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_action(hass, "play_context", linked, context_uri=playlist, device=AVR),
    )

    assert task.exception() is None
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.context_uri, snapshot.device_key) == (
        playlist,
        seed.SLEEPER_DEVICE_KEY,
    )
    assert seconds == SECONDS_TO_PLAY


@pytest.mark.parametrize(
    "options", [{CONF_WAKE_LINKS: {AVR: AVR_SCRIPT}}], ids=["script"]
)
async def test_play_wakes_the_last_device_under_its_new_id(
    hass: HomeAssistant,
    tick: Tick,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    spotify_env: EmulatorServer,
    emulator_world: World,
) -> None:
    """Play with nothing active wakes the device that played last (a script here).

    It comes back under a new id, as Echo devices do: it is found by its name.
    """
    emulator_world.wake_device(USER, seed.SLEEPER_DEVICE_KEY, delay=0)
    emulator_world.switch_device(USER, seed.SLEEPER_DEVICE_ID)
    await setup_integration(hass, mock_config_entry)
    await async_setup_wake_entities(hass, spotify_env, new_id=True)
    emulator_world.sleep_device(USER, seed.SLEEPER_DEVICE_KEY)
    await tick(120)
    assert state(hass).state == "idle"

    task, _seconds = await drive(
        hass, freezer, emulator_world, call_player(hass, "media_play")
    )

    assert task.exception() is None
    assert _on_avr(emulator_world)
    assert emulator_world.active_device(USER).id != seed.SLEEPER_DEVICE_ID  # type: ignore[union-attr]
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert snapshot.is_playing


@pytest.mark.parametrize("options", [AVR_BY_DEFAULT], ids=["avr_default"])
async def test_default_device_asleep_is_woken(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    spotify_env: EmulatorServer,
    emulator_world: World,
) -> None:
    """Playing media with nothing active wakes the linked default device first."""
    emulator_world.stop_playback(USER)
    await setup_integration(hass, mock_config_entry)
    await async_setup_wake_entities(hass, spotify_env)
    track = next(iter(emulator_world.catalogue.tracks.values()))

    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_player(
            hass, "play_media", media_content_id=track.uri, media_content_type="music"
        ),
    )

    assert task.exception() is None
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.item_uri, snapshot.device_key) == (
        track.uri,
        seed.SLEEPER_DEVICE_KEY,
    )
    assert seconds == SECONDS_TO_PLAY


async def test_device_that_never_joins_times_out(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    linked: MockConfigEntry,
) -> None:
    """After 30 s the command fails, naming the device and the entity turned on."""
    emulator_world.config.wake_delay = 600
    since = len(emulator_world.request_log.entries)

    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_player(hass, "select_source", source=AVR),
    )

    err = task.exception()
    assert isinstance(err, HomeAssistantError)
    assert err.translation_key == "wake_timeout"
    assert err.translation_placeholders == {
        "device": AVR,
        "entity": AVR_SWITCH,
        "seconds": "30",
    }
    assert seconds == WAKE_TIMEOUT
    # The list that found nothing, then 1, 3, 6, 11, 19, 27 and 30 s after.
    assert api_requests(emulator_world, since).count(DEVICES) == 8


def _rate_limit_device_list(world: World, retry_after: int) -> Callable[[], None]:
    """Return what answers the next device list with a 429 of `retry_after` s."""

    def limit() -> None:
        world.faults.add(
            FaultKind.STATUS,
            path_prefix="/v1/me/player/devices",
            method="GET",
            **rate_limited(retry_after),
        )

    return limit


async def test_rate_limit_while_waking_is_waited_out(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    linked: MockConfigEntry,
) -> None:
    """A 429 during the wait: nothing is asked inside Retry-After, then it plays."""

    since = len(emulator_world.request_log.entries)
    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_player(hass, "select_source", source=AVR),
        on_first_wait=_rate_limit_device_list(emulator_world, 4),
    )

    assert task.exception() is None
    assert _on_avr(emulator_world)
    entries = emulator_world.request_log.entries[since:]
    limited = next(entry for entry in entries if entry.status == 429)
    after = [
        entry.time - limited.time for entry in entries if entry.time > limited.time
    ]
    assert after
    assert min(after) >= 4
    # 429 at 1 s, Retry-After 4 (+1 s margin): the next list at 6 s finds the AVR.
    assert seconds == SECONDS_TO_PLAY


async def test_unlinked_absent_device_is_still_unknown(
    hass: HomeAssistant, linked: MockConfigEntry
) -> None:
    """Only linked devices are woken: another absent name fails at once."""
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, "select_source", source="Attic Radio")
    assert err.value.translation_key == "unknown_device"


@pytest.mark.parametrize(
    "options", [{CONF_WAKE_LINKS: {AVR: "switch.gone"}}], ids=["gone"]
)
@pytest.mark.usefixtures("init_integration")
async def test_missing_wake_entity(hass: HomeAssistant) -> None:
    """A link to an entity that does not exist fails, naming both."""
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, "select_source", source=AVR)
    assert err.value.translation_key == "wake_entity_missing"
    assert err.value.translation_placeholders == {
        "device": AVR,
        "entity": "switch.gone",
    }


async def test_rate_limit_beyond_the_wait_fails_translated(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    linked: MockConfigEntry,
) -> None:
    """A Retry-After that outlasts the 30 s ends the wait with the rate-limit error."""

    since = len(emulator_world.request_log.entries)
    task, seconds = await drive(
        hass,
        freezer,
        emulator_world,
        call_player(hass, "select_source", source=AVR),
        on_first_wait=_rate_limit_device_list(emulator_world, 40),
    )

    err = task.exception()
    assert isinstance(err, HomeAssistantError)
    assert err.translation_key == "rate_limited"
    assert seconds == 1  # nothing asked after the 429
    assert api_requests(emulator_world, since).count(DEVICES) == 2


@pytest.mark.parametrize(
    "options", [{CONF_WAKE_LINKS: {AVR: AVR_COVER}}], ids=["cover"]
)
@pytest.mark.usefixtures("linked")
async def test_entity_that_cannot_be_turned_on(hass: HomeAssistant) -> None:
    """A cover has no turn_on (homeassistant.turn_on skips it): refused, named."""
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, "select_source", source=AVR)
    assert err.value.translation_key == "wake_entity_missing"
    assert err.value.translation_placeholders == {"device": AVR, "entity": AVR_COVER}
    assert state(hass, AVR_COVER).state != "open"


@pytest.mark.parametrize("options", [AVR_BY_DEFAULT], ids=["avr_default"])
async def test_linked_device_awake_is_used_as_listed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    spotify_env: EmulatorServer,
    emulator_world: World,
) -> None:
    """A linked default device already awake is not woken, under its new id too."""
    emulator_world.stop_playback(USER)
    emulator_world.wake_device(USER, seed.SLEEPER_DEVICE_KEY, delay=0, new_id=True)
    await setup_integration(hass, mock_config_entry)
    await async_setup_wake_entities(hass, spotify_env)

    task, seconds = await drive(
        hass, freezer, emulator_world, call_player(hass, "media_play")
    )

    assert task.exception() is None
    assert _on_avr(emulator_world)
    assert seconds == 0
    assert state(hass, AVR_SWITCH).state != STATE_ON
