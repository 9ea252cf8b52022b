"""Helpers shared by the integration's tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
from pathlib import Path
import time
from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import (
    DOMAIN as MP_DOMAIN,
    MediaPlayerEntityFeature,
)
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_ENTITY_ID,
    ATTR_SUPPORTED_FEATURES,
)
from homeassistant.core import SupportsResponse
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.issues import issue_id
from custom_components.spotify_player.services import ENTITY_SERVICES
from spotify_emulator import FaultKind, seed

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, State
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from spotify_emulator.tokens import TokenGrant

# Fixed start (2026-03-01T12:00:00Z) so emulator worlds are reproducible.
EMULATOR_START = 1_772_366_400.0
ENTRY_ID = "01JSPOTIFYPLAYERPREMIUM001"
USER = seed.PREMIUM_USER_ID
ENTITY_ID = "media_player.robin_emulated"
PLAYER_ACTIONS = frozenset(name for name, *_ in ENTITY_SERVICES)

INTEGRATION = Path(__file__).parents[1] / "custom_components" / DOMAIN
# The integration's English strings (translations/en.json is the same).
STRINGS: dict[str, Any] = json.loads(
    (INTEGRATION / "strings.json").read_text(encoding="utf-8")
)

# tick(seconds): move Home Assistant's and the emulator's clocks, run due timers.
type Tick = Callable[[float], Awaitable[None]]


# Setup


async def setup_integration(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add `entry` to Home Assistant (unless it is there) and set it up."""
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def entry_token(grant: TokenGrant) -> dict[str, Any]:
    """Return the OAuth token dict Home Assistant stores for a grant issued now."""
    return {
        "access_token": grant.access_token,
        "refresh_token": grant.refresh_token,
        "token_type": grant.token_type,
        "expires_in": grant.expires_in,
        "expires_at": time.time() + grant.expires_in,
        "scope": grant.scope,
    }


# Time


def move_clocks(freezer: FrozenDateTimeFactory, world: World, seconds: float) -> None:
    """Move Home Assistant's and the emulator's clocks together; fire nothing."""
    world.advance(seconds)
    freezer.tick(timedelta(seconds=seconds))


async def until(condition: Callable[[], bool], rounds: int = 20_000) -> None:
    """Run the loop until `condition` holds (requests on loopback take a few turns)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0)
    msg = "condition never held"
    raise AssertionError(msg)


async def until_held(world: World) -> None:
    """Run the loop until the emulator holds the request its DELAY fault delays."""
    assert world.faults.pending, "no request to hold: arm a DELAY fault first"
    await until(lambda: not world.faults.pending)


def hold_token_request(world: World) -> None:
    """Let the emulator hold the next token request until `release_held`."""
    world.faults.add(
        FaultKind.DELAY, path_prefix="/api/token", method="POST", delay=0.3
    )


async def release_held(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Move Home Assistant's clock past the emulator's delay (0.3 s or less)."""
    freezer.tick(0.4)
    async_fire_time_changed(hass)
    for _ in range(50):
        await asyncio.sleep(0)


# Actions


async def call(
    hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]
) -> Any:
    """Call an action and wait for it; return its response when it gives one."""
    supports = hass.services.supports_response(domain, service)
    return await hass.services.async_call(
        domain,
        service,
        data,
        blocking=True,
        return_response=supports is not SupportsResponse.NONE,
    )


async def call_player(
    hass: HomeAssistant, service: str, entity_id: str = ENTITY_ID, **data: Any
) -> Any:
    """Call a media_player action on a player (the account's, unless told)."""
    return await call(hass, MP_DOMAIN, service, {ATTR_ENTITY_ID: entity_id, **data})


async def call_action(
    hass: HomeAssistant, service: str, entry: MockConfigEntry | str, **data: Any
) -> Any:
    """Call an action of the integration for the account `entry` (or an entry id).

    Player actions target the account's media player, the others the account; the
    response of a player action is the player's own.
    """
    target = action_target(hass, service, entry)
    response = await call(hass, DOMAIN, service, {**target, **data})
    if ATTR_ENTITY_ID in target and response is not None:
        return response[target[ATTR_ENTITY_ID]]
    return response


