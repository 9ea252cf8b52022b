"""Config flow for Spotify Player: OAuth2 with PKCE, reauth, reconfigure, options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2FlowHandler
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.util import dt as dt_util

from .api import SpotifyClient, SpotifyError, UserProfile
from .const import (
    CONF_AUTHORIZED_AT,
    CONF_DEFAULT_DEVICE,
    CONF_DEFAULT_DEVICE_NAME,
    CONF_PLAYING_INTERVAL,
    CONF_WAKE_LINKS,
    DASHBOARD_URL,
    DEFAULT_PLAYING_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_PLAYING_INTERVAL,
    MIN_PLAYING_INTERVAL,
    SPOTIFY_SCOPES,
    api_base_url,
)
from .errors import error_outcome
from .migrations import MINOR_VERSION, VERSION
from .schema_library import vol
from .wake import WAKE_DOMAINS, link_to_store, linked_entity_id, wake_links

if TYPE_CHECKING:
    from collections.abc import Mapping
    import logging

    from .data import SpotifyPlayerConfigEntry
    from .device_memory import RememberedDevice


class SpotifyPlayerFlowHandler(AbstractOAuth2FlowHandler, domain=DOMAIN):
    """Link a Spotify account through Spotify's authorization code flow."""

    DOMAIN = DOMAIN
    VERSION = VERSION
    MINOR_VERSION = MINOR_VERSION

    @property
    @override
    def logger(self) -> logging.Logger:
        """Logger of the generic OAuth2 steps."""
        return LOGGER

    @property
    @override
    def extra_authorize_data(self) -> dict[str, Any]:
        """Ask for every scope, and always show Spotify's consent dialog.

        The dialog lets the user see which account they are about to link,
        which matters for reauth and reconfigure (a different account aborts).
        """
        return {"scope": " ".join(SPOTIFY_SCOPES), "show_dialog": "true"}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SpotifyPlayerOptionsFlow:
        """Return the options flow."""
        return SpotifyPlayerOptionsFlow()

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start reauth (dead or expiring grant, missing scopes)."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Explain, then send the user to Spotify with the entry's credentials."""
        entry = self._get_reauth_entry()
        if user_input is None:
            return self.async_show_form(
                step_id="reauth_confirm",
                description_placeholders={"account": entry.title},
            )
        return await self.async_step_pick_implementation(
            user_input={"implementation": entry.data["auth_implementation"]}
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Link the same account again; the credentials may be switched."""
        return await self.async_step_pick_implementation()

    @override
    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Identify the account behind the new token and create or update an entry."""
        access_token = str(data["token"]["access_token"])

        async def token_provider(_force_refresh: bool) -> str:
            # The token is seconds old; a 401 now is not fixed by refreshing.
            return access_token

        client = SpotifyClient(
            async_get_clientsession(self.hass), token_provider, api_base=api_base_url()
        )
        try:
            user = await client.get_current_user()
        except SpotifyError as err:
            # The same cause reads the same here as everywhere (errors.py); no
            # repair issue or reauth: there is no entry yet, the user is here.
            outcome = error_outcome(err)
            LOGGER.debug("Spotify refused to identify the account: %s", err)
            return self.async_abort(
                reason=outcome.key,
                description_placeholders={
                    "dashboard_url": DASHBOARD_URL,
                    **(outcome.values(err) or {}),
                },
            )

        # The six-month lifetime of the refresh token starts now.
        entry_data = {**data, CONF_AUTHORIZED_AT: dt_util.utcnow().isoformat()}
        await self.async_set_unique_id(user.id)
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            self._abort_if_unique_id_mismatch(
                reason="wrong_account",
                description_placeholders={"account": _title(user)},
            )
            entry = (
                self._get_reauth_entry()
                if self.source == SOURCE_REAUTH
                else self._get_reconfigure_entry()
            )
            return self.async_update_reload_and_abort(entry, data_updates=entry_data)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=_title(user), data=entry_data)


def _title(user: UserProfile) -> str:
    return user.display_name or user.id


