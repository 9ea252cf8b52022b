"""The integration's player actions, as methods of the media player entity.

services.py registers them as entity services (the call targets a media player of
this integration); their fields arrive validated by its schemas. Each checks what
the schema cannot (how fields combine, what is playing) before any request, then
hands over to the account's commands (commands.py) or presents what Spotify said
(presenter.py).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .errors import spotify_errors
from .presenter import queue_response
from .uri import is_context_uri, uri_id, uri_type

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant, ServiceResponse

    from .commands import PlayerCommands
    from .coordinator import SpotifyPlaybackCoordinator

# Spotify only honours a start offset inside an album or a playlist.
OFFSET_CONTEXT_TYPES: Final = frozenset({"album", "playlist"})
# Enqueueing an album, playlist, show or liked songs adds this many items at most.
MAX_ENQUEUE: Final = 50


def _refuse(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


class PlayerActions:
    """play_context, transfer_playback, add_to_queue, get_queue and the library."""

    hass: HomeAssistant
    coordinator: SpotifyPlaybackCoordinator
    commands: PlayerCommands

    async def async_play_context(
        self,
        context_uri: str,
        *,
        device: str | None = None,
        offset_position: int | None = None,
        offset_uri: str | None = None,
        position_ms: int | None = None,
        shuffle: bool | None = None,
        random_start: bool = False,
    ) -> None:
        """Start an album, playlist, artist, show, audiobook or the liked songs.

        `random_start` starts at a random item of an album or playlist (one request
        for its size); `shuffle` is set before playback starts.
        """
        kind = uri_type(context_uri)
        if (
            offset_position is not None or offset_uri is not None or random_start
        ) and kind not in OFFSET_CONTEXT_TYPES:
            raise _refuse("offset_not_supported", type=kind)
        if random_start and (offset_position is not None or offset_uri is not None):
            raise _refuse("random_start_with_offset")
        if random_start:
            offset_position = await self._async_random_offset(context_uri)
        await self.commands.async_play_context(
            context_uri,
            device=device,
            offset_position=offset_position,
            offset_uri=offset_uri,
            position_ms=position_ms,
            shuffle=shuffle,
        )

    async def _async_random_offset(self, context_uri: str) -> int | None:
        """Pick a random position in the album or playlist (None: size unknown)."""
        client = self.coordinator.client
        with spotify_errors(self.hass, self.coordinator.config_entry):
            if uri_type(context_uri) == "album":
                size = (await client.get_album(uri_id(context_uri))).total_tracks
            else:
                playlist = await client.get_playlist(uri_id(context_uri))
                size = playlist.items.total if playlist.items else None
        return secrets.randbelow(size) if size else None

    async def async_transfer_playback(
        self, *, device: str, play: bool | None = None
    ) -> None:
        """Move playback to a device (name or id); `play` None keeps it as it is."""
        await self.commands.async_transfer_playback(device, play=play)

    async def async_add_to_queue(self, *, uri: str, device: str | None = None) -> None:
        """Append a track or an episode to the queue (of `device`, if named)."""
        await self.commands.async_add_to_queue([uri], device=device)

    async def async_get_queue(self) -> ServiceResponse:
        """Return what plays now and what comes next."""
        with spotify_errors(self.hass, self.coordinator.config_entry):
            queue = await self.coordinator.client.get_queue()
        return queue_response(queue)

    async def async_save_to_library(self, *, uris: list[str] | None = None) -> None:
        """Save URIs to the library (Spotify's "like"); by default what is playing."""
        uris = uris or [self._playing_uri()]
        with spotify_errors(self.hass, self.coordinator.config_entry):
            await self.coordinator.client.save_to_library(uris)

    async def async_remove_from_library(self, *, uris: list[str] | None = None) -> None:
        """Remove URIs from the library; by default what is playing."""
        uris = uris or [self._playing_uri()]
        with spotify_errors(self.hass, self.coordinator.config_entry):
            await self.coordinator.client.remove_from_library(uris)

    def _playing_uri(self) -> str:
        data = self.coordinator.data
        if data is None or data.item is None:
            raise _refuse("nothing_playing")
        return data.item.uri

    async def _async_queueable(self, uri: str) -> list[str]:
        """Return the item, or the first MAX_ENQUEUE items of a context."""
        if not is_context_uri(uri):
            return [uri]
        client = self.coordinator.client
        kind = uri_type(uri)
        if kind not in ("album", "playlist", "show", "collection"):
            raise _refuse("enqueue_not_supported", media_id=uri)
        with spotify_errors(self.hass, self.coordinator.config_entry):
            if kind == "album":
                album = await client.get_album(uri_id(uri))
                tracks = album.tracks.items if album.tracks else []
                return [track.uri for track in tracks][:MAX_ENQUEUE]
            if kind == "playlist":
                page = await client.get_playlist_items(uri_id(uri), limit=MAX_ENQUEUE)
                return [
                    entry.item.uri
                    for entry in page.items
                    if entry.item and not entry.is_local
                ]
            if kind == "show":
                episodes = await client.get_show_episodes(
                    uri_id(uri), limit=MAX_ENQUEUE
                )
                return [episode.uri for episode in episodes.items if episode.uri]
            saved = await client.get_saved_tracks(limit=MAX_ENQUEUE)
            return [entry.track.uri for entry in saved.items]