def action_target(
    hass: HomeAssistant, service: str, entry: MockConfigEntry | str
) -> dict[str, str]:
    """Return the target of an action: the account's media player, or the account."""
    entry_id = entry if isinstance(entry, str) else entry.entry_id
    if service not in PLAYER_ACTIONS:
        return {ATTR_CONFIG_ENTRY_ID: entry_id}
    players = [
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
        if entity.domain == MP_DOMAIN
    ]
    return {ATTR_ENTITY_ID: players[0] if players else ENTITY_ID}


# What Home Assistant shows


def state(hass: HomeAssistant, entity_id: str = ENTITY_ID) -> State:
    """Return the entity's state (which must exist)."""
    current = hass.states.get(entity_id)
    assert current is not None
    return current


def features(
    hass: HomeAssistant, entity_id: str = ENTITY_ID
) -> MediaPlayerEntityFeature:
    """Return the features a media player supports now."""
    return MediaPlayerEntityFeature(
        state(hass, entity_id).attributes[ATTR_SUPPORTED_FEATURES]
    )


def poll_interval(entry: MockConfigEntry) -> float:
    """Return the seconds until the account's next routine poll."""
    interval = entry.runtime_data.coordinator.update_interval
    assert interval is not None
    return float(interval.total_seconds())


def reauth_flows(hass: HomeAssistant) -> list[Any]:
    """Return the integration's reauth flows in progress."""
    return [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]


def get_issue(hass: HomeAssistant, kind: str, entry_id: str) -> ir.IssueEntry | None:
    """Return the repair issue of `kind` raised for an entry, if any."""
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id(kind, entry_id))


def pause_issues(hass: HomeAssistant) -> list[ir.IssueEntry]:
    """Return the "Spotify paused requests" repairs (one per Spotify app)."""
    return [
        issue
        for issue in ir.async_get(hass).issues.values()
        if issue.domain == DOMAIN and issue.translation_key == "rate_limit_pause"
    ]


def pause_issue(hass: HomeAssistant) -> ir.IssueEntry | None:
    """Return the one "Spotify paused requests" repair, if raised."""
    issues = pause_issues(hass)
    assert len(issues) <= 1
    return issues[0] if issues else None


# What Spotify answers and saw


def spotify_error(
    status: int,
    message: str,
    *,
    reason: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Return the arguments of an emulator fault answering with Spotify's error body."""
    error: dict[str, Any] = {"status": status, "message": message}
    if reason is not None:
        error["reason"] = reason
    return {"status": status, "body": {"error": error}, "headers": headers or {}}


def rate_limited(retry_after: float) -> dict[str, Any]:
    """Return the arguments of an emulator fault answering 429 with `retry_after`."""
    return spotify_error(
        429, "API rate limit exceeded", headers={"Retry-After": str(retry_after)}
    )


def playing_uri(world: World) -> str | None:
    """Return the URI of what the Premium user's session plays now, if anything."""
    snapshot = world.snapshot(USER)
    return snapshot.item_uri if snapshot else None


def context_items(world: World, context_uri: str) -> list[str]:
    """Return the URIs of the items a context (playlist, album, ...) plays."""
    items = world.catalogue.context_items(context_uri)
    assert items
    return items


def token_requests(world: World) -> int:
    """Return how many token requests the emulator answered."""
    return world.request_log.count(method="POST", path="/api/token")


def is_revoked(world: World, refresh_token: str) -> bool:
    """Return whether the emulator revoked a refresh token it issued."""
    info = world.tokens.refresh_token_info(refresh_token)
    assert info is not None
    return info.revoked


def api_requests(world: World, since: int = 0) -> list[str]:
    """Return `METHOD path` of the Web API requests logged after index `since`."""
    return [
        f"{entry.method} {entry.path}"
        for entry in world.request_log.entries[since:]
        if entry.path.startswith("/v1/")
    ]