class SpotifyPlayerOptionsFlow(OptionsFlowWithReload):
    """Default playback device and refresh interval; the entry reloads on change."""

    def __init__(self) -> None:
        """Start without a device list; it is fetched when the form is shown."""
        self._device_names: dict[str, str] = {}
        self._options: dict[str, Any] = {}

    def _remembered(self) -> list[RememberedDevice]:
        entry: SpotifyPlayerConfigEntry = self.config_entry
        if entry.state is not ConfigEntryState.LOADED:
            return []
        return entry.runtime_data.device_memory.devices

    async def async_step_wake(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Link Spotify Connect devices to the entities that wake them."""
        errors: dict[str, str] = {}
        # Shown by entity id; stored by registry id, so a rename keeps the link. A
        # link whose entity was removed shows empty, and goes unless filled again.
        links = {
            name: entity_id
            for name, stored in wake_links(self.config_entry).items()
            if (entity_id := linked_entity_id(self.hass, stored)) is not None
        }
        if user_input is not None:
            links, errors = parse_wake_links(user_input)
            if not errors:
                stored = {
                    name: link_to_store(self.hass, entity)
                    for name, entity in links.items()
                }
                # No links, no key: options without them stay as they were.
                wake = {CONF_WAKE_LINKS: stored} if stored else {}
                return self.async_create_entry(data={**self._options, **wake})
        names = [device.name for device in self._remembered()]
        names += wake_links(self.config_entry)  # a removed link keeps its row
        return self.async_show_form(
            step_id="wake",
            data_schema=self.add_suggested_values_to_schema(
                wake_schema(names, links), user_input or {}
            ),
            errors=errors,
        )

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and store the options."""
        entry: SpotifyPlayerConfigEntry = self.config_entry
        if user_input is not None:
            options: dict[str, Any] = {
                CONF_PLAYING_INTERVAL: int(user_input[CONF_PLAYING_INTERVAL])
            }
            if device_id := user_input.get(CONF_DEFAULT_DEVICE):
                options[CONF_DEFAULT_DEVICE] = device_id
                options[CONF_DEFAULT_DEVICE_NAME] = self._device_names.get(
                    device_id, device_id
                )
            self._options = options
            return await self.async_step_wake()

        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        self._device_names = {}
        if entry.state is ConfigEntryState.LOADED:
            try:
                devices = await entry.runtime_data.client.get_devices()
            except SpotifyError as err:
                # Why, as errors.py words it everywhere else; the form stays usable.
                LOGGER.debug("Could not list Spotify devices: %s", err)
                outcome = error_outcome(err)
                errors["base"] = outcome.key
                placeholders = {"dashboard_url": DASHBOARD_URL}
                placeholders |= outcome.values(err) or {}
            else:
                # Spotify gives no id to some devices; those cannot be addressed.
                # Restricted devices refuse every command: no default to offer.
                self._device_names = {
                    device.id: device.name or device.id
                    for device in devices
                    if device.id and not device.is_restricted
                }
        else:
            errors["base"] = "devices_unavailable"

        # Devices listed before (asleep now, say) can be the default too.
        for remembered in self._remembered():
            self._device_names.setdefault(remembered.id, remembered.name)
        # Keep the current choice selectable while that device is offline.
        if (current := entry.options.get(CONF_DEFAULT_DEVICE)) and (
            current not in self._device_names
        ):
            self._device_names[current] = entry.options.get(
                CONF_DEFAULT_DEVICE_NAME, current
            )

        schema = vol.Schema(
            {
                vol.Optional(CONF_DEFAULT_DEVICE): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(value=device_id, label=name)
                            for device_id, name in self._device_names.items()
                        ],
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required(
                    CONF_PLAYING_INTERVAL, default=DEFAULT_PLAYING_INTERVAL
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_PLAYING_INTERVAL,
                        max=MAX_PLAYING_INTERVAL,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.SLIDER,
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, entry.options),
            errors=errors,
            description_placeholders=placeholders or None,
        )


# The options step that links Spotify Connect devices to the entities that wake
# them: one entity field per device Spotify has listed before (device_memory.py) or
# that is linked already, plus a free-text name for a device not listed yet.

CONF_NEW_DEVICE: Final = "new_device"
CONF_NEW_DEVICE_ENTITY: Final = "new_device_entity"


def _entity_selector() -> EntitySelector:
    return EntitySelector(EntitySelectorConfig(domain=WAKE_DOMAINS))


def wake_schema(names: list[str], links: dict[str, str]) -> vol.Schema:
    """One optional entity per device name, then a new device and its entity."""
    known = {name.casefold(): name for name in names}
    for name in links:
        known.setdefault(name.casefold(), name)
    fields: dict[Any, Any] = {
        vol.Optional(name, description={"suggested_value": links.get(name)}): (
            _entity_selector()
        )
        for name in sorted(known.values(), key=str.casefold)
        if name not in (CONF_NEW_DEVICE, CONF_NEW_DEVICE_ENTITY)
    }
    fields[vol.Optional(CONF_NEW_DEVICE)] = TextSelector()
    fields[vol.Optional(CONF_NEW_DEVICE_ENTITY)] = _entity_selector()
    return vol.Schema(fields)


def parse_wake_links(
    user_input: dict[str, Any],
) -> tuple[dict[str, str], dict[str, str]]:
    """Return (links, errors) from the submitted step; an empty field unlinks."""
    links = {
        str(name): str(entity_id)
        for name, entity_id in user_input.items()
        if name not in (CONF_NEW_DEVICE, CONF_NEW_DEVICE_ENTITY) and entity_id
    }
    errors: dict[str, str] = {}
    new_name = str(user_input.get(CONF_NEW_DEVICE) or "").strip()
    new_entity = user_input.get(CONF_NEW_DEVICE_ENTITY)
    if new_name and not new_entity:
        errors[CONF_NEW_DEVICE_ENTITY] = "wake_entity_required"
    elif new_entity and not new_name:
        errors[CONF_NEW_DEVICE] = "wake_device_required"
    elif new_name and new_entity:
        # The same device typed again replaces its link, whatever the case.
        links = {
            name: entity
            for name, entity in links.items()
            if name.casefold() != new_name.casefold()
        }
        links[new_name] = str(new_entity)
    return links, errors
