"""Media player of a Spotify account: what plays, on which device, and its controls.

The integration's player actions (play_context, add_to_queue, ...) are methods of the
entity too (actions.py, shared with the speakers).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.media_player import (
    MediaPlayerEnqueue,
    MediaPlayerEntity,
    MediaPlayerState,
    MediaType,
    RepeatMode,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr

from .actions import PlayerActions
from .api import RepeatMode as SpotifyRepeatMode
from .browse_media import async_browse_media
from .const import DOMAIN
from .context_items import async_queueable
from .errors import spotify_errors
from .features import supported_features
from .media_info import media_info
from .playback import Activity
from .search_media import async_search_media
from .speakers import SpotifySpeaker, async_remove_unlinked_speakers
from .subscription import allows_control
from .validation import (
    MAX_QUERY_LENGTH,
    checked_device,
    checked_play_target,
    checked_text,
    validation_error,
)
from .wake import wake_links

if TYPE_CHECKING:
    from homeassistant.components.media_player import (
        BrowseMedia,
        SearchMedia,
        SearchMediaQuery,
    )
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .data import SpotifyPlayerConfigEntry, SpotifyPlayerData

# Commands of one account are serialised in commands.py (the last input wins), so
# Home Assistant need not hold a call back here.
PARALLEL_UPDATES = 0

# Unmuting a player that was muted elsewhere (we never saw its level).
DEFAULT_UNMUTE_VOLUME: Final = 50

REPEAT_TO_HA: Final = {
    SpotifyRepeatMode.OFF: RepeatMode.OFF,
    SpotifyRepeatMode.CONTEXT: RepeatMode.ALL,
    SpotifyRepeatMode.TRACK: RepeatMode.ONE,
}
REPEAT_TO_SPOTIFY: Final = {value: key for key, value in REPEAT_TO_HA.items()}
STATES: Final = {
    Activity.PLAYING: MediaPlayerState.PLAYING,
    Activity.PAUSED: MediaPlayerState.PAUSED,
    Activity.IDLE: MediaPlayerState.IDLE,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SpotifyPlayerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the media player of a Spotify account and its linked speakers."""
    data = entry.runtime_data
    player = SpotifyMediaPlayer(data)
    async_add_entities([player])
    # One more per device linked for waking, so Assist can name it (speakers.py);
    # their devices sit behind the account's, registered now to be referred to.
    account = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **(player.device_info or {})
    )
    async_add_entities(
        SpotifySpeaker(data, name, account.id) for name in wake_links(entry)
    )
    async_remove_unlinked_speakers(hass, entry, data.user.id)


