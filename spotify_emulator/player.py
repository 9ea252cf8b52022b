"""Playback simulation, computed lazily from the clock.

Nothing runs in the background: every read or command first calls `sync()`, which walks
through every track end between the last look and now (user queue first, then the
context, honouring repeat), so advancing a ManualClock by an hour is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .catalogue import Catalogue, Chapter, Episode, Playable
from .errors import no_active_device, restriction_violated
from .order import PlayOrder, RepeatState

if TYPE_CHECKING:
    from .clock import Clock
    from .config import EmulatorConfig

# Spotify restarts the current item instead of going back when this far into it.
PREVIOUS_RESTART_MS = 3000
# A skipped track only lands in recently played after this much listening.
HISTORY_MIN_MS = 30_000
# What an advert does not let anyone do.
AD_DISALLOWS = (
    "skipping_next",
    "skipping_prev",
    "seeking",
    "toggling_shuffle",
    "toggling_repeat_context",
    "toggling_repeat_track",
    "interrupting_playback",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class PlaybackSnapshot:
    """Playback as seen at one instant (after sync)."""

    device_key: str
    context_uri: str | None
    item_uri: str | None
    currently_playing_type: str
    is_playing: bool
    progress_ms: int
    shuffle_state: bool
    smart_shuffle: bool
    repeat_state: RepeatState
    timestamp_ms: int
    disallows: dict[str, bool]


HistorySink = Callable[[str, float, str | None], None]


class Playback:
    """One user's playback session."""

    def __init__(
        self,
        catalogue: Catalogue,
        clock: Clock,
        config: EmulatorConfig,
        history: HistorySink,
    ) -> None:
        """Create an inactive session."""
        self._catalogue = catalogue
        self._clock = clock
        self._config = config
        self._history = history
        self.active = False
        self.device_key: str | None = None
        self.context_uri: str | None = None
        self._order = PlayOrder()
        self.current_uri: str | None = None
        self.from_queue = False
        self.queue: list[str] = []
        self.is_playing = False
        self._anchor_ms = 0
        self._anchor_time = clock.now()
        self.shuffle = False
        self.smart_shuffle = False
        self.repeat = RepeatState.OFF
        self.ad_until: float | None = None
        self.last_change = clock.now()

    # ---------------------------------------------------------------- reading

    def snapshot(self) -> PlaybackSnapshot | None:
        """Return the current state, or None when no session is active."""
        self.sync()
        if not self.active or self.device_key is None:
            return None
        in_ad = self.ad_until is not None
        item = None if in_ad else self.current_uri
        return PlaybackSnapshot(
            device_key=self.device_key,
            context_uri=self.context_uri,
            item_uri=item,
            currently_playing_type=self._playing_type(in_ad),
            is_playing=self.is_playing,
            progress_ms=0 if in_ad else self._progress_ms(self._clock.now()),
            shuffle_state=self.shuffle,
            smart_shuffle=self.smart_shuffle,
            repeat_state=self.repeat,
            timestamp_ms=int(self.last_change * 1000),
            disallows=self.disallows(),
        )

    def upcoming(self, limit: int = 20) -> list[str]:
        """Return what plays next: the user queue, then the rest of the context."""
        self.sync()
        result = list(self.queue[:limit])
        return result + self._order.upcoming(limit - len(result), self.repeat)

    def current_item(self) -> Playable | None:
        """Return the catalogue object that is playing (None during an ad)."""
        self.sync()
        return None if self.ad_until is not None else self._current_playable()

    def disallows(self) -> dict[str, bool]:
        """Return the truthy `actions.disallows` flags for the current state."""
        flags: dict[str, bool] = {}
        if self.ad_until is not None:
            flags.update(dict.fromkeys(AD_DISALLOWS, True))
        if self.is_playing:
            flags["resuming"] = True
        else:
            flags["pausing"] = True
        if self._previous_target() is None:
            flags["skipping_prev"] = True
        if not self.queue and self._order.following(self.repeat) is None:
            flags["skipping_next"] = True
        return dict(sorted(flags.items()))

    # --------------------------------------------------------------- the clock

    def sync(self) -> None:
        """Advance the simulation to the clock's current time."""
        now = self._clock.now()
        while self.active and self.is_playing:
            if self.ad_until is not None:
                if now < self.ad_until:
                    return
                self._anchor_time = self.ad_until
                self.ad_until = None
                self.last_change = self._anchor_time
                continue
            item = self._current_playable()
            if item is None:
                return
            remaining_ms = item.duration_ms - self._anchor_ms
            end_time = self._anchor_time + remaining_ms / 1000
            if now < end_time:
                return
            self._record(end_time)
            if self.repeat is RepeatState.TRACK:
                # Jump straight over whole repetitions instead of looping through them.
                loops = int((now - end_time) * 1000 // item.duration_ms)
                self._anchor_time = end_time + loops * item.duration_ms / 1000
                self._anchor_ms = 0
                self.last_change = self._anchor_time
                continue
            if not self._advance(end_time):
                return

    # -------------------------------------------------------------- commands

    def play_context(
        self,
        *,
        device_key: str,
        context_uri: str,
        items: list[str],
        offset: int,
        position_ms: int,
    ) -> None:
        """Start a context at `offset` (an index into its items)."""
        self._play(device_key, context_uri, items, offset, position_ms)

    def play_uris(
        self, *, device_key: str, uris: list[str], offset: int, position_ms: int
    ) -> None:
        """Start a list of URIs (no context)."""
        self._play(device_key, None, uris, offset, position_ms)

    def resume(self, device_key: str | None = None) -> None:
        """Resume (optionally on another device)."""
        self.sync()
        if self.current_uri is None:
            raise no_active_device()
        if device_key is not None:
            self.device_key = device_key
        elif self.is_playing and self.active:
            raise restriction_violated()
        self._activate(play=True)

    def pause(self) -> None:
        """Pause."""
        self.sync()
        if not self.is_playing:
            raise restriction_violated()
        now = self._clock.now()
        if self.ad_until is None:
            self._anchor_ms = self._progress_ms(now)
        self._anchor_time = now
        self.is_playing = False
        self.last_change = now

    def next(self) -> None:
        """Skip to the next item (queue first)."""
        self._permit("skipping_next")
        now = self._clock.now()
        if self._progress_ms(now) >= HISTORY_MIN_MS:
            self._record(now)
        self._advance(now)

    def previous(self) -> None:
        """Go back (or restart the current item when past three seconds)."""
        self._permit("skipping_prev")
        now = self._clock.now()
        if self._progress_ms(now) > PREVIOUS_RESTART_MS:
            self._set_position(0, now)
            return
        target = self._previous_target()
        if target is None:  # pragma: no cover - guarded by disallows
            raise restriction_violated()
        self.from_queue = False
        self.current_uri = self._order.move_to(target)
        self._set_position(0, now)

    def seek(self, position_ms: int) -> None:
        """Seek inside the current item (past the end skips to the next one)."""
        self._permit("seeking")
        now = self._clock.now()
        item = self._current_playable()
        if item is not None and position_ms >= item.duration_ms:
            self._advance(now)
            return
        self._set_position(max(0, position_ms), now)

    def set_shuffle(self, state: bool) -> None:
        """Toggle shuffle; the current item stays where it is."""
        self._permit("toggling_shuffle")
        if state != self.shuffle:
            self.shuffle = state
            self._order.reshuffle(shuffle=state, context_uri=self.context_uri)
        if not state:
            self.smart_shuffle = False
        self.last_change = self._clock.now()

    def set_smart_shuffle(self, state: bool) -> None:
        """Turn smart shuffle on (which implies shuffle) or off."""
        if state and not self.shuffle:
            self.set_shuffle(True)
        self.sync()
        self.smart_shuffle = state
        self.last_change = self._clock.now()

    def set_repeat(self, state: RepeatState) -> None:
        """Set repeat off / track / context."""
        self._permit(
            "toggling_repeat_track"
            if state is RepeatState.TRACK
            else "toggling_repeat_context"
        )
        self.repeat = state
        self.last_change = self._clock.now()

    def add_to_queue(self, uri: str) -> None:
        """Append to the user queue."""
        self.sync()
        self.queue.append(uri)

    def transfer(self, device_key: str, play: bool | None) -> None:
        """Move playback to another device."""
        self.sync()
        if self.current_uri is None:
            raise no_active_device()
        self.device_key = device_key
        self._activate(play=bool(play))

    def start_ad(self, duration_ms: int | None = None) -> None:
        """Interrupt with an advert; the interrupted item resumes afterwards."""
        self.sync()
        if not self.active:
            raise no_active_device()
        now = self._clock.now()
        self._anchor_ms = self._progress_ms(now)
        self._anchor_time = now
        length = self._config.ad_duration_ms if duration_ms is None else duration_ms
        self.ad_until = now + length / 1000
        self.is_playing = True
        self.last_change = now

    def stop(self) -> None:
        """End the session: GET /me/player answers 204 until something plays again."""
        self.sync()
        now = self._clock.now()
        if self.is_playing and self.ad_until is None:
            self._anchor_ms = self._progress_ms(now)
        self.is_playing = False
        self.ad_until = None
        self.active = False
        self.last_change = now

    # -------------------------------------------------------------- internals

    def _activate(self, *, play: bool) -> None:
        """Make the session active; with `play`, playing (from where it stands)."""
        now = self._clock.now()
        self.active = True
        if play and not self.is_playing:
            self._anchor_time = now
            self.is_playing = True
        self.last_change = now

    def _permit(self, action: str) -> None:
        """Catch up with the clock, then refuse what `actions.disallows` forbids."""
        self.sync()
        if action in self.disallows():
            raise restriction_violated()

    def _playing_type(self, in_ad: bool) -> str:
        if in_ad:
            return "ad"
        item = self._current_playable()
        if isinstance(item, (Episode, Chapter)):
            return "episode"
        return "track" if item is not None else "unknown"

    def _current_playable(self) -> Playable | None:
        if self.current_uri is None:
            return None
        return self._catalogue.playable(self.current_uri)

    def _progress_ms(self, now: float) -> int:
        if self.current_uri is None:
            return 0
        if not self.is_playing or self.ad_until is not None:
            return self._anchor_ms
        progress = self._anchor_ms + round((now - self._anchor_time) * 1000)
        item = self._current_playable()
        if item is not None:
            progress = min(progress, item.duration_ms)
        return max(0, progress)

    def _set_position(self, position_ms: int, now: float) -> None:
        self._anchor_ms = position_ms
        self._anchor_time = now
        self.last_change = now

    def _play(
        self,
        device_key: str,
        context_uri: str | None,
        items: list[str],
        offset: int,
        position_ms: int,
    ) -> None:
        self.sync()
        now = self._clock.now()
        self.context_uri = context_uri
        self.from_queue = False
        self.current_uri = self._order.load(
            items, offset, shuffle=self.shuffle, context_uri=context_uri
        )
        self.device_key = device_key
        self.active = True
        self.is_playing = True
        self.ad_until = None
        self._anchor_ms = max(0, position_ms)
        self._anchor_time = now
        self.last_change = now

    def _previous_target(self) -> int | None:
        return self._order.preceding(self.repeat, from_queue=self.from_queue)

    def _advance(self, when: float) -> bool:
        """Move to the next item at `when`; return False when playback stopped."""
        self._anchor_ms = 0
        self._anchor_time = when
        self.last_change = when
        if self.queue:
            self.current_uri = self.queue.pop(0)
            self.from_queue = True
            return True
        nxt = self._order.following(self.repeat)
        if nxt is None:
            # End of the context: stay on the last item, paused at its start.
            self.is_playing = False
            return False
        self.from_queue = False
        self.current_uri = self._order.move_to(nxt)
        return True

    def _record(self, when: float) -> None:
        uri = self.current_uri
        if uri is not None and uri.startswith("spotify:track:"):
            self._history(uri, when, self.context_uri)
