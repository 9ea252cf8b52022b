"""The integration's player actions, as methods of its media players.

services.py registers them as entity services for the account's player and its
speakers alike (action_targets.py runs them once per account). Fields arrive
checked by the schemas; each method checks what a schema cannot (how fields
combine, what is playing) before any request, then hands over to the account's
commands. On a speaker, `play_context`, `add_to_queue` and `transfer_playback` go
to that device (woken when it sleeps) unless `device` names another; the others act
on the account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .context_items import ContextStart, async_random_start
from .entity import SpotifyPlayerEntity
from .errors import spotify_errors
from .responses import queue_response
from .uri import uri_type

if TYPE_CHECKING:
    from homeassistant.core import ServiceResponse

# Spotify only honours a start offset inside an album or a playlist.
OFFSET_CONTEXT_TYPES: Final = frozenset({"album", "playlist"})


class PlayerActions(SpotifyPlayerEntity):
    """Entity-service methods shared by the account's player and its speakers."""

    def _action_device(self, device: str | None) -> str | None:
        """Return the device an action addresses (None: the active one)."""
        return device

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
    ) -> ServiceResponse:
        """Start an album, playlist, artist, show, audiobook or the liked songs.

        `random_start` starts at a random item of an album or playlist (one request
        for its size; when Spotify does not tell it, playback starts at the first
        item, and the response and the log say so); `shuffle` is set before
        playback starts.
        """
        kind = uri_type(context_uri)
        if (
            offset_position is not None or offset_uri is not None or random_start
        ) and kind not in OFFSET_CONTEXT_TYPES:
            raise _refuse("offset_not_supported", type=kind)
        if random_start and (offset_position is not None or offset_uri is not None):
            raise _refuse("random_start_with_offset")
        if random_start:
            with spotify_errors(self.hass, self.coordinator.config_entry):
                offset_position = await async_random_start(
                    self.coordinator.client, context_uri
                )
        start_at = ContextStart(
            context_uri=context_uri,
            offset_position=offset_position,
            offset_uri=offset_uri,
            position_ms=position_ms,
            shuffle=shuffle,
        )
        await self.runtime.commands.async_play_context(
            start_at, device=self._action_device(device)
        )
        return {
            "context_uri": context_uri,
            "random_start_applied": random_start and offset_position is not None,
            "offset_position": offset_position,
        }

    async def async_transfer_playback(
        self, *, device: str | None = None, play: bool | None = None
    ) -> None:
        """Move playback to a device (name or id); `play` None keeps it as it is."""
        if (target := self._action_device(device)) is None:
            raise _refuse("transfer_needs_device")
        await self.runtime.commands.async_transfer_playback(target, play=play)

    async def async_add_to_queue(self, *, uri: str, device: str | None = None) -> None:
        """Append a track or an episode to the queue (of `device`, if named)."""
        await self.runtime.commands.async_add_to_queue(
            [uri], device=self._action_device(device)
        )

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


def _refuse(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )
