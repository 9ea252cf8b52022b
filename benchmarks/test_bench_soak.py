"""Fault soak: an hour of playback against a Spotify that misbehaves ~70 times.

The schedule is drawn from a fixed seed, so every run meets the same faults at the
same simulated times: 429s with Retry-After of 1-30 s, bursts of 5xx, hanging
requests, connection resets, malformed and empty 200 bodies, single 401s, 401s that
survive a fresh token and early access-token expiries. Home Assistant's clock and the
emulator's manual clock move together in half-second steps; after each step the
entity is compared with what the emulator plays.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
import logging
import random
import time
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_IDLE, STATE_PAUSED, STATE_PLAYING
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from spotify_emulator import FaultKind
from tests.helpers import ENTITY_ID, USER

from .report import report

if TYPE_CHECKING:
    from collections.abc import Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

SEED = 20261201
HOUR = 3600.0
STEP = 0.5
# Faults fall between these times, so the hour ends with a recovery to measure.
FIRST_FAULT = 60.0
LAST_FAULT = 3300.0
PLAYER = "/v1/me/player"
ERROR_BODY_429 = {"error": {"status": 429, "message": "API rate limit exceeded"}}

# How many faults of each kind the hour holds (70 in all).
FAULT_COUNTS = {
    "429": 12,
    "5xx burst": 10,
    "hanging request": 8,
    "connection reset": 8,
    "malformed body": 8,
    "empty 200": 8,
    "401 once": 6,
    "401 after a fresh token": 6,
    "early token expiry": 4,
}


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduledFault:
    """One fault of the schedule: what, when, and how to arm it."""

    at: float
    kind: str
    arm: Callable[[World], object]


def _arm(rng: random.Random, kind: str) -> Callable[[World], object]:
    """Return how to arm one fault of `kind` through the emulator's fault API."""
    match kind:
        case "429":
            wait = rng.randint(1, 30)
            return lambda world: world.faults.add(
                FaultKind.STATUS,
                path_prefix="/v1/",
                status=429,
                body=ERROR_BODY_429,
                headers={"Retry-After": str(wait)},
            )
        case "5xx burst":
            status, count = rng.choice((500, 502, 503)), rng.randint(2, 4)
            return lambda world: world.faults.add(
                FaultKind.STATUS, path_prefix="/v1/", status=status, count=count
            )
        case "hanging request":
            delay = float(rng.randint(15, 40))  # the client gives up after 10 s
            return lambda world: world.faults.add(
                FaultKind.DELAY, path_prefix=PLAYER, method="GET", delay=delay
            )
        case "connection reset":
            # aiohttp resends an idempotent request once on a dropped connection.
            return lambda world: world.faults.add(
                FaultKind.RESET, path_prefix="/v1/", count=2
            )
        case "malformed body":
            return lambda world: world.faults.add(
                FaultKind.MALFORMED, path_prefix=PLAYER, method="GET"
            )
        case "empty 200":
            return lambda world: world.faults.add(
                FaultKind.EMPTY, path_prefix=PLAYER, method="GET"
            )
        case "401 once":
            return lambda world: world.faults.add(
                FaultKind.EXPIRED_TOKEN, path_prefix="/v1/"
            )
        case "401 after a fresh token":
            return lambda world: world.faults.add(
                FaultKind.EXPIRED_TOKEN, path_prefix="/v1/", count=2
            )
        case _:
            return lambda world: world.expire_access_tokens(USER)


def fault_schedule(seed: int = SEED) -> list[ScheduledFault]:
    """Draw the hour's faults from `seed`, in time order."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible schedule, not security
    kinds = [kind for kind, count in FAULT_COUNTS.items() for _ in range(count)]
    rng.shuffle(kinds)
    times = sorted(rng.uniform(FIRST_FAULT, LAST_FAULT) for _ in kinds)
    return [
        ScheduledFault(at=round(at / STEP) * STEP, kind=kind, arm=_arm(rng, kind))
        for at, kind in zip(times, kinds, strict=True)
    ]


def _real_seconds() -> float:
    """Wall-clock seconds; the freezer stops time.monotonic."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


async def _settle(hass: HomeAssistant, world: World) -> None:
    """Let every started request and refresh finish, except requests left hanging.

    `hass.async_block_till_done` would wait for a hanging request forever: only the
    next step's clock move lets the client give up.
    """
    deadline = _real_seconds() + 5.0
    quiet_rounds = 0
    while _real_seconds() < deadline:
        pending = [
            task for task in (*hass._tasks, *hass._background_tasks) if not task.done()
        ]
        if not pending:
            return
        quiet_rounds = quiet_rounds + 1 if world.faults.hanging else 0
        if quiet_rounds > 200:
            return
        await asyncio.sleep(0)


