"""The Web API's player commands, with the checks Spotify makes (mixed into World)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from .catalogue import split_uri
from .errors import (
    PlayerError,
    device_not_found,
    no_active_device,
    restriction_violated,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .catalogue import Catalogue
    from .order import RepeatState
    from .player import Playback
    from .users import Device, User

# What PUT /me/player/play accepts as context_uri (besides a user's collection).
CONTEXT_KINDS = frozenset({"album", "playlist", "artist", "show", "audiobook"})


class PlayerCommands(ABC):
    """PUT/POST /me/player/...: Premium is checked by the Web API, the rest here."""

    catalogue: Catalogue

    @abstractmethod
    def user(self, user_id: str) -> User:
        """Return a user, woken devices joined by now."""

    def active_device(self, user_id: str) -> Device | None:
        """Return the device playback is on, if a session is active."""
        user = self.user(user_id)
        pb = user.playback
        pb.sync()
        if not pb.active or pb.device_key is None:
            return None
        return user.device_by_key(pb.device_key)

    def command_play(
        self,
        user_id: str,
        *,
        device_id: str | None = None,
        context_uri: str | None = None,
        uris: Sequence[str] | None = None,
        offset_position: int | None = None,
        offset_uri: str | None = None,
        position_ms: int = 0,
    ) -> None:
        """PUT /me/player/play."""
        user = self.user(user_id)
        device = self._command_device(user, device_id)
        pb = user.playback
        if context_uri is None and uris is None:
            pb.resume(device.key if device_id else None)
            return
        if context_uri is not None:
            items = self.context_items(user, context_uri)
        else:
            items = list(uris or [])
            if not items:
                raise PlayerError(400, "Missing uris")
            for uri in items:
                self._check_playable(uri)
        offset = 0
        if offset_uri is not None:
            if offset_uri not in items:
                raise PlayerError(400, "Invalid offset")
            offset = items.index(offset_uri)
        elif offset_position is not None:
            if not 0 <= offset_position < len(items):
                raise PlayerError(400, "Invalid offset")
            offset = offset_position
        if context_uri is not None:
            pb.play_context(
                device_key=device.key,
                context_uri=context_uri,
                items=items,
                offset=offset,
                position_ms=position_ms,
            )
        else:
            pb.play_uris(
                device_key=device.key,
                uris=items,
                offset=offset,
                position_ms=position_ms,
            )

    def context_items(self, user: User, context_uri: str) -> list[str]:
        """Return the playable items of a context URI (PlayerError if it is not one)."""
        parsed = split_uri(context_uri)
        if parsed is None:
            if context_uri.startswith("spotify:user:") and context_uri.endswith(
                ":collection"
            ):
                return [uri for uri, _ in user.saved_of("track")]
            raise PlayerError(400, "Unsupported context uri")
        if parsed[0] not in CONTEXT_KINDS:
            raise PlayerError(400, "Unsupported context uri")
        items = self.catalogue.context_items(context_uri)
        if items is None:
            raise PlayerError(404, "Not found.")
        if not items:
            raise PlayerError(400, "Context is empty")
        return items

    def command_pause(self, user_id: str, *, device_id: str | None = None) -> None:
        """PUT /me/player/pause."""
        self._controlled(user_id, device_id).pause()

    def command_next(self, user_id: str, *, device_id: str | None = None) -> None:
        """POST /me/player/next."""
        self._controlled(user_id, device_id).next()

    def command_previous(self, user_id: str, *, device_id: str | None = None) -> None:
        """POST /me/player/previous."""
        self._controlled(user_id, device_id).previous()

    def command_seek(
        self, user_id: str, position_ms: int, *, device_id: str | None = None
    ) -> None:
        """PUT /me/player/seek."""
        self._controlled(user_id, device_id).seek(position_ms)

    def command_shuffle(
        self, user_id: str, state: bool, *, device_id: str | None = None
    ) -> None:
        """PUT /me/player/shuffle."""
        self._controlled(user_id, device_id).set_shuffle(state)

    def command_repeat(
        self, user_id: str, state: RepeatState, *, device_id: str | None = None
    ) -> None:
        """PUT /me/player/repeat."""
        self._controlled(user_id, device_id).set_repeat(state)

    def command_volume(
        self, user_id: str, volume_percent: int, *, device_id: str | None = None
    ) -> None:
        """PUT /me/player/volume."""
        device = self._command_device(self.user(user_id), device_id)
        if not device.supports_volume:
            raise PlayerError(
                403,
                "Player command failed: Cannot control device volume",
                "VOLUME_CONTROL_DISALLOW",
            )
        device.volume_percent = volume_percent

    def command_queue(
        self, user_id: str, uri: str, *, device_id: str | None = None
    ) -> None:
        """POST /me/player/queue."""
        pb = self._controlled(user_id, device_id)
        self._check_playable(uri)
        pb.add_to_queue(uri)

    def command_transfer(
        self, user_id: str, device_id: str, *, play: bool | None = None
    ) -> None:
        """PUT /me/player."""
        user = self.user(user_id)
        device = self._unrestricted(user.device(device_id))
        user.playback.transfer(device.key, play)

    def _command_device(self, user: User, device_id: str | None) -> Device:
        """Return the device a command addresses, enforcing Spotify's checks."""
        if device_id:
            return self._unrestricted(user.device(device_id))
        active = self.active_device(user.id)
        if active is None:
            raise no_active_device()
        return self._unrestricted(active)

    @staticmethod
    def _unrestricted(device: Device | None) -> Device:
        if device is None:
            raise device_not_found()
        if device.is_restricted:
            raise restriction_violated()
        return device

    def _controlled(self, user_id: str, device_id: str | None) -> Playback:
        """Check the addressed device for a command that needs an active session."""
        user = self.user(user_id)
        device = self._command_device(user, device_id)
        active = self.active_device(user_id)
        if active is None or active.key != device.key:
            raise no_active_device()
        return user.playback

    def _check_playable(self, uri: str) -> None:
        if self.catalogue.playable(uri) is None:
            raise PlayerError(400, "Invalid track uri: " + uri)
