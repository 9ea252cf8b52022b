"""The simulated world: apps, users, their libraries, devices and playback.

The world owns every operation on it: the Web API's player commands (`PlayerCommands`)
and what the control API does, which are methods here so tests can drive the world
in-process; the control API only turns HTTP into these calls.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .catalogue import split_uri
from .clock import Clock, ManualClock, RealClock
from .commands import PlayerCommands
from .config import EmulatorConfig
from .errors import PlayerError, device_not_found, no_active_device
from .faults import FaultInjector
from .generate import generate
from .ids import hex_id
from .player import Playback, PlaybackSnapshot
from .quota import DailyQuota
from .ratelimit import RateLimiter
from .requestlog import RequestLog
from .tokens import DEFAULT_SCOPES, TokenGrant, TokenStore
from .users import App, Device, PlayHistoryEntry, User

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .catalogue import Catalogue

# How many plays a user's recently-played history keeps.
HISTORY_LENGTH = 200


class World(PlayerCommands):
    """Everything the emulator knows, plus the operations on it."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        config: EmulatorConfig | None = None,
        seed: int = 0,
        populate: Callable[[World], None] | None = None,
    ) -> None:
        """Create a world with a generated catalogue, filled by `populate` if given.

        A reset fills it again the same way (spotify_emulator.seed.seeded_world).
        """
        self.clock: Clock = clock if clock is not None else RealClock()
        self._initial_config = (
            dataclasses.replace(config) if config is not None else EmulatorConfig()
        )
        self.config = dataclasses.replace(self._initial_config)
        self.seed = seed
        self._populate = populate
        self._build()
        if populate is not None:
            populate(self)

    def _build(self) -> None:
        self.catalogue: Catalogue = generate(self.seed)
        self.apps: dict[str, App] = {}
        self.users: dict[str, User] = {}
        self.tokens = TokenStore(self.clock, self.config)
        self.faults = FaultInjector()
        self.request_log = RequestLog()
        self.rate_limiter = RateLimiter(self.clock, self.config)
        self.quota = DailyQuota(self.clock, self.config)

    # ------------------------------------------------------------ building

    def add_app(
        self,
        *,
        client_id: str,
        client_secret: str,
        redirect_uris: Iterable[str],
        name: str = "Emulated app",
        allowed_users: Iterable[str] | None = None,
        developer: str = "developer",
    ) -> App:
        """Register a developer application."""
        app = App(
            client_id=client_id,
            client_secret=client_secret,
            name=name,
            redirect_uris=list(redirect_uris),
            allowed_users=set(allowed_users) if allowed_users is not None else None,
            developer=developer,
        )
        self.apps[client_id] = app
        return app

    def add_user(
        self,
        *,
        user_id: str,
        display_name: str,
        product: str = "premium",
        country: str = "SE",
    ) -> User:
        """Create a user with an empty library and no devices."""

        def record(uri: str, when: float, context_uri: str | None) -> None:
            history = self.users[user_id].history
            history.append(
                PlayHistoryEntry(uri=uri, played_at=when, context_uri=context_uri)
            )
            del history[:-HISTORY_LENGTH]

        user = User(
            id=user_id,
            display_name=display_name,
            product=product,
            country=country,
            playback=Playback(self.catalogue, self.clock, self.config, record),
        )
        self.users[user_id] = user
        return user

    # ------------------------------------------------------------ accessors

    def user(self, user_id: str) -> User:
        """Return a user (KeyError if unknown), woken devices joined by now."""
        user = self.users[user_id]
        now = self.clock.now()
        for device in user.devices:
            if device.wakes_at is not None and now >= device.wakes_at:
                device.asleep, device.wakes_at = False, None
        return user

    def playback(self, user_id: str) -> Playback:
        """Return a user's playback session."""
        return self.users[user_id].playback

    def snapshot(self, user_id: str) -> PlaybackSnapshot | None:
        """Return a user's playback now, or None when nothing is active."""
        return self.users[user_id].playback.snapshot()

    # ----------------------------------------------------- tokens and the clock

    def issue_tokens(
        self,
        user_id: str,
        scopes: Iterable[str] | None = None,
        *,
        client_id: str | None = None,
    ) -> TokenGrant:
        """Hand out tokens as if the user had gone through /authorize."""
        if user_id not in self.users:
            raise KeyError(user_id)
        if client_id is None:
            client_id = next(iter(self.apps))
        granted = DEFAULT_SCOPES if scopes is None else frozenset(scopes)
        return self.tokens.issue(client_id=client_id, user_id=user_id, scopes=granted)

    def expire_access_tokens(self, user_id: str | None = None) -> int:
        """Expire every access token (of one user) now."""
        return self.tokens.expire_access_tokens(user_id)

    def revoke_refresh_tokens(self, user_id: str | None = None) -> int:
        """Revoke every refresh token (of one user)."""
        return self.tokens.revoke_refresh_tokens(user_id)

    def advance(self, seconds: float) -> float:
        """Move a ManualClock forward; return the new time."""
        if not isinstance(self.clock, ManualClock):
            msg = "only a ManualClock can be advanced"
            raise TypeError(msg)
        return self.clock.advance(seconds)

    def reset(self, *, seed: int | None = None) -> None:
        """Rebuild the world from scratch (same clock, initial config)."""
        if seed is not None:
            self.seed = seed
        new_config = dataclasses.replace(self._initial_config)
        for f in dataclasses.fields(new_config):
            setattr(self.config, f.name, getattr(new_config, f.name))
        self._build()
        if self._populate is not None:
            self._populate(self)

    # --------------------------------- another app or the device itself acts
    # Playback changed "from another app": no Premium or restriction checks.

    def skip(self, user_id: str) -> None:
        """Skip to the next item."""
        self.playback(user_id).next()

    def previous(self, user_id: str) -> None:
        """Go to the previous item."""
        self.playback(user_id).previous()

    def pause(self, user_id: str) -> None:
        """Pause."""
        self.playback(user_id).pause()

    def resume(self, user_id: str) -> None:
        """Resume."""
        self.playback(user_id).resume()

    def stop_playback(self, user_id: str) -> None:
        """End the session (GET /me/player then answers 204)."""
        self.playback(user_id).stop()

    def set_smart_shuffle(self, user_id: str, state: bool) -> None:
        """Turn smart shuffle on or off (only Spotify's own apps can)."""
        self.playback(user_id).set_smart_shuffle(state)

    def start_ad(self, user_id: str, duration_ms: int | None = None) -> None:
        """Interrupt playback with an advert."""
        self.playback(user_id).start_ad(duration_ms)

    def switch_device(
        self, user_id: str, device_id: str | None = None, *, name: str | None = None
    ) -> None:
        """Move playback to another device (by id, or by name for null-id devices)."""
        user = self.user(user_id)
        device = user.device(device_id) if device_id else None
        if device is None and name is not None:
            device = next((d for d in user.awake_devices if d.name == name), None)
        if device is None:
            raise device_not_found()
        user.playback.transfer(device.key, None)

    def set_volume_from_app(self, user_id: str, volume_percent: int) -> None:
        """Change the active device's volume from another app."""
        user = self.user(user_id)
        key = user.playback.device_key
        device = user.device_by_key(key) if key else None
        if device is None:
            raise no_active_device()
        device.volume_percent = volume_percent

    def play_episode(
        self, user_id: str, uri: str | None = None, *, position_ms: int = 0
    ) -> None:
        """Start an episode in its show's context (default: the first show)."""
        user = self.user(user_id)
        if uri is None:
            show = next(iter(self.catalogue.shows.values()))
            uri = f"spotify:episode:{show.episode_ids[0]}"
        parsed = split_uri(uri)
        episode = (
            self.catalogue.episodes.get(parsed[1])
            if parsed and parsed[0] == "episode"
            else None
        )
        if episode is None:
            raise PlayerError(400, "Invalid episode uri")
        show = self.catalogue.shows[episode.show_id]
        device_key = user.playback.device_key or (
            user.devices[0].key if user.devices else None
        )
        if device_key is None:
            raise no_active_device()
        items = [f"spotify:episode:{e}" for e in show.episode_ids]
        user.playback.play_context(
            device_key=device_key,
            context_uri=show.uri,
            items=items,
            offset=items.index(uri),
            position_ms=position_ms,
        )

    def wake_device(
        self,
        user_id: str,
        key: str,
        *,
        delay: float | None = None,
        new_id: bool = False,
    ) -> Device:
        """Wake a sleeping device: it joins Spotify Connect `delay` seconds later.

        `new_id` gives it a fresh public id, as Echo devices get after standby.
        Waking an awake (or waking) device changes nothing.
        """
        device = self._device_by_key_or_id(user_id, key)
        if device.asleep and device.wakes_at is None:
            wait = self.config.wake_delay if delay is None else delay
            device.wakes_at = self.clock.now() + max(0.0, wait)
            if new_id and device.id is not None:
                device.id = hex_id("device", f"{device.key}@{device.wakes_at}")
        self.user(user_id)
        return device

    def sleep_device(self, user_id: str, key: str) -> Device:
        """Put a device to sleep; the session it held ends."""
        device = self._device_by_key_or_id(user_id, key)
        playback = self.playback(user_id)
        playback.sync()
        if playback.active and playback.device_key == device.key:
            playback.stop()
        device.asleep, device.wakes_at = True, None
        return device

    def _device_by_key_or_id(self, user_id: str, key: str) -> Device:
        user = self.users[user_id]
        device = next((d for d in user.devices if key in (d.key, d.id)), None)
        if device is None:
            raise device_not_found()
        return device
