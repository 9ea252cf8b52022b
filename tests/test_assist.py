"""Assist by its sentences: what a user says, through the default agent.

`conversation.async_converse` runs the sentence through Home Assistant's default
conversation agent and the installed English intents (home-assistant-intents), as a
voice satellite or the Assist dialog would. The agent matches the player by its name
and filters it by the features each intent needs (SEARCH_MEDIA and PLAY_MEDIA for
"play ..."). Each test checks Assist's reply and the requests the emulator answered.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from homeassistant.components import conversation
from homeassistant.core import Context
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
import pytest

from spotify_emulator import seed
from tests.helpers import USER, api_requests
from tests.wake_helpers import LINKED_OPTIONS, async_setup_wake_entities, drive

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.components.conversation import ConversationResult
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import EmulatorServer, World
    from tests.helpers import Tick

PLAYER = "Robin Emulated"
# Catalogue names no other item of the seeded world has.
TRACK = "Island Paper Late Quiet"
ALBUM = "Summer Echo Rain"
ARTIST = "The Solar Teacups"
PLAYLIST = "Morning Commute"


@pytest.fixture
def options() -> dict[str, object]:
    """Link the Living Room AVR for waking."""
    return LINKED_OPTIONS


@pytest.fixture
async def assist(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    spotify_env: EmulatorServer,
    emulator_world: World,
) -> MockConfigEntry:
    """Set up the account with the AVR linked, and Assist's default agent."""
    emulator_world.config.wake_delay = 5.0
    entry = init_integration
    await async_setup_wake_entities(hass, spotify_env)
    # homeassistant keeps which entities Assist may see (media players by default).
    for domain in ("homeassistant", "intent", "conversation"):
        assert await async_setup_component(hass, domain, {})
    # Load the sentences now, as a voice pipeline does: not while the clock is driven.
    await conversation.async_prepare_agent(hass, None, "en")
    await hass.async_block_till_done()
    return entry


def say(hass: HomeAssistant, sentence: str) -> Any:
    """Return the coroutine Assist answers `sentence` with, in English."""
    return conversation.async_converse(hass, sentence, None, Context(), language="en")


def reply(result: ConversationResult) -> str:
    """Return what Assist says back."""
    return str(result.response.speech["plain"]["speech"])


def uri_of(world: World, kind: str, name: str) -> str:
    """Return the URI of the catalogue item of `kind` named `name`."""
    items = getattr(world.catalogue, f"{kind}s").values()
    (uri,) = [item.uri for item in items if item.name == name]
    return str(uri)


async def test_controls_by_voice(
    hass: HomeAssistant, tick: Tick, emulator_world: World, assist: MockConfigEntry
) -> None:
    """Pause, resume, next, previous, volume, mute and unmute, by their sentences."""
    sentences = [
        (f"pause {PLAYER}", "Paused", ["PUT /v1/me/player/pause"]),
        (f"resume {PLAYER}", "Resumed", ["PUT /v1/me/player/play"]),
        (f"next track on {PLAYER}", "Playing next", ["POST /v1/me/player/next"]),
        (
            f"previous track on {PLAYER}",
            "Playing previous",
            ["POST /v1/me/player/previous"],
        ),
        (
            f"set {PLAYER} volume to 30 percent",
            "Volume set",
            ["PUT /v1/me/player/volume"],
        ),
        (f"mute {PLAYER}", "Muted", ["PUT /v1/me/player/volume"]),
        (f"unmute {PLAYER}", "Unmuted", ["PUT /v1/me/player/volume"]),
    ]
    volumes = {}
    for sentence, answer, requests in sentences:
        since = len(emulator_world.request_log)
        result = await say(hass, sentence)
        assert (reply(result), api_requests(emulator_world, since)) == (
            answer,
            requests,
        ), sentence
        device = emulator_world.active_device(USER)
        assert device is not None
        volumes[sentence.split()[0]] = device.volume_percent
        if sentence.startswith("pause"):
            assert emulator_world.snapshot(USER).is_playing is False  # type: ignore[union-attr]
        await tick(2)
    assert emulator_world.snapshot(USER).is_playing is True  # type: ignore[union-attr]
    # Muting sets the volume to 0; unmuting brings back the 30 % said before.
    assert (volumes["set"], volumes["mute"], volumes["unmute"]) == (30, 0, 30)


@pytest.mark.parametrize(
    ("sentence", "kind", "name"),
    [
        (f"play {TRACK} on {PLAYER}", "track", TRACK),
        (f"play the album {ALBUM} on {PLAYER}", "album", ALBUM),
        (f"play the artist {ARTIST} on {PLAYER}", "artist", ARTIST),
    ],
    ids=["track", "album", "artist"],
)
async def test_play_by_voice(
    hass: HomeAssistant,
    emulator_world: World,
    assist: MockConfigEntry,
    sentence: str,
    kind: str,
    name: str,
) -> None:
    """Play <track>, the album <album>, the artist <artist>, on the player."""
    since = len(emulator_world.request_log)
    result = await say(hass, sentence)

    assert result.response.response_type is intent.IntentResponseType.ACTION_DONE
    assert reply(result) == "Playing media"
    assert api_requests(emulator_world, since) == [
        "GET /v1/search",
        "PUT /v1/me/player/play",
    ]
    (search,) = [
        entry.query
        for entry in emulator_world.request_log.entries[since:]
        if entry.path == "/v1/search"
    ]
    assert f"q={name}&" in search
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    if kind == "track":
        assert snapshot.item_uri == uri_of(emulator_world, kind, name)
    else:
        assert snapshot.context_uri == uri_of(emulator_world, kind, name)


async def test_play_on_the_sleeping_speaker_by_voice(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    assist: MockConfigEntry,
) -> None:
    """Play <playlist> on the Living Room AVR while it sleeps: it wakes, then plays."""
    assert hass.states.get("media_player.living_room_avr").state == "idle"  # type: ignore[union-attr]
    since = len(emulator_world.request_log)

    conversing = asyncio.ensure_future(
        say(hass, f"play {PLAYLIST} on the {seed.SLEEPER_DEVICE_NAME}")
    )
    # Some versions match the sentence in an executor thread: give it real time to
    # reach Spotify (its search), then move the clocks through the wake-up.
    for _ in range(1_000):
        if conversing.done() or api_requests(emulator_world, since):
            break
        await hass.async_add_executor_job(time.sleep, 0.01)
    task, seconds = await drive(hass, freezer, emulator_world, conversing)

    assert reply(task.result()) == "Playing media"
    requests = api_requests(emulator_world, since)
    # Search, wait for the woken AVR to appear in the device list, then play there.
    assert requests[0] == "GET /v1/search"
    assert set(requests[1:-1]) == {"GET /v1/me/player/devices", "PUT /v1/me/player"}
    assert requests[-1] == "PUT /v1/me/player/play"
    assert emulator_world.request_log[-1].query == (
        f"device_id={seed.SLEEPER_DEVICE_ID}"
    )
    snapshot = emulator_world.snapshot(USER)
    assert snapshot is not None
    assert (snapshot.context_uri, snapshot.device_key, snapshot.is_playing) == (
        uri_of(emulator_world, "playlist", PLAYLIST),
        seed.SLEEPER_DEVICE_KEY,
        True,
    )
    assert seconds == 6
