"""The Spotify Player integration."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)
from homeassistant.helpers.event import async_track_time_interval

from .api import SpotifyClient, SpotifyError, UserProfile
from .auth import SpotifyTokenManager
from .commands import PlayerCommands
from .confirmation import CommandConfirmation
from .const import DOMAIN, api_base_url
from .context_names import ContextNames
from .coordinator import SpotifyPlaybackCoordinator
from .data import SpotifyPlayerConfigEntry, SpotifyPlayerData
from .device_memory import DeviceMemory
from .devices import DeviceList
from .errors import setup_error
from .hints import LocalPushHints
from .household import SharedApp, async_join_app
from .issues import (
    IssueKind,
    async_check_authorization_expiry,
    async_delete_all_issues,
    async_delete_issue,
    missing_scopes,
)
from .migrations import async_migrate_entry
from .polling import PollingPolicy
from .services import async_setup_services
from .subscription import async_note_premium, product_is_premium
from .up_next import UpNext
from .wake import SleepingDevices

if TYPE_CHECKING:
    from homeassistant.helpers.typing import ConfigType

__all__ = ["async_migrate_entry"]

PLATFORMS: list[Platform] = [Platform.MEDIA_PLAYER, Platform.SENSOR]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

EXPIRY_CHECK_INTERVAL = timedelta(days=1)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions once, independent of entries."""
    async_setup_services(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry
) -> bool:
    """Set up a Spotify account from a config entry."""
    implementation = await async_get_config_entry_implementation(hass, entry)
    # Joined first: a setup retry inside the app's closed window sends nothing.
    app = async_join_app(hass, entry, implementation)
    token_manager = SpotifyTokenManager(
        hass, entry, OAuth2Session(hass, entry, implementation)
    )
    # Registered first: HA also runs unload callbacks when setup fails.
    entry.async_on_unload(token_manager.async_stop)

    if missing_scopes(token_manager.granted_scopes):
        # Reauth asks for every scope again; no repair issue on top (one question).
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="missing_scope"
        )

    client = SpotifyClient(
        async_get_clientsession(hass),
        token_manager.async_get_access_token,
        api_base=api_base_url(),
        rate_limit_gate=app.gate,
        app_requests=app.requests,
    )
    user = await _async_get_user(hass, entry, client)
    for kind in (IssueKind.USER_NOT_REGISTERED, IssueKind.APP_OWNER_PREMIUM):
        async_delete_issue(hass, entry.entry_id, kind)
    if (premium := product_is_premium(user.product)) is not None:
        # Development Mode profiles carry no product: commands tell then.
        async_note_premium(hass, entry, premium=premium)

    entry.runtime_data = await _async_compose(
        hass, entry, client=client, token_manager=token_manager, user=user, app=app
    )
    coordinator = entry.runtime_data.coordinator

    async def _async_stop(_event: Event) -> None:
        # Home Assistant does not unload entries when it stops, and its HTTP session
        # closes next: end polling and token refreshes now.
        await coordinator.async_shutdown()
        await token_manager.async_stop()

    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _async_stop))
    token_manager.async_start()
    async_check_authorization_expiry(hass, entry)

    @callback
    def _async_daily_expiry_check(now: datetime) -> None:
        async_check_authorization_expiry(hass, entry, now)

    entry.async_on_unload(
        async_track_time_interval(
            hass,
            _async_daily_expiry_check,
            EXPIRY_CHECK_INTERVAL,
            name=f"{DOMAIN} authorization expiry check",
            cancel_on_shutdown=True,
        )
    )

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_compose(
    hass: HomeAssistant,
    entry: SpotifyPlayerConfigEntry,
    *,
    client: SpotifyClient,
    token_manager: SpotifyTokenManager,
    user: UserProfile,
    app: SharedApp,
) -> SpotifyPlayerData:
    """Build the account's parts, hand each the others it needs, and poll once."""
    policy = PollingPolicy()

    async def _confirm() -> None:
        # A command's confirmation is a refresh of the coordinator built below.
        await coordinator.async_refresh()

    device_memory = DeviceMemory(hass, entry.entry_id)
    await device_memory.async_load()
    entry.async_on_unload(device_memory.async_stop)
    devices = DeviceList(client, policy.spend, device_memory)
    coordinator = SpotifyPlaybackCoordinator(
        hass,
        entry,
        client=client,
        policy=policy,
        devices=devices,
        context_names=ContextNames(client, policy.spend),
        confirmation=(confirmation := CommandConfirmation(hass, entry, _confirm)),
        pause=app.pause,
    )
    sleeping = SleepingDevices(hass, entry, device_memory, client.rate_limit_gate)
    # The links that wake devices also tell when the playing one changed (hints.py).
    entry.async_on_unload(
        LocalPushHints(hass, entry, coordinator, sleeping).async_start()
    )
    up_next = UpNext(hass, entry, client, policy.spend, policy.can_spare)
    await coordinator.async_config_entry_first_refresh()
    return SpotifyPlayerData(
        client=client,
        token_manager=token_manager,
        user=user,
        app=app,
        coordinator=coordinator,
        commands=PlayerCommands(
            hass,
            entry,
            client=client,
            coordinator=coordinator,
            confirmation=confirmation,
            devices=devices,
            sleeping=sleeping,
            up_next=up_next,
        ),
        confirmation=confirmation,
        devices=devices,
        device_memory=device_memory,
        sleeping=sleeping,
        up_next=up_next,
    )


async def _async_get_user(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry, client: SpotifyClient
) -> UserProfile:
    """Fetch the profile; Spotify errors become setup outcomes (errors.py)."""
    try:
        return await client.get_current_user()
    except SpotifyError as err:
        raise setup_error(hass, entry, err) from err


async def async_unload_entry(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry
) -> bool:
    """Unload a config entry; timers stop through the unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: SpotifyPlayerConfigEntry
) -> None:
    """Drop the entry's repair issues and remembered devices with the account."""
    async_delete_all_issues(hass, entry.entry_id)
    await DeviceMemory(hass, entry.entry_id).async_remove()
