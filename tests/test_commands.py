"""Player commands (commands.py): in order, one at a time, held while in flight.

Also the device they go to: by id or name, else the default device or the one that
played last, and again after Spotify lost the session.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from homeassistant.components.media_player import (
    ATTR_MEDIA_CONTENT_ID,
    ATTR_MEDIA_CONTENT_TYPE,
    ATTR_MEDIA_VOLUME_LEVEL,
    SERVICE_PLAY_MEDIA,
    SERVICE_VOLUME_SET,
)
from homeassistant.const import (
    SERVICE_MEDIA_NEXT_TRACK,
    SERVICE_MEDIA_PAUSE,
    SERVICE_MEDIA_PLAY,
    STATE_IDLE,
    STATE_PAUSED,
    STATE_PLAYING,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from spotify_emulator import FaultKind, seed
from tests.helpers import (
    USER,
    api_requests,
    call_player,
    playing_uri,
    release_held,
    setup_integration,
    state,
    until_held,
)

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

VOLUME = "/v1/me/player/volume"
DEVICES = "/v1/me/player/devices"


async def test_poll_does_not_undo_a_command_in_flight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Paused at once; a poll answered while the PUT is on its way keeps it paused."""
    emulator_world.faults.add(
        FaultKind.DELAY, path_prefix="/v1/me/player/pause", method="PUT", delay=0.3
    )
    pause = hass.async_create_task(call_player(hass, SERVICE_MEDIA_PAUSE))
    await until_held(emulator_world)
    assert state(hass).state == STATE_PAUSED

    # Spotify still plays: the command has not arrived.
    await init_integration.runtime_data.coordinator.async_refresh()
    shown_during_the_command = state(hass).state

    await release_held(hass, freezer)
    await pause
    assert shown_during_the_command == STATE_PAUSED
    await tick(1.1)
    assert state(hass).state == STATE_PAUSED
    assert not emulator_world.playback(USER).is_playing


async def test_last_volume_wins(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A slow first level cannot overtake a later one: commands go in order."""
    emulator_world.faults.add(FaultKind.DELAY, path_prefix=VOLUME, delay=0.3)
    start = len(emulator_world.request_log)
    first = hass.async_create_task(
        call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
    )
    await until_held(emulator_world)
    second = hass.async_create_task(
        call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.6})
    )
    for _ in range(50):
        await asyncio.sleep(0)

    await release_held(hass, freezer)
    await asyncio.gather(first, second)

    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.volume_percent == 60
    assert api_requests(emulator_world, start).count(f"PUT {VOLUME}") == 2


async def test_levels_overtaken_while_waiting_are_not_sent(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Levels queued behind a slow one: only the newest of them is sent."""
    emulator_world.faults.add(FaultKind.DELAY, path_prefix=VOLUME, delay=0.3)
    start = len(emulator_world.request_log)
    calls = [
        hass.async_create_task(
            call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
        )
    ]
    await until_held(emulator_world)
    for level in (0.4, 0.5):
        calls.append(
            hass.async_create_task(
                call_player(
                    hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: level}
                )
            )
        )
        await asyncio.sleep(0)

    await release_held(hass, freezer)
    await asyncio.gather(*calls)

    sent = [
        entry.query
        for entry in emulator_world.request_log.entries[start:]
        if entry.path == VOLUME
    ]
    assert ["volume_percent=30" in query for query in sent] == [True, False]
    assert ["volume_percent=50" in query for query in sent] == [False, True]
    assert state(hass).attributes[ATTR_MEDIA_VOLUME_LEVEL] == 0.5
    assert state(hass).state == STATE_PLAYING


