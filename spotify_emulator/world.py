"""The simulated world: apps, users, their libraries, devices and playback.

Every control action of the HTTP control API is a method here too, so tests can drive
the world in-process.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .catalogue import Catalogue, generate, split_uri
from .clock import Clock, ManualClock, RealClock
from .config import EmulatorConfig
from .faults import FaultInjector
from .ids import hex_id
from .player import (
    Device,
    Playback,
    PlaybackSnapshot,
    PlayerError,
    PlayHistoryEntry,
    RepeatState,
    no_active_device,
    restriction_violated,
)
from .quota import DailyQuota
from .ratelimit import RateLimiter
from .requestlog import RequestLog
from .tokens import TokenGrant, TokenStore

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# Scopes the integration asks for; issue_tokens() grants these unless told otherwise.
DEFAULT_SCOPES = frozenset(
    {
        "user-read-playback-state",
        "user-modify-playback-state",
        "user-read-currently-playing",
        "user-read-private",
        "playlist-read-private",
        "playlist-read-collaborative",
        "user-library-read",
        "user-library-modify",
        "user-follow-read",
        "user-top-read",
        "user-read-recently-played",
        "user-read-playback-position",
    }
)
# Every scope Spotify knows; /authorize refuses anything else with error=invalid_scope.
KNOWN_SCOPES = DEFAULT_SCOPES | {
    "user-read-email",
    "playlist-modify-private",
    "playlist-modify-public",
    "user-follow-modify",
    "ugc-image-upload",
    "app-remote-control",
    "streaming",
    "user-personalized",
}


@dataclass(kw_only=True, slots=True)
class App:
    """A registered developer application."""

    client_id: str
    client_secret: str = field(repr=False)
    name: str
    redirect_uris: list[str]
    allowed_users: set[str] | None = None
    """Development-mode allow-list; None lets every user in."""
    developer: str = "developer"
    """The developer account owning the app; its apps share one daily quota."""
    owner_premium: bool = True
    """Whether the owner has Premium; Development Mode refuses every call without."""


@dataclass(kw_only=True, slots=True)
class User:
    """A Spotify account."""

    id: str
    display_name: str
    product: str
    country: str
    playback: Playback
    devices: list[Device] = field(default_factory=list)
    saved: dict[str, float] = field(default_factory=dict)
    """Library: URI -> added-at time; artists here are followed artists."""
    playlist_ids: list[str] = field(default_factory=list)
    history: list[PlayHistoryEntry] = field(default_factory=list)
    top_artist_ids: list[str] = field(default_factory=list)
    top_track_ids: list[str] = field(default_factory=list)

    @property
    def is_premium(self) -> bool:
        """Return whether the user has Premium."""
        return self.product == "premium"

    def device(self, device_id: str) -> Device | None:
        """Return an awake device by its public id."""
        return next(
            (
                d
                for d in self.devices
                if d.id is not None and d.id == device_id and not d.asleep
            ),
            None,
        )

    @property
    def awake_devices(self) -> list[Device]:
        """The devices Spotify Connect lists (sleeping ones are absent)."""
        return [d for d in self.devices if not d.asleep]

    def device_by_key(self, key: str) -> Device | None:
        """Return a device by its internal key."""
        return next((d for d in self.devices if d.key == key), None)

    def saved_of(self, kind: str) -> list[tuple[str, float]]:
        """Return saved URIs of one kind, newest first."""
        prefix = f"spotify:{kind}:"
        items = [(uri, at) for uri, at in self.saved.items() if uri.startswith(prefix)]
        return sorted(items, key=lambda pair: (-pair[1], pair[0]))


class World:
    """Everything the emulator knows, plus the control actions."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        config: EmulatorConfig | None = None,
        seed: int = 0,
    ) -> None:
        """Create a world with a generated catalogue but no apps or users."""
        self.clock: Clock = clock if clock is not None else RealClock()
        self._initial_config = (
            dataclasses.replace(config) if config is not None else EmulatorConfig()
        )
        self.config = dataclasses.replace(self._initial_config)
        self.seed = seed
        self._seeded = False
        self._build()

    @classmethod
    def seeded(
        cls,
        *,
        clock: Clock | None = None,
        config: EmulatorConfig | None = None,
        seed: int = 0,
    ) -> World:
        """Return the deterministic default world (see `spotify_emulator.seed`)."""
        world = cls(clock=clock, config=config, seed=seed)
        world._seeded = True
        world._populate()
        return world

    def _build(self) -> None:
        self.catalogue: Catalogue = generate(self.seed)
        self.apps: dict[str, App] = {}
        self.users: dict[str, User] = {}
        self.tokens = TokenStore(self.clock, self.config)
        self.faults = FaultInjector()
        self.request_log = RequestLog()
        self.rate_limiter = RateLimiter(self.clock, self.config)
        self.quota = DailyQuota(self.clock, self.config)

    def _populate(self) -> None:
        from .seed import populate  # noqa: PLC0415 - seed imports this module

        populate(self)

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
            self._record_history(user_id, uri, when, context_uri)

        user = User(
            id=user_id,
            display_name=display_name,
            product=product,
            country=country,
            playback=Playback(self.catalogue, self.clock, self.config, record),
        )
        self.users[user_id] = user
        return user

    def _record_history(
        self, user_id: str, uri: str, when: float, context_uri: str | None
    ) -> None:
        history = self.users[user_id].history
        history.append(
            PlayHistoryEntry(uri=uri, played_at=when, context_uri=context_uri)
        )
        del history[:-200]

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

    # ------------------------------------------------------------ control

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
        if self._seeded:
            self._populate()

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

    def switch_device(
        self, user_id: str, device_id: str | None = None, *, name: str | None = None
    ) -> None:
        """Move playback to another device (by id, or by name for null-id devices)."""
        user = self.user(user_id)
        device = user.device(device_id) if device_id else None
        if device is None and name is not None:
            device = next((d for d in user.awake_devices if d.name == name), None)
        if device is None:
            raise PlayerError(404, "Device not found")
        user.playback.transfer(device.key, None)

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
            raise PlayerError(404, "Device not found")
        return device

    def set_smart_shuffle(self, user_id: str, state: bool) -> None:
        """Turn smart shuffle on or off (only Spotify's own apps can)."""
        self.playback(user_id).set_smart_shuffle(state)

    def start_ad(self, user_id: str, duration_ms: int | None = None) -> None:
        """Interrupt playback with an advert."""
        self.playback(user_id).start_ad(duration_ms)

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

    def set_volume_from_app(self, user_id: str, volume_percent: int) -> None:
        """Change the active device's volume from another app."""
        user = self.user(user_id)
        key = user.playback.device_key
        device = user.device_by_key(key) if key else None
        if device is None:
            raise no_active_device()
        device.volume_percent = volume_percent

    # ------------------------------------------------------ Web API player commands

    def active_device(self, user_id: str) -> Device | None:
        """Return the device playback is on, if a session is active."""
        user = self.user(user_id)
        pb = user.playback
        pb.sync()
        if not pb.active or pb.device_key is None:
            return None
        return user.device_by_key(pb.device_key)

    def _command_device(self, user: User, device_id: str | None) -> Device:
        """Return the device a command addresses, enforcing Spotify's checks."""
        if device_id:
            device = user.device(device_id)
            if device is None:
                raise PlayerError(404, "Device not found")
        else:
            active = self.active_device(user.id)
            if active is None:
                raise no_active_device()
            device = active
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
            pb_items = items
        else:
            pb_items = list(uris or [])
            if not pb_items:
                raise PlayerError(400, "Missing uris")
            for uri in pb_items:
                if self.catalogue.playable(uri) is None:
                    raise PlayerError(400, "Invalid track uri: " + uri)
        offset = 0
        if offset_uri is not None:
            if offset_uri not in pb_items:
                raise PlayerError(400, "Invalid offset")
            offset = pb_items.index(offset_uri)
        elif offset_position is not None:
            if not 0 <= offset_position < len(pb_items):
                raise PlayerError(400, "Invalid offset")
            offset = offset_position
        if context_uri is not None:
            pb.play_context(
                device_key=device.key,
                context_uri=context_uri,
                items=pb_items,
                offset=offset,
                position_ms=position_ms,
            )
        else:
            pb.play_uris(
                device_key=device.key,
                uris=pb_items,
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
        if parsed[0] not in {"album", "playlist", "artist", "show", "audiobook"}:
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
        user = self.user(user_id)
        device = self._command_device(user, device_id)
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
        if self.catalogue.playable(uri) is None:
            raise PlayerError(400, "Invalid track uri: " + uri)
        pb.add_to_queue(uri)

    def command_transfer(
        self, user_id: str, device_id: str, *, play: bool | None = None
    ) -> None:
        """PUT /me/player."""
        user = self.user(user_id)
        device = user.device(device_id)
        if device is None:
            raise PlayerError(404, "Device not found")
        if device.is_restricted:
            raise restriction_violated()
        user.playback.transfer(device.key, play)