def _truth(world: World) -> tuple[str, str | None]:
    snapshot = world.snapshot(USER)
    if snapshot is None:
        return STATE_IDLE, None
    return (STATE_PLAYING if snapshot.is_playing else STATE_PAUSED), snapshot.item_uri


@dataclass(kw_only=True)
class _Watch:
    """What the soak counts while the hour runs."""

    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _ErrorRecords(logging.Handler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__(logging.ERROR)
        self._watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        self._watch.errors.append(f"{record.name}: {record.getMessage()[:200]}")


def _requests_inside_retry_after(world: World) -> int:
    """Web API requests sent while a 429's Retry-After had not yet passed."""
    entries = [e for e in world.request_log.entries if e.path.startswith("/v1/")]
    inside = 0
    for index, entry in enumerate(entries):
        if entry.status != 429 or entry.retry_after is None:
            continue
        until = entry.time + float(entry.retry_after)
        inside += sum(1 for later in entries[index + 1 :] if later.time < until)
    return inside


def _tokens_valid(world: World, entry: MockConfigEntry) -> bool:
    token: dict[str, Any] = entry.data["token"]
    access = world.tokens.access_token_info(token["access_token"])
    refresh = world.tokens.refresh_token_info(token["refresh_token"])
    return (
        access is not None
        and not world.tokens.is_expired(access)
        and refresh is not None
        and not refresh.revoked
    )


async def test_fault_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Seconds wrong and unavailable, Retry-After kept, recovery, tokens intact."""
    world = emulator_world
    watch = _Watch()
    hass.loop.set_exception_handler(
        lambda _loop, context: watch.exceptions.append(str(context.get("message")))
    )
    handler = _ErrorRecords(watch)
    logging.getLogger().addHandler(handler)
    schedule = fault_schedule()
    pending = list(schedule)
    start_log = len(world.request_log)
    wrong = unavailable = 0.0
    last_wrong_or_unavailable = 0.0
    elapsed = 0.0
    started = _real_seconds()
    try:
        while elapsed < HOUR:
            while pending and pending[0].at <= elapsed:
                pending.pop(0).arm(world)
            world.advance(STEP)
            freezer.tick(timedelta(seconds=STEP))
            elapsed += STEP
            async_fire_time_changed(hass)
            await _settle(hass, world)
            shown = hass.states.get(ENTITY_ID)
            assert shown is not None
            if shown.state == "unavailable":
                unavailable += STEP
                last_wrong_or_unavailable = elapsed
            elif (shown.state, shown.attributes.get("media_content_id")) != _truth(
                world
            ):
                wrong += STEP
                last_wrong_or_unavailable = elapsed
    finally:
        logging.getLogger().removeHandler(handler)
    real = _real_seconds() - started

    log = world.request_log.entries[start_log:]
    served = [entry for entry in log if entry.fault is not None]
    hour_start = world.clock.now() - HOUR
    last_fault = max(
        [entry.time - hour_start for entry in served]
        + [fault.at for fault in schedule if fault.kind == "early token expiry"]
    )
    recovery = max(0.0, last_wrong_or_unavailable - last_fault)
    flows = hass.config_entries.flow.async_progress_by_handler("spotify_player")
    kinds = Counter(fault.kind for fault in schedule)
    report(
        "fault soak: an hour of playback, 70 faults (seed 20261201)",
        "this run",
        faults_scheduled=len(schedule),
        fault_responses_served=len(served),
        seconds_wrong=wrong,
        seconds_unavailable=unavailable,
        requests_inside_retry_after=_requests_inside_retry_after(world),
        unhandled_exceptions=len(watch.exceptions),
        error_log_records=len(watch.errors),
        seconds_from_last_fault_to_correct=recovery,
        token_requests=sum(1 for e in log if e.path == "/api/token"),
        web_api_requests=sum(1 for e in log if e.path.startswith("/v1/")),
        tokens_valid_at_end=_tokens_valid(world, init_integration),
        reauth_started=any(flow["context"]["source"] == "reauth" for flow in flows),
        wall_time_s=round(real, 1),
    )
    report(
        "fault soak: the schedule",
        "faults",
        **{kind.replace(" ", "_"): count for kind, count in kinds.items()},
    )
    for message in watch.exceptions + watch.errors:
        print(message)
