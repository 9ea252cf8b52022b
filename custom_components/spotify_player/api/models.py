"""Typed models of the player: devices, playback state, queue and history.

Parsed by the rules model_base.py describes (the catalogue lives in catalogue.py); the
package (`from .api import X`) exports them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
import re
from typing import Any, Final

from .catalogue import Playable, Track, _parse_playables, parse_playable
from .model_base import (
    CurrentlyPlayingType,
    CursorPage,
    RepeatMode,
    SpotifyModel,
    _enum_value,
)

# Values no Spotify answer can hold: parsing refuses them (a ValueError, which the
# client reports as SpotifyMalformedResponseError), so nothing downstream sees them.

# A context URI names its kind and its id: `spotify:playlist:<id>`, also the longer
# `spotify:user:<id>:collection`.
_CONTEXT_URI: Final = re.compile(r"spotify:[^:\s]+:\S+")
# The last epoch millisecond a datetime can hold (the end of the year 9999).
_MAX_EPOCH_MS: Final = int(datetime.max.replace(tzinfo=UTC).timestamp() * 1000)


def _context_uri(value: Any) -> str:
    if not isinstance(value, str) or (value and not _CONTEXT_URI.fullmatch(value)):
        raise ValueError(f"Not a Spotify context URI: {value!r}")
    return value


def _epoch_ms(value: Any) -> int:
    milliseconds = int(value)
    if not 0 <= milliseconds <= _MAX_EPOCH_MS:
        raise ValueError(f"Not a time in epoch milliseconds: {milliseconds}")
    return milliseconds


@dataclass(frozen=True, kw_only=True)
class Device(SpotifyModel):
    """A Spotify Connect device."""

    id: str | None = None
    name: str = ""
    type: str = ""
    is_active: bool = False
    is_private_session: bool = False
    is_restricted: bool = False
    volume_percent: int | None = None
    # Older responses omit the flag; those devices accepted volume commands.
    supports_volume: bool = True


@dataclass(frozen=True, kw_only=True)
class Context(SpotifyModel):
    """Where playback comes from: album, playlist, artist, show, collection."""

    uri: str = field(default="", metadata={"deserialize": _context_uri})
    type: str = ""
    href: str | None = None
    external_urls: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Disallows(SpotifyModel):
    """Player actions that are not allowed right now (Spotify only sends true ones)."""

    interrupting_playback: bool = False
    pausing: bool = False
    resuming: bool = False
    seeking: bool = False
    skipping_next: bool = False
    skipping_prev: bool = False
    toggling_repeat_context: bool = False
    toggling_shuffle: bool = False
    toggling_repeat_track: bool = False
    transferring_playback: bool = False


@dataclass(frozen=True, kw_only=True)
class Actions(SpotifyModel):
    """Player actions wrapper."""

    disallows: Disallows = field(default_factory=Disallows)


@dataclass(frozen=True, kw_only=True)
class PlaybackState(SpotifyModel):
    """Player state (GET /me/player, also GET /me/player/currently-playing)."""

    device: Device | None = None
    repeat_state: RepeatMode = RepeatMode.OFF
    shuffle_state: bool = False
    smart_shuffle: bool = False
    context: Context | None = None
    # When the state last changed (play, pause, seek, new item), in epoch ms.
    timestamp: int = field(default=0, metadata={"deserialize": _epoch_ms})
    progress_ms: int | None = None
    is_playing: bool = False
    item: Playable | None = field(
        default=None, metadata={"deserialize": parse_playable}
    )
    currently_playing_type: CurrentlyPlayingType = CurrentlyPlayingType.UNKNOWN
    actions: Actions = field(default_factory=Actions)

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Map enum values case-insensitively so a new value cannot break parsing."""
        d = super().__pre_deserialize__(d)
        d["repeat_state"] = _enum_value(
            RepeatMode, d.get("repeat_state"), RepeatMode.OFF
        ).value
        d["currently_playing_type"] = _enum_value(
            CurrentlyPlayingType,
            d.get("currently_playing_type"),
            CurrentlyPlayingType.UNKNOWN,
        ).value
        return d


@dataclass(frozen=True, kw_only=True)
class Queue(SpotifyModel):
    """The user's queue."""

    currently_playing: Playable | None = field(
        default=None, metadata={"deserialize": parse_playable}
    )
    queue: list[Playable] = field(
        default_factory=list, metadata={"deserialize": _parse_playables}
    )


@dataclass(frozen=True, kw_only=True)
class PlayHistory(SpotifyModel):
    """A recently played track."""

    track: Track
    played_at: datetime | None = None
    context: Context | None = None


@dataclass(frozen=True, kw_only=True)
class PlayHistoryPage(CursorPage[PlayHistory]):
    """GET /me/player/recently-played."""


@dataclass(frozen=True, kw_only=True)
class DevicesResponse(SpotifyModel):
    """GET /me/player/devices."""

    devices: list[Device] = field(default_factory=list)