class SpotifyMediaPlayer(PlayerActions, MediaPlayerEntity):
    """The Spotify account as a media player (one per account)."""

    _attr_name = None
    _attr_translation_key = "spotify_player"
    _attr_media_image_remotely_accessible = False

    def __init__(self, data: SpotifyPlayerData) -> None:
        """Create the player of the account."""
        super().__init__(data)
        self._attr_unique_id = data.user.id
        self.commands = data.commands
        self._volume_before_mute: int | None = None
        self._update_attrs()

    async def async_added_to_hass(self) -> None:
        """Follow device lists fetched between polls too."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.devices.async_listen(self._handle_coordinator_update)
        )

    @callback
    def _update_attrs(self) -> None:
        """Set every attribute from the coordinator's latest snapshot."""
        data = self.coordinator.data
        self._attr_supported_features = supported_features(
            data, premium=allows_control(self.coordinator.config_entry)
        )
        # Restricted devices refuse transfers too, so they are no source to pick.
        devices = self.runtime.devices.devices
        self._attr_source_list = [
            device.name for device in devices if device.id and not device.is_restricted
        ] + self.runtime.sleeping.asleep_names(devices) or None
        info = media_info(data)
        self._attr_media_content_id = info.content_id
        self._attr_media_content_type = info.content_type
        self._attr_media_title = info.title
        self._attr_media_artist = info.artist
        self._attr_media_album_name = info.album_name
        self._attr_media_album_artist = info.album_artist
        self._attr_media_series_title = info.series_title
        self._attr_media_track = info.track
        self._attr_media_duration = info.duration
        self._attr_media_image_url = info.image_url
        self._attr_media_playlist = info.playlist
        self._attr_state = STATES[data.activity]
        playback, device = data.playback, data.device
        self._attr_media_position = (
            round(data.position_ms / 1000) if data.position_ms is not None else None
        )
        self._attr_media_position_updated_at = data.position_updated_at
        # Shuffle and repeat belong to a session: none without an active device.
        session = playback if device else None
        self._attr_shuffle = session.shuffle_state if session else None
        self._attr_repeat = REPEAT_TO_HA[session.repeat_state] if session else None
        self._attr_source = device.name if device else None
        volume = device.volume_percent if device and device.supports_volume else None
        self._attr_volume_level = volume / 100 if volume is not None else None
        self._attr_is_volume_muted = volume == 0 if volume is not None else None

    # Commands

    async def async_media_play(self) -> None:
        """Resume playback (on the fallback device when none is active)."""
        await self.commands.async_play()

    async def async_media_pause(self) -> None:
        """Pause playback."""
        await self.commands.async_pause()

    async def async_media_stop(self) -> None:
        """Stop, which Spotify knows as pause."""
        await self.commands.async_pause()

    async def async_media_next_track(self) -> None:
        """Skip to the next item."""
        await self.commands.async_next_track()

    async def async_media_previous_track(self) -> None:
        """Go back to the previous item."""
        await self.commands.async_previous_track()

    async def async_media_seek(self, position: float) -> None:
        """Jump to `position` seconds, which must lie inside the playing item."""
        await self.commands.async_seek(self._seek_target(position))

    def _seek_target(self, position: float) -> int:
        """Return the position to seek to in ms; refuse what the item cannot hold."""
        if not math.isfinite(position):
            raise validation_error("number_not_finite", "seek_position")
        # Seeking is offered only while an item plays, so its duration is known.
        duration = self._attr_media_duration or 0
        if position > duration:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="seek_beyond_duration",
                translation_placeholders={
                    "position": f"{position:g}",
                    "duration": str(duration),
                },
            )
        return round(max(0.0, position) * 1000)

    async def async_set_volume_level(self, volume: float) -> None:
        """Set the device volume (0..1)."""
        await self.commands.async_set_volume(round(min(max(volume, 0.0), 1.0) * 100))

    async def async_mute_volume(self, mute: bool) -> None:
        """Mute by setting the volume to 0; unmuting restores the level before."""
        if mute:
            if self._attr_volume_level:
                self._volume_before_mute = round(self._attr_volume_level * 100)
            await self.commands.async_set_volume(0)
            return
        await self.commands.async_set_volume(
            self._volume_before_mute or DEFAULT_UNMUTE_VOLUME
        )
        self._volume_before_mute = None

    async def async_set_shuffle(self, shuffle: bool) -> None:
        """Turn shuffle on or off."""
        await self.commands.async_set_shuffle(shuffle)

    async def async_set_repeat(self, repeat: RepeatMode) -> None:
        """Set the repeat mode."""
        await self.commands.async_set_repeat(REPEAT_TO_SPOTIFY[RepeatMode(repeat)])

    async def async_select_source(self, source: str) -> None:
        """Move playback to a Spotify Connect device, by name."""
        await self.commands.async_transfer_playback(checked_device(source, "source"))

    async def async_play_media(
        self, media_type: MediaType | str, media_id: str, **kwargs: Any
    ) -> None:
        """Play or enqueue a Spotify URI, an open.spotify.com link or a browse id.

        `add` and `next` both append to Spotify's queue (Spotify has one queue and
        no "play next"); `play` and `replace` start the item or context now. An item
        browsed inside an album or playlist plays that context from the item.
        """
        uri, context_uri = checked_play_target(media_id)
        enqueue = kwargs.get("enqueue")
        if enqueue in (MediaPlayerEnqueue.ADD, MediaPlayerEnqueue.NEXT):
            with spotify_errors(self.hass, self.coordinator.config_entry):
                uris = await async_queueable(self.coordinator.client, uri)
            await self.commands.async_add_to_queue(uris)
            return
        await self.commands.async_play_item(uri, context_uri=context_uri)

    # Library

    async def async_browse_media(
        self,
        media_content_type: MediaType | str | None = None,
        media_content_id: str | None = None,
    ) -> BrowseMedia:
        """Browse the account's library."""
        return await async_browse_media(
            self.coordinator, self.runtime.user, media_content_type, media_content_id
        )

    async def async_search_media(self, query: SearchMediaQuery) -> SearchMedia:
        """Search Spotify's catalogue (the query is checked before it is sent)."""
        checked_text(query.search_query, "search_query", MAX_QUERY_LENGTH)
        return await async_search_media(self.coordinator, query)
