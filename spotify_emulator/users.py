"""Who the world knows: developer apps, and users with their devices and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .player import Playback


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
class Device:
    """A Spotify Connect device of a user."""

    key: str
    """Internal handle; the public `id` can be null, like some real devices."""
    id: str | None
    name: str
    type: str
    volume_percent: int | None
    supports_volume: bool = True
    is_restricted: bool = False
    is_private_session: bool = False
    asleep: bool = False
    """Out of Spotify Connect (a speaker in standby): absent from every list and
    unknown to every command until a control call wakes it."""
    wakes_at: float | None = None
    """When a woken device re-joins Spotify Connect (clock time)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class PlayHistoryEntry:
    """A track that was played."""

    uri: str
    played_at: float
    context_uri: str | None


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
