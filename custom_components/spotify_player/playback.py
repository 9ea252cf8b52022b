"""Pure helpers that interpret a playback state (no I/O, no Home Assistant state).

Besides reading a snapshot, the `expect_*` builders return the snapshot a command is
expected to produce, shown until Spotify confirms it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util

if TYPE_CHECKING:
    from .api import Device, Episode, PlaybackState, Track

# A position computed again from the same Spotify timestamp differs by network latency;
# within this tolerance we keep the previous value so attributes do not churn.
POSITION_TOLERANCE_MS = 1500


class Activity(StrEnum):
    """What the account is doing; decides polling interval and request budget."""

    PLAYING = "playing"
    PAUSED = "paused"
    IDLE = "idle"


@dataclass(frozen=True, kw_only=True, slots=True)
class SpotifyPlaybackData:
    """One snapshot of the account's player, as the coordinator publishes it."""

    playback: PlaybackState | None
    context_name: str | None = None
    position_ms: int | None = None
    position_updated_at: datetime | None = None

    @property
    def device(self) -> Device | None:
        """The active device, if any."""
        if self.playback is None or self.playback.device is None:
            return None
        return self.playback.device if self.playback.device.is_active else None

    @property
    def item(self) -> Track | Episode | None:
        """The track or episode playing (None during an ad or when idle)."""
        return self.playback.item if self.playback else None

    @property
    def activity(self) -> Activity:
        """Playing, paused on a device, or idle (no active device)."""
        if self.device is None or self.playback is None:
            return Activity.IDLE
        return Activity.PLAYING if self.playback.is_playing else Activity.PAUSED

    def position_at(self, now: datetime) -> int | None:
        """Where the item is at `now`, extrapolated from the last report.

        position_updated_at may lie well in the past (Spotify's timestamp).
        """
        if self.position_ms is None or self.position_updated_at is None:
            return None
        if self.activity is not Activity.PLAYING:
            return self.position_ms
        return self.position_ms + _ms(now - self.position_updated_at)

    def seconds_left(self, now: datetime) -> float | None:
        """Seconds from `now` until the item ends (when playing and known)."""
        if (
            self.activity is not Activity.PLAYING
            or (item := self.item) is None
            or not item.duration_ms
            or (position := self.position_at(now)) is None
        ):
            return None
        return max(0.0, (item.duration_ms - position) / 1000)


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)


def playback_position(
    playback: PlaybackState,
    fetched_at: datetime,
    previous: SpotifyPlaybackData | None = None,
) -> tuple[int | None, datetime | None]:
    """Return (position_ms, position_updated_at) for a fetched playback state.

    Spotify's `timestamp` marks the last change of state (play, pause, seek, new item)
    while `progress_ms` is sampled when the response is built. We report the position
    *at that timestamp*, so `position_updated_at` only moves when the state does and
    the entity does not write a new state on every poll: while playing, position =
    progress - (fetched_at - timestamp). If the timestamp is missing or implausible
    (in the future, or before the item could have started: clock skew), we fall back
    to (progress_ms, fetched_at).
    """
    progress = playback.progress_ms
    if progress is None:
        return None, None
    position, updated_at = progress, fetched_at
    if playback.timestamp > 0:
        changed_at = datetime.fromtimestamp(playback.timestamp / 1000, UTC)
        elapsed = _ms(fetched_at - changed_at)
        at_change = progress - elapsed if playback.is_playing else progress
        if elapsed >= 0 and at_change >= 0:
            position, updated_at = at_change, changed_at
    if (
        previous is not None
        and (old_position := previous.position_ms) is not None
        and (old_updated_at := previous.position_updated_at) is not None
        and previous.playback is not None
        and previous.playback.is_playing == playback.is_playing
        and _same_item(previous.playback, playback)
    ):
        # Where the previous report puts the item now vs. where Spotify says it is.
        expected = old_position
        if playback.is_playing:
            expected += _ms(fetched_at - old_updated_at)
        if abs(progress - expected) <= POSITION_TOLERANCE_MS:
            return old_position, old_updated_at
    return position, updated_at


def _same_item(first: PlaybackState, second: PlaybackState) -> bool:
    return (
        first.item is not None
        and second.item is not None
        and first.item.uri == second.item.uri
    )


# Expected states after a command

type Expectation = Callable[[SpotifyPlaybackData], SpotifyPlaybackData]


def expect(**changes: Any) -> Expectation:
    """Expect fields of the playback state to change."""

    def apply(data: SpotifyPlaybackData) -> SpotifyPlaybackData:
        if data.playback is None:
            return data
        return replace(data, playback=replace(data.playback, **changes))

    return apply


def expect_playing(playing: bool) -> Expectation:
    """Expect playing or paused from now on, at the position reached."""

    def apply(data: SpotifyPlaybackData) -> SpotifyPlaybackData:
        if (playback := data.playback) is None:
            return data
        now = dt_util.utcnow()
        data = replace(data, position_ms=data.position_at(now), position_updated_at=now)
        # Spotify disallows resuming what plays and pausing what is paused.
        actions = playback.actions
        disallows = replace(actions.disallows, resuming=playing, pausing=not playing)
        actions = replace(actions, disallows=disallows)
        return expect(is_playing=playing, actions=actions)(data)

    return apply


def expect_position(position_ms: int) -> Expectation:
    """Expect the item to continue from `position_ms`."""

    def apply(data: SpotifyPlaybackData) -> SpotifyPlaybackData:
        data = replace(
            data, position_ms=position_ms, position_updated_at=dt_util.utcnow()
        )
        return expect(progress_ms=position_ms)(data)

    return apply


def expect_device(**changes: Any) -> Expectation:
    """Expect fields of the active device to change."""

    def apply(data: SpotifyPlaybackData) -> SpotifyPlaybackData:
        if data.playback is None or data.playback.device is None:
            return data
        return expect(device=replace(data.playback.device, **changes))(data)

    return apply


def expect_device_switch(target: Device) -> Expectation:
    """Expect `target` to take over playback."""
    return expect(device=replace(target, is_active=True))
