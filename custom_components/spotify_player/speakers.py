"""A media player per linked Spotify Connect device, so Assist can name the speaker.

"Play Dream on the Living Room AVR" needs a media player called that which can
search and play: the AVR's own integration offers neither. Each device linked in the
wake-up options gets one; playing on it moves playback there first (waking the
device through its linked entity when it sleeps, wake.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.media_player import (
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
    MediaType,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .actions import PlayerActions
from .const import DOMAIN
from .search_media import async_search_media
from .speaker_ids import speaker_unique_id
from .validation import MAX_QUERY_LENGTH, checked_play_target, checked_text
from .wake import wake_links

# Home Assistant 2026.10 links a device to its parent by id and deprecates the
# identifier form, which older releases (down to the oldest supported) only know.
VIA_DEVICE_ID: Final = "via_device_id" in DeviceInfo.__optional_keys__

if TYPE_CHECKING:
    from homeassistant.components.media_player import SearchMedia, SearchMediaQuery
    from homeassistant.config_entries import ConfigEntry

    from .data import SpotifyPlayerData

# Always: start something here. While this device plays: control it too.
IDLE_FEATURES = (
    MediaPlayerEntityFeature.PLAY_MEDIA
    | MediaPlayerEntityFeature.SEARCH_MEDIA
    | MediaPlayerEntityFeature.PLAY
)
ACTIVE_FEATURES = (
    IDLE_FEATURES
    | MediaPlayerEntityFeature.PAUSE
    | MediaPlayerEntityFeature.NEXT_TRACK
    | MediaPlayerEntityFeature.VOLUME_SET
)


@callback
def async_remove_unlinked_speakers(
    hass: HomeAssistant, entry: ConfigEntry, user_id: str
) -> None:
    """Drop the devices of speakers whose link the options no longer have."""
    linked = {speaker_unique_id(user_id, name) for name in wake_links(entry)}
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        speakers = {key for domain, key in device.identifiers if domain == DOMAIN} - {
            user_id
        }
        if speakers and not speakers & linked:
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )


class SpotifySpeaker(PlayerActions, MediaPlayerEntity):
    """One linked Spotify Connect device of the account, named as Spotify names it."""

    # The device's own entity: named as Spotify names the device (what people say).
    _attr_name = None
    _attr_translation_key = "speaker"
    _attr_media_content_type = MediaType.MUSIC

    def __init__(
        self, data: SpotifyPlayerData, device_name: str, account_device_id: str
    ) -> None:
        """Create the speaker `device_name`, a device behind the account's device."""
        super().__init__(data)
        self._commands = data.commands
        self._device_name = device_name
        self._attr_unique_id = speaker_unique_id(data.user.id, device_name)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, self._attr_unique_id)},
            name=device_name,
            manufacturer="Spotify AB",
            model="Spotify Connect device",
        )
        if VIA_DEVICE_ID:
            self._attr_device_info["via_device_id"] = account_device_id
        else:
            self._attr_device_info["via_device"] = (DOMAIN, data.user.id)  # type: ignore[typeddict-unknown-key]
        self._update_attrs()

    @property
    def _active(self) -> bool:
        data = self.coordinator.data
        device = data.device if data is not None else None
        return device is not None and (
            device.name.casefold() == self._device_name.casefold()
        )

    @callback
    def _update_attrs(self) -> None:
        data = self.coordinator.data
        playing = data.playback.is_playing if data and data.playback else False
        self._attr_supported_features = (
            ACTIVE_FEATURES if self._active else IDLE_FEATURES
        )
        if not self._active:
            self._attr_state = MediaPlayerState.IDLE
        else:
            self._attr_state = (
                MediaPlayerState.PLAYING if playing else MediaPlayerState.PAUSED
            )
        device = data.device if self._active and data else None
        volume = device.volume_percent if device else None
        self._attr_volume_level = volume / 100 if volume is not None else None
        item = data.item if self._active and data else None
        self._attr_media_title = item.name if item else None

    def _action_device(self, device: str | None) -> str | None:
        """Actions that play or queue go to this device unless they name another."""
        return device or self._device_name

    async def _async_here(self, *, play: bool | None = None) -> None:
        """Move playback to this device (waking it) unless it plays here already."""
        if not self._active:
            await self._commands.async_transfer_playback(self._device_name, play=play)

    async def async_play_media(
        self, media_type: MediaType | str, media_id: str, **kwargs: Any
    ) -> None:
        """Play a Spotify URI or browse id on this device."""
        uri, context_uri = checked_play_target(media_id)
        await self._async_here(play=False)
        await self._commands.async_play_item(uri, context_uri=context_uri)

    async def async_search_media(self, query: SearchMediaQuery) -> SearchMedia:
        """Search Spotify's catalogue."""
        checked_text(query.search_query, "search_query", MAX_QUERY_LENGTH)
        return await async_search_media(self.coordinator, query)

    async def async_media_play(self) -> None:
        """Resume here (moving playback here first)."""
        if self._active:
            await self._commands.async_play()
        else:
            await self._async_here(play=True)

    # Offered only while this device plays (see `_update_attrs`).

    async def async_media_pause(self) -> None:
        """Pause."""
        await self._commands.async_pause()

    async def async_media_next_track(self) -> None:
        """Skip to the next item."""
        await self._commands.async_next_track()

    async def async_set_volume_level(self, volume: float) -> None:
        """Set this device's volume (0..1)."""
        await self._commands.async_set_volume(round(min(max(volume, 0.0), 1.0) * 100))
