"""The wake-up blueprint against the emulator: at its time, on its weekdays.

An automation made from blueprints/automation/spotify_player/wake_up_to_music.yaml
with real inputs runs when its time comes (both clocks moved), and the emulator's
request log shows what it asked Spotify.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util
import pytest

from spotify_emulator import seed
from tests.blueprint_helpers import (
    advance_until,
    automation_from,
    import_blueprints,
    move,
    turn_off,
)
from tests.helpers import ENTITY_ID, USER, api_requests, state, until
from tests.wake_helpers import LINKED_OPTIONS, async_setup_wake_entities, drive

if TYPE_CHECKING:
    from pathlib import Path

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

MORNING_COMMUTE = f"spotify:playlist:{seed.START_PLAYLIST_ID}"


def wake_up_inputs(**inputs: Any) -> dict[str, Any]:
    """Return the wake-up inputs: the seeded playlist, today, a minute from now."""
    in_a_minute = dt_util.now() + timedelta(minutes=1)
    return {
        "player": ENTITY_ID,
        "playlist": f"https://open.spotify.com/playlist/{seed.START_PLAYLIST_ID}",
        "time": in_a_minute.strftime("%H:%M:%S"),
        "weekdays": [in_a_minute.strftime("%a").lower()],
        **inputs,
    }


@pytest.mark.parametrize("options", [LINKED_OPTIONS])
async def test_wake_up_to_music_on_the_sleeping_avr(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    spotify_env: EmulatorServer,
    emulator_world: World,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At the time, the linked AVR wakes and plays the playlist, shuffled."""
    import_blueprints(hass, tmp_path)
    emulator_world.config.wake_delay = 5.0
    await async_setup_wake_entities(hass, spotify_env)
    automation = await automation_from(
        hass,
        "wake_up_to_music",
        wake_up_inputs(speaker=seed.SLEEPER_DEVICE_NAME, end_volume=25, ramp_minutes=0),
    )
    (avr,) = [d for d in emulator_world.user(USER).devices if d.key == "sleeper"]
    avr_volume = avr.volume_percent
    since = len(emulator_world.request_log)

    def avr_plays_at(volume: int) -> bool:
        device = emulator_world.active_device(USER)
        return device is not None and (device.key, device.volume_percent) == (
            seed.SLEEPER_DEVICE_KEY,
            volume,
        )

    async def time_comes() -> None:
        move(hass, freezer, emulator_world, 60)
        await until(lambda: avr_plays_at(avr_volume))
        # The player shows the AVR at the next refresh; then the volume follows.
        # The player shows the AVR at its next refresh; then the volume follows.
        await advance_until(hass, freezer, emulator_world, lambda: avr_plays_at(25))

    task, seconds = await drive(hass, freezer, emulator_world, time_comes())

    assert task.exception() is None
    requests = [
        (entry.method, entry.path, entry.query)
        for entry in emulator_world.request_log.entries[since:]
        if entry.method == "PUT"
    ]
    avr = f"device_id={seed.SLEEPER_DEVICE_ID}"
    assert requests == [
        ("PUT", "/v1/me/player", ""),  # the woken AVR takes over
        ("PUT", "/v1/me/player/shuffle", f"state=true&{avr}"),
        ("PUT", "/v1/me/player/play", avr),
        ("PUT", "/v1/me/player/volume", f"volume_percent=25&{avr}"),
    ]
    assert seconds == 6  # the AVR joined 5 s after the wake-up, seen at 6 s
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.context_uri, snapshot.shuffle_state, snapshot.is_playing) == (
        MORNING_COMMUTE,
        True,
        True,
    )
    await turn_off(hass, automation)


async def test_wake_up_to_music_turns_it_up_on_its_weekdays_only(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    tmp_path: Path,
    freezer: FrozenDateTimeFactory,
    tick: Tick,
) -> None:
    """10 % at the time, then 20, 30 and 40 % a minute apart; other days, nothing."""
    import_blueprints(hass, tmp_path)
    automation = await automation_from(
        hass,
        "wake_up_to_music",
        wake_up_inputs(
            speaker="Living Room Speaker",
            start_volume=10,
            end_volume=40,
            ramp_minutes=3,
        ),
    )

    def speaker_at(volume: int) -> bool:
        device = emulator_world.active_device(USER)
        return device is not None and (device.key, device.volume_percent) == (
            "speaker",
            volume,
        )

    since = len(emulator_world.request_log)
    move(hass, freezer, emulator_world, 60)
    await advance_until(hass, freezer, emulator_world, lambda: speaker_at(10))
    for volume in (20, 30, 40):
        await advance_until(
            hass, freezer, emulator_world, lambda v=volume: speaker_at(v), 61
        )
    await hass.async_block_till_done()
    assert state(hass, automation).attributes["current"] == 0
    volumes = [
        entry.query.split("&")[0]
        for entry in emulator_world.request_log.entries[since:]
        if entry.path == "/v1/me/player/volume"
    ]
    assert volumes == [f"volume_percent={v}" for v in (10, 20, 30, 40)]

    # Monday to Saturday nothing plays. (A run on one of them would stop `tick` at
    # its first delay: the test would fail on its timeout.)
    for _day in range(6):
        since = len(emulator_world.request_log)
        await tick(24 * 3600)
        assert "PUT /v1/me/player/play" not in api_requests(emulator_world, since)
    await turn_off(hass, automation)
