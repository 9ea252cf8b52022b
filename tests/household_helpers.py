"""A household against the emulator: several accounts, one or two Spotify apps.

The first app is the seeded one (its credential is registered by the
`setup_credentials` fixture); `async_add_second_app` registers another app of the
same developer account, which therefore shares the daily quota but not the
rate-limit window.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import FaultKind, seed
from tests.helpers import entry_token, setup_integration, spotify_error

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World

ROBIN: Final = seed.PREMIUM_USER_ID
SAM: Final = seed.FREE_USER_ID
CURATOR: Final = seed.CURATOR_USER_ID
PLAYERS: Final = {
    ROBIN: "media_player.robin_emulated",
    SAM: "media_player.sam_freeman",
    CURATOR: "media_player.emulator_curator",
}
SECOND_CLIENT_ID: Final = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
SECOND_CLIENT_SECRET: Final = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
SECOND_AUTH_DOMAIN: Final = f"{DOMAIN}_second_app"
SENSORS: Final = {
    "requests_24h": "spotify_requests_24_h",
    "paused_until": "requests_paused_until",
}


async def async_add_second_app(hass: HomeAssistant, world: World) -> None:
    """Register a second app of the same developer, and its credential in HA."""
    world.add_app(
        client_id=SECOND_CLIENT_ID,
        client_secret=SECOND_CLIENT_SECRET,
        redirect_uris=seed.REDIRECT_URIS,
        name="Second app",
        allowed_users={ROBIN, SAM, CURATOR},
    )
    await async_import_client_credential(
        hass,
        DOMAIN,
        ClientCredential(SECOND_CLIENT_ID, SECOND_CLIENT_SECRET, name="Second app"),
        SECOND_AUTH_DOMAIN,
    )


def account_entry(
    world: World, user: str, *, second_app: bool = False
) -> MockConfigEntry:
    """Return the config entry of `user`, linked through the first or second app."""
    world.apps[seed.CLIENT_ID].allowed_users = {ROBIN, SAM, CURATOR}
    client_id = SECOND_CLIENT_ID if second_app else seed.CLIENT_ID
    grant = world.issue_tokens(user, client_id=client_id)
    return MockConfigEntry(
        domain=DOMAIN,
        entry_id=f"household_{user}",
        title=world.user(user).display_name,
        unique_id=user,
        version=1,
        minor_version=1,
        data={
            "auth_implementation": SECOND_AUTH_DOMAIN if second_app else DOMAIN,
            "token": entry_token(grant),
            "authorized_at": datetime.fromtimestamp(world.clock.now(), UTC).isoformat(),
        },
    )


async def async_setup_household(
    hass: HomeAssistant,
    world: World,
    users: list[str],
    *,
    second_app: frozenset[str] = frozenset(),
) -> list[MockConfigEntry]:
    """Set up one entry per user (those in `second_app` through the second app)."""
    assert await async_setup_component(hass, "homeassistant", {})
    if second_app:
        await async_add_second_app(hass, world)
    entries = [
        account_entry(world, user, second_app=user in second_app) for user in users
    ]
    for entry in entries:
        await setup_integration(hass, entry)
    return entries


def sensor_id(user: str, key: str) -> str:
    """Return the entity id of a usage sensor of `user` (`requests_24h`, ...)."""
    name = PLAYERS[user].removeprefix("media_player.")
    return f"sensor.{name}_{SENSORS[key]}"


async def async_update(hass: HomeAssistant, user: str) -> None:
    """Ask for a refresh of `user`'s player, as the update_entity action does."""
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {ATTR_ENTITY_ID: PLAYERS[user]},
        blocking=True,
    )
    await hass.async_block_till_done()


# Spotify's wait after QUOTA_EXCEEDED in these tests (an hour).
QUOTA_WAIT: Final = 3600


def quota_exceeded(world: World) -> None:
    """Answer the next player request of any account: the daily quota is spent."""
    world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/me/player",
        method="GET",
        **spotify_error(
            429,
            "API rate limit exceeded",
            reason="QUOTA_EXCEEDED",
            headers={"Retry-After": str(QUOTA_WAIT)},
        ),
    )


async def async_add_account_while_paused(
    hass: HomeAssistant, world: World
) -> tuple[MockConfigEntry, int]:
    """Pause Robin's app (its quota is spent), then set Sam's account of it up.

    Returns Sam's entry and where the request log stood before Sam's setup.
    """
    await async_setup_household(hass, world, [ROBIN])
    world.config.daily_quota = world.quota.used("developer")
    await async_update(hass, ROBIN)
    start = len(world.request_log)
    sam = account_entry(world, SAM)
    await setup_integration(hass, sam)
    return sam, start


def enable_sensors(hass: HomeAssistant, users: list[str]) -> None:
    """Enable the usage sensors of `users` before setup, as a user would."""
    registry = er.async_get(hass)
    for user in users:
        for key in SENSORS:
            registry.async_get_or_create(
                "sensor",
                DOMAIN,
                f"{user}_{key}",
                suggested_object_id=sensor_id(user, key).removeprefix("sensor."),
            )
