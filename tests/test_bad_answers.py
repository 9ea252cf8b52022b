"""Answers Spotify should never send read as the error table says, never as a crash.

A Retry-After of 1e12 seconds or an HTTP-date, a timestamp no clock can hold, a
context URI with no type: each comes from the emulator's fault injection and goes
through the real client, the coordinator and the actions.
"""

from __future__ import annotations

from email.utils import formatdate
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import DOMAIN as MP_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_MEDIA_PAUSE,
    STATE_PLAYING,
    STATE_UNAVAILABLE,
)
from homeassistant.exceptions import HomeAssistantError
import pytest

from spotify_emulator import FaultKind
from tests.helpers import ENTITY_ID, api_requests, pause_issue, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

PLAYER = "/v1/me/player"
RATE_LIMIT_BODY = {"error": {"status": 429, "message": "API rate limit exceeded"}}
# Polls keep the last state through four failures; the fifth is reported (polling.py).
FAILURES_BEFORE_REPORT = (15, 2, 5, 10, 10)


def _rate_limit(world: World, path: str, retry_after: str) -> None:
    """Answer the next request to `path` with 429 and `Retry-After: retry_after`."""
    world.faults.add(
        FaultKind.STATUS,
        path_prefix=path,
        status=429,
        body=RATE_LIMIT_BODY,
        headers={"Retry-After": retry_after},
    )


def _http_date(world: World, seconds: float) -> str:
    """Return the HTTP-date `seconds` after now (the emulator's, Home Assistant's)."""
    return formatdate(world.clock.now() + seconds, usegmt=True)


def _assert_no_crash(caplog: pytest.LogCaptureFixture) -> None:
    """No error was logged with a traceback (Home Assistant's "Unexpected error")."""
    assert "Unexpected error" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


async def test_endless_retry_after_on_a_poll_is_a_day_long_pause(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Retry-After: 1e12 pauses for a day: unavailable, and a repair says until when.

    It used to overflow the date of the next poll, a traceback on every poll.
    """
    _rate_limit(emulator_world, PLAYER, "1e12")
    await tick(15)
    assert state(hass).state == STATE_UNAVAILABLE
    assert pause_issue(hass) is not None
    _assert_no_crash(caplog)
    start = len(emulator_world.request_log)
    await tick(86_400 - 15)
    assert api_requests(emulator_world, start) == []


async def test_http_date_retry_after_on_a_poll_holds_the_state_until_then(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Retry-After as an HTTP-date 30 s ahead: the state stays, no poll until then.

    The date used to read as no header at all: a 1 s backoff.
    """
    await tick(14)
    _rate_limit(emulator_world, PLAYER, _http_date(emulator_world, 31))
    await tick(1)  # the poll, answered 429, 30 s before the date
    limited = emulator_world.request_log[-1]
    assert limited.status == 429
    start = len(emulator_world.request_log)
    for _ in range(30):
        await tick(1)
    assert api_requests(emulator_world, start) == []
    assert state(hass).state == STATE_PLAYING
    await tick(2)
    assert api_requests(emulator_world, start) == [f"GET {PLAYER}"]
    _assert_no_crash(caplog)


@pytest.mark.parametrize(
    ("retry_after", "key", "placeholder"),
    [
        (lambda _world: "1e12", "rate_limit_pause", "until"),
        (lambda world: _http_date(world, 30), "rate_limited", "retry_after"),
    ],
    ids=["1e12", "http-date"],
)
async def test_an_action_hit_by_a_bad_retry_after_raises_the_translated_error(
    hass: HomeAssistant,
    emulator_world: World,
    init_integration: MockConfigEntry,
    retry_after: Any,
    key: str,
    placeholder: str,
) -> None:
    """1e12 is a pause of a day (it raised OverflowError); a date 30 s ahead, 30 s."""
    _rate_limit(emulator_world, f"{PLAYER}/pause", retry_after(emulator_world))
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            MP_DOMAIN, SERVICE_MEDIA_PAUSE, {ATTR_ENTITY_ID: ENTITY_ID}, blocking=True
        )
    assert err.value.translation_key == key
    placeholders = err.value.translation_placeholders or {}
    if key == "rate_limited":
        assert placeholders == {"retry_after": "30"}
    else:
        assert list(placeholders) == [placeholder]


@pytest.mark.parametrize(
    "playback",
    [
        # Epoch milliseconds three million years ahead: no datetime holds them.
        {"timestamp": 10**17, "progress_ms": 1000, "is_playing": True},
        # A context URI without a type (`spotify:<type>:<id>`).
        {"context": {"uri": "nocolon", "type": "playlist"}, "progress_ms": 0},
    ],
    ids=["timestamp", "context-uri"],
)
async def test_impossible_player_values_are_a_malformed_response(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    playback: dict[str, Any],
) -> None:
    """The poll keeps the state, then reports Spotify's answer as unreadable.

    Such values used to escape the client and the poll as "Unexpected error".
    """
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix=PLAYER,
        method="GET",
        status=200,
        body=playback,
        count=len(FAILURES_BEFORE_REPORT),
    )
    coordinator = init_integration.runtime_data.coordinator
    await tick(FAILURES_BEFORE_REPORT[0])
    assert state(hass).state == STATE_PLAYING
    assert coordinator.failures == 1
    for seconds in FAILURES_BEFORE_REPORT[1:]:
        await tick(seconds)
    assert state(hass).state == STATE_UNAVAILABLE
    assert isinstance(coordinator.last_exception, HomeAssistantError)
    assert coordinator.last_exception.translation_key == "malformed_response"
    assert "Spotify sent a response that could not be read" in caplog.text
    _assert_no_crash(caplog)