async def test_resolve_device(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Ids and names resolve; unknown names refresh the list once, then fail."""
    targets = init_integration.runtime_data.commands.targets
    speaker = await targets.async_resolve("living room speaker")
    assert speaker.id == seed.SPEAKER_DEVICE_ID
    phone = await targets.async_resolve(seed.PHONE_DEVICE_ID)
    assert phone.id == seed.PHONE_DEVICE_ID
    start = len(emulator_world.request_log)
    with pytest.raises(ServiceValidationError) as err:
        await targets.async_resolve("Kitchen")
    assert err.value.translation_key == "unknown_device"
    assert api_requests(emulator_world, start) == [f"GET {DEVICES}"]
    with pytest.raises(ServiceValidationError):
        await targets.async_resolve(seed.NULL_ID_DEVICE_NAME)


async def test_no_fallback_device(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """Idle since setup and no default device: a clear error."""
    emulator_world.stop_playback(USER)
    await setup_integration(hass, mock_config_entry)
    targets = mock_config_entry.runtime_data.commands.targets
    with pytest.raises(HomeAssistantError) as err:
        await targets.async_fallback()
    assert err.value.translation_key == "no_device_available"


async def test_no_device_uses_last_active(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Nothing active: transfer to the device that played last, then play."""
    emulator_world.stop_playback(USER)
    await tick(15)
    assert state(hass).state == STATE_IDLE
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_PLAY)
    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.id == seed.COMPUTER_DEVICE_ID
    assert emulator_world.playback(USER).is_playing
    assert api_requests(emulator_world, start) == [
        "PUT /v1/me/player",
        "PUT /v1/me/player/play",
    ]
    await tick(1.1)
    assert state(hass).state == STATE_PLAYING


@pytest.mark.parametrize(
    "options", [{"default_device": seed.SPEAKER_DEVICE_ID}], ids=["speaker_default"]
)
@pytest.mark.usefixtures("init_integration")
async def test_no_device_uses_default_device(
    hass: HomeAssistant, tick: Tick, emulator_world: World
) -> None:
    """The default device option wins over the last active device."""
    emulator_world.stop_playback(USER)
    await tick(15)
    track = sorted(emulator_world.catalogue.tracks)[3]
    await call_player(
        hass,
        SERVICE_PLAY_MEDIA,
        **{
            ATTR_MEDIA_CONTENT_ID: f"spotify:track:{track}",
            ATTR_MEDIA_CONTENT_TYPE: "music",
        },
    )
    device = emulator_world.active_device(USER)
    assert device is not None
    assert device.id == seed.SPEAKER_DEVICE_ID
    assert playing_uri(emulator_world) == f"spotify:track:{track}"


async def test_no_device_at_all(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """Idle since setup and no default device: a clear translated error."""
    emulator_world.stop_playback(USER)
    await setup_integration(hass, mock_config_entry)
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PLAY)
    assert err.value.translation_key == "no_device_available"


async def test_device_lost_since_last_poll(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Spotify lost the session before we noticed: transfer back and retry once."""
    emulator_world.stop_playback(USER)
    first = playing_uri(emulator_world)
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_NEXT_TRACK)
    assert api_requests(emulator_world, start) == [
        "POST /v1/me/player/next",
        "PUT /v1/me/player",
        "POST /v1/me/player/next",
    ]
    assert playing_uri(emulator_world) != first


async def test_failed_fallback_restores_state(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Spotify lost the session and no known device is left: the pause is not shown."""
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/me/player/devices",
        status=200,
        body={"devices": []},
    )
    await init_integration.runtime_data.devices.async_fetch()
    emulator_world.stop_playback(USER)
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PAUSE)
    assert err.value.translation_key == "no_device_available"
    assert state(hass).state == STATE_PLAYING


async def test_volume_sent_once_per_level(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A level asked twice in a row (one slider click) reaches Spotify once.

    A different level, or the same one after Spotify confirmed, is sent again.
    """
    start = len(emulator_world.request_log)

    async def volume_set(level: float) -> None:
        await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: level})

    await asyncio.gather(volume_set(0.42), volume_set(0.42))
    await volume_set(0.42)
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 1
    await volume_set(0.43)
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 2
    await tick(2)
    await volume_set(0.43)
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 3


async def test_volume_already_shown_is_sent_after_another_command(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Only a level this entity sent counts as on its way, not any level shown."""
    await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
    await tick(2)
    start = len(emulator_world.request_log)
    await call_player(hass, SERVICE_MEDIA_PAUSE)
    # Someone turned it up on the phone; the entity still shows 0.3.
    emulator_world.set_volume_from_app(USER, 80)
    await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.3})
    assert api_requests(emulator_world, start).count("PUT /v1/me/player/volume") == 1
