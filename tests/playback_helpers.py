"""Helpers of the playback tests (coordinator, media player, browse media)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import seed

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, State

    from spotify_emulator import World

ENTITY_ID = "media_player.robin_emulated"

# setup_player(user_id=..., options=...): set an account up against the emulator.
type SetupPlayer = Callable[..., Awaitable[MockConfigEntry]]
# tick(seconds): move Home Assistant's and the emulator's clocks, run due timers.
type Tick = Callable[[float], Awaitable[None]]
USER = seed.PREMIUM_USER_ID


def make_entry(
    world: World,
    *,
    user_id: str = USER,
    title: str = "Robin Emulated",
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Return a config entry holding fresh emulator tokens for `user_id`."""
    grant = world.issue_tokens(user_id)
    now = world.clock.now()
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=user_id,
        title=title,
        data={
            "auth_implementation": DOMAIN,
            "token": {
                "access_token": grant.access_token,
                "refresh_token": grant.refresh_token,
                "token_type": "Bearer",
                "expires_in": grant.expires_in,
                "expires_at": now + grant.expires_in,
                "scope": grant.scope,
            },
            "authorized_at": datetime.fromtimestamp(now, UTC).isoformat(),
        },
        options=options or {},
    )


async def setup_entry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    world: World,
    entry: MockConfigEntry,
) -> MockConfigEntry:
    """Freeze Home Assistant at the emulator's time and set the entry up."""
    freezer.move_to(datetime.fromtimestamp(world.clock.now(), UTC))
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(seed.CLIENT_ID, seed.CLIENT_SECRET), DOMAIN
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, world: World, seconds: float
) -> None:
    """Move Home Assistant's and the emulator's clocks together and run timers."""
    world.advance(seconds)
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    # Scheduled refreshes run as background tasks of the config entry.
    await hass.async_block_till_done(wait_background_tasks=True)


def state(hass: HomeAssistant, entity_id: str = ENTITY_ID) -> State:
    """Return the entity's state (which must exist)."""
    current = hass.states.get(entity_id)
    assert current is not None
    return current


def action_target(service: str, entry: MockConfigEntry) -> dict[str, str]:
    """Return the target of an action: the media player, or the account."""
    from custom_components.spotify_player.services import ENTITY_SERVICES

    if service in {name for name, *_ in ENTITY_SERVICES}:
        return {"entity_id": ENTITY_ID}
    return {"config_entry_id": entry.entry_id}


def api_requests(world: World, since: int = 0) -> list[str]:
    """Return `METHOD path` of the Web API requests logged after index `since`."""
    return [
        f"{entry.method} {entry.path}"
        for entry in world.request_log.entries[since:]
        if entry.path.startswith("/v1/")
    ]
