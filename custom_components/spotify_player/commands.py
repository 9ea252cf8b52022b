"""Player commands of one Spotify account.

Owns what happens between a user's input and Spotify's confirmation: commands are
sent one at a time, in the order they were given, so the last input wins (a command
superseded by a newer one of the same kind while it waited is dropped); the expected
state is shown at once and held while the request is in flight and until the
confirming refresh (confirmation.py); with no active device the fallback device
is woken first (device_targets.py), before the command queues, so a wake-up holds
neither the queue nor the polls; what Spotify says of Premium goes to
subscription.py.

The media player, the actions and other modules call the methods below; none of them
builds requests over the client itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import count
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback

from .api import RepeatMode, SpotifyError, SpotifyNoActiveDeviceError
from .const import LOGGER
from .device_targets import DeviceTargets
from .errors import spotify_errors
from .playback import (
    Expectation,
    SpotifyPlaybackData,
    expect,
    expect_device,
    expect_device_switch,
    expect_playing,
    expect_position,
)
from .subscription import allows_control, async_note_premium
from .uri import is_context_uri

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

    from .api import Device, SpotifyClient
    from .confirmation import CommandConfirmation
    from .context_items import ContextStart
    from .coordinator import SpotifyPlaybackCoordinator
    from .devices import DeviceList
    from .up_next import UpNext
    from .wake import SleepingDevices

type Command = Callable[[str | None], Awaitable[None]]
"""A request to send: called with the device id to address (None: the active one)."""

# Kinds of command where only the newest input matters (see `async_run`).
VOLUME: Final = "volume"
SEEK: Final = "seek"


class PlayerCommands:
    """Send player commands to one account, one at a time, on the user's behalf."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        client: SpotifyClient,
        coordinator: SpotifyPlaybackCoordinator,
        confirmation: CommandConfirmation,
        devices: DeviceList,
        sleeping: SleepingDevices,
        up_next: UpNext,
    ) -> None:
        """Bind to the account's client, its state and its devices."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._coordinator = coordinator
        self._confirmation = confirmation
        self._devices = devices
        self._sleeping = sleeping
        self._up_next = up_next
        # One command at a time; asyncio.Lock wakes waiters in arrival order.
        self.targets = DeviceTargets(hass, entry, devices=devices, sleeping=sleeping)
        self._lock = asyncio.Lock()
        self._calls = count()
        self._newest: dict[str, int] = {}
        # The level of the last command sent, if that command set the volume.
        self._volume_sent: int | None = None

    def _no_active_device(self) -> bool:
        data = self._coordinator.data
        return data is None or data.device is None

    async def _async_wake_fallback(self) -> Device | None:
        """Wake a sleeping fallback device (outside the lock: polls go on)."""
        with spotify_errors(self._hass, self._entry):
            return await self.targets.async_wake_fallback()

    async def _async_active_device(self, woken: Device | None) -> str | None:
        """Return the active device; with none, move to the fallback device first."""
        data = self._coordinator.data
        if data is not None and (device := data.device) is not None:
            return device.id
        return await self._async_transfer_to_fallback(woken)

    async def _async_transfer_to_fallback(self, woken: Device | None = None) -> str:
        device_id = self.targets.fallback_id(woken)
        await self._client.transfer_playback(device_id, play=False)
        self._sent(device_changed=True)
        return device_id

    @callback
    def _sent(self, *, device_changed: bool = False) -> None:
        """Have a command confirmed; a new active device also refreshes the list."""
        if device_changed:
            self._devices.expire()
        self._confirmation.async_sent()

    # Running a command

    async def async_run(
        self,
        command: Command,
        *,
        optimistic: Expectation | None = None,
        device_changed: bool = False,
        needs_device: bool = True,
        supersedes: str | None = None,
        unless: Callable[[], bool] | None = None,
    ) -> bool:
        """Send a player command; return whether it was sent.

        Waits for the commands before it. `supersedes` names a kind of command
        (VOLUME, SEEK) whose older calls still waiting are dropped, so only the
        newest is sent; `unless` is asked once the command's turn has come, and
        skips it when true (a repeat of what was just sent). With `needs_device`,
        makes sure a device is active first (the fallback device otherwise) and
        passes its id to `command`; retries once on the fallback device when
        Spotify lost the active device meanwhile. Shows
        `optimistic`'s expected state at once, held until the confirming refresh
        about a second later (restored when the command fails). Errors come out
        translated (errors.py); a Premium refusal also takes the controls away.

        Not re-entrant: `command` must send requests through the client, never call
        `async_run` itself (it would wait for its own turn).
        """
        call = next(self._calls)
        if supersedes is not None:
            self._newest[supersedes] = call
        woken = (
            await self._async_wake_fallback()
            if needs_device and self._no_active_device()
            else None
        )
        async with self._lock:
            if supersedes is not None and self._newest[supersedes] != call:
                return False
            if unless is not None and unless():
                return False
            with self._confirmation.in_flight():
                await self._async_send(
                    command,
                    woken=woken,
                    optimistic=optimistic,
                    device_changed=device_changed,
                    needs_device=needs_device,
                )
            self._volume_sent = None
        return True

    async def _async_send(
        self,
        command: Command,
        *,
        woken: Device | None,
        optimistic: Expectation | None,
        device_changed: bool,
        needs_device: bool,
    ) -> None:
        coordinator = self._coordinator
        previous = coordinator.data
        shown: SpotifyPlaybackData | None = None
        controls = allows_control(self._entry)
        with self._controls_follow(controls), spotify_errors(self._hass, self._entry):
            try:
                device_id = (
                    await self._async_active_device(woken) if needs_device else None
                )
                if optimistic is not None and previous and previous.playback:
                    shown = optimistic(previous)
                    coordinator.async_show(shown)
                try:
                    await command(device_id)
                except SpotifyNoActiveDeviceError:
                    if not needs_device:
                        raise
                    await command(await self._async_transfer_to_fallback())
            except BaseException:
                # Not only Spotify errors: finding no device to move to, or being
                # cancelled, must not leave the expected state on screen either.
                if shown is not None and coordinator.data is shown and previous:
                    coordinator.async_show(previous)
                raise
            async_note_premium(self._hass, self._entry, premium=True)
        self._sent(device_changed=device_changed)

    @contextmanager
    def _controls_follow(self, before: bool) -> Iterator[None]:
        """Redraw the entities when Spotify's answer changed what Premium allows."""
        try:
            yield
        finally:
            if allows_control(self._entry) != before:
                self._coordinator.async_update_listeners()

    # Player controls

    async def async_play(self) -> None:
        """Resume playback (on the fallback device when none is active)."""
        await self.async_run(
            lambda device_id: self._client.start_playback(device_id=device_id),
            optimistic=expect_playing(True),
        )

    async def async_pause(self) -> None:
        """Pause playback."""
        await self.async_run(
            lambda device_id: self._client.pause_playback(device_id=device_id),
            optimistic=expect_playing(False),
        )

    async def async_next_track(self) -> None:
        """Skip to the next item."""
        await self.async_run(
            lambda device_id: self._client.next_track(device_id=device_id)
        )

    async def async_previous_track(self) -> None:
        """Go back to the previous item."""
        await self.async_run(
            lambda device_id: self._client.previous_track(device_id=device_id)
        )

    async def async_seek(self, position_ms: int) -> None:
        """Jump to `position_ms` in the playing item (the newest seek wins)."""
        await self.async_run(
            lambda device_id: self._client.seek(position_ms, device_id=device_id),
            optimistic=expect_position(position_ms),
            supersedes=SEEK,
        )

    async def async_set_volume(self, percent: int) -> None:
        """Set the device volume (0..100); the newest level wins.

        A level on its way, or sent and not yet confirmed, is not sent again (one
        click on the frontend's slider can call volume_set twice); any other level
        shown, for example one another app set, is.
        """

        async def set_volume(device_id: str | None) -> None:
            await self._client.set_volume(percent, device_id=device_id)
            sent.append(percent)

        sent: list[int] = []
        if self._volume_pending(percent):
            return
        await self.async_run(
            set_volume,
            optimistic=expect_device(volume_percent=percent),
            supersedes=VOLUME,
            unless=lambda: self._volume_pending(percent),
        )
        if sent:
            self._volume_sent = percent

    def _volume_pending(self, percent: int) -> bool:
        """Whether the last command sent this level, and Spotify has not confirmed it.

        Only a level this integration sent counts, not any level shown: another
        command since, or a change made elsewhere, makes it a new command.
        """
        return percent == self._volume_sent and self._confirmation.holds_shown_state()

    async def async_set_shuffle(self, shuffle: bool) -> None:
        """Turn shuffle on or off."""
        await self.async_run(
            lambda device_id: self._client.set_shuffle(shuffle, device_id=device_id),
            optimistic=expect(shuffle_state=shuffle),
        )

    async def async_set_repeat(self, mode: RepeatMode) -> None:
        """Set Spotify's repeat mode."""
        await self.async_run(
            lambda device_id: self._client.set_repeat(mode, device_id=device_id),
            optimistic=expect(repeat_state=mode),
        )

    async def async_transfer_playback(
        self, requested: str, *, play: bool | None = None
    ) -> None:
        """Move playback to a device named by id or name.

        `play` None keeps playing or paused as it is. The device list is fetched
        again at once: the active device changed.
        """
        device = await self.targets.async_resolve(requested)

        async def transfer(_: str | None) -> None:
            # Resolved devices always have an id.
            await self._client.transfer_playback(device.id or "", play=play)

        await self.async_run(
            transfer, optimistic=expect_device_switch(device), needs_device=False
        )
        # The transfer worked: a failing refresh here is not the caller's problem.
        try:
            await self._devices.async_fetch()
        except SpotifyError as err:
            LOGGER.debug("Could not refresh the devices after a transfer: %s", err)

    async def async_play_item(
        self, uri: str, *, context_uri: str | None = None
    ) -> None:
        """Play a context (album, playlist, ...) or an item, or an item in a context."""

        async def start(device_id: str | None) -> None:
            if context_uri is not None:
                await self._client.start_playback(
                    device_id=device_id, context_uri=context_uri, offset_uri=uri
                )
            elif is_context_uri(uri):
                await self._client.start_playback(device_id=device_id, context_uri=uri)
            else:
                await self._client.start_playback(device_id=device_id, uris=[uri])

        await self.async_run(start, optimistic=expect_playing(True))

    async def async_add_to_queue(
        self, uris: Sequence[str], *, device: str | None = None
    ) -> None:
        """Append tracks or episodes to Spotify's queue, in order.

        `device` (name or id) addresses that device; else the active one (the
        fallback device when none is active).
        """
        target = (await self.targets.async_resolve(device)).id if device else None
        pending = list(uris)

        async def add(device_id: str | None) -> None:
            # Spotify may lose the device part-way; the retry on another device
            # must not queue the items already added a second time.
            while pending:
                await self._client.add_to_queue(
                    pending[0], device_id=target or device_id
                )
                pending.pop(0)

        await self.async_run(add, needs_device=target is None)
        # The queue changed: the up-next sensor reads it again (up_next.py).
        self._up_next.async_request_fetch()

    async def async_play_context(
        self, start_at: ContextStart, *, device: str | None = None
    ) -> None:
        """Start a context on a device (name or id; else the active or fallback one).

        Shuffle is set before playback starts, on the device that will play, so a
        shuffled context starts shuffled (the device is made active first).
        """
        target = (await self.targets.async_resolve(device)).id if device else None

        async def start(device_id: str | None) -> None:
            device_id = target or device_id
            if start_at.shuffle is not None:
                data = self._coordinator.data
                active = data.device if data is not None else None
                if target is not None and (active is None or active.id != target):
                    # Shuffle is a setting of the active session: move it first.
                    await self._client.transfer_playback(target, play=False)
                await self._client.set_shuffle(start_at.shuffle, device_id=device_id)
            await self._client.start_playback(
                device_id=device_id,
                context_uri=start_at.context_uri,
                offset_position=start_at.offset_position,
                offset_uri=start_at.offset_uri,
                position_ms=start_at.position_ms,
            )

        await self.async_run(
            start, needs_device=target is None, device_changed=target is not None
        )
