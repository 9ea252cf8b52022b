"""The deterministic default world and the constants tests use to address it."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from .catalogue import Playlist, PlaylistEntry
from .ids import base62_id, hex_id
from .users import Device, PlayHistoryEntry
from .world import World

if TYPE_CHECKING:
    from .clock import Clock
    from .config import EmulatorConfig
    from .users import User

CLIENT_ID = "5f0e3c1d9a8b4e2f8c7d6b5a4f3e2d1c"
CLIENT_SECRET = "e1d2c3b4a5f60718293a4b5c6d7e8f90"  # noqa: S105 - emulator only
APP_NAME = "Home Assistant (emulated)"
REDIRECT_URIS: tuple[str, ...] = (
    "https://example.com/auth/external/callback",
    "https://my.home-assistant.io/redirect/oauth",
    "http://127.0.0.1:8123/auth/external/callback",
)

PREMIUM_USER_ID = "emu_premium_listener"
FREE_USER_ID = "emu_free_listener"
UNREGISTERED_USER_ID = "emu_unregistered_listener"
CURATOR_USER_ID = "emu_curator"

# Devices of the Premium user.
COMPUTER_DEVICE_ID = hex_id("device", "computer")
"""Active at start; supports volume."""
SPEAKER_DEVICE_ID = hex_id("device", "speaker")
"""Inactive speaker with volume support."""
PHONE_DEVICE_ID = hex_id("device", "phone")
"""Inactive smartphone without volume support (volume_percent null)."""
RESTRICTED_DEVICE_ID = hex_id("device", "restricted")
"""Restricted speaker: every command sent to it fails."""
NULL_ID_DEVICE_NAME = "Garden Speaker"
"""A restricted device whose id is null, like some Connect speakers."""
SLEEPER_DEVICE_KEY = "sleeper"
SLEEPER_DEVICE_ID = hex_id("device", "sleeper")
SLEEPER_DEVICE_NAME = "Living Room AVR"
"""Asleep at start: absent from Spotify's device list until the control API wakes it
(POST /_emulator/users/{id}/devices/sleeper/wake); it joins `wake_delay` s later."""
# Device of the free user.
FREE_PHONE_DEVICE_ID = hex_id("device", "free-phone")
UNREGISTERED_DEVICE_ID = hex_id("device", "unregistered")

# Playlists of the Premium user.
START_PLAYLIST_ID = base62_id("seed-playlist", "start")
"""25 tracks; the seeded session plays it."""
BIG_PLAYLIST_ID = base62_id("seed-playlist", "big")
"""120 tracks: needs pagination beyond 50."""
MIXED_PLAYLIST_ID = base62_id("seed-playlist", "mixed")
"""Tracks and podcast episodes."""
EMPTY_PLAYLIST_ID = base62_id("seed-playlist", "empty")
CURATED_PLAYLIST_ID = base62_id("seed-playlist", "curated")
"""Owned by another user and followed by the Premium user."""
PREMIUM_PLAYLIST_COUNT = 60
"""Playlists in the Premium user's /me/playlists (more than one page of 50)."""

START_POSITION = 2
"""Index in START_PLAYLIST_ID of the item playing when the world is seeded."""
START_PROGRESS_MS = 42_000
QUEUE_LENGTH = 2
"""Tracks in the seeded user queue."""

_EPOCH_2025 = 1_735_689_600.0  # 2025-01-01T00:00:00Z


def seeded_world(
    *,
    clock: Clock | None = None,
    config: EmulatorConfig | None = None,
    seed: int = 0,
) -> World:
    """Return the deterministic default world; a reset fills it the same way."""
    return World(clock=clock, config=config, seed=seed, populate=populate)


def populate(world: World) -> None:
    """Fill an empty world with the default apps, users, libraries and playback."""
    now = world.clock.now()
    cat = world.catalogue
    rng = random.Random(world.seed)  # noqa: S311 - deterministic content
    if not world.config.authorize_as:
        world.config.authorize_as = PREMIUM_USER_ID
    world.add_app(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        name=APP_NAME,
        redirect_uris=REDIRECT_URIS,
        allowed_users={PREMIUM_USER_ID, FREE_USER_ID},
    )
    premium = world.add_user(
        user_id=PREMIUM_USER_ID, display_name="Robin Emulated", country="SE"
    )
    free = world.add_user(
        user_id=FREE_USER_ID, display_name="Sam Freeman", product="free", country="NL"
    )
    outsider = world.add_user(
        user_id=UNREGISTERED_USER_ID, display_name="Alex Outsider", country="DE"
    )
    world.add_user(
        user_id=CURATOR_USER_ID, display_name="Emulator Curator", country="GB"
    )

    premium.devices = [
        Device(
            key="computer",
            id=COMPUTER_DEVICE_ID,
            name="Study Computer",
            type="Computer",
            volume_percent=64,
        ),
        Device(
            key="speaker",
            id=SPEAKER_DEVICE_ID,
            name="Living Room Speaker",
            type="Speaker",
            volume_percent=35,
        ),
        Device(
            key="phone",
            id=PHONE_DEVICE_ID,
            name="Pocket Phone",
            type="Smartphone",
            volume_percent=None,
            supports_volume=False,
        ),
        Device(
            key="restricted",
            id=RESTRICTED_DEVICE_ID,
            name="Hallway Amplifier",
            type="AVR",
            volume_percent=20,
            is_restricted=True,
        ),
        Device(
            key="null-id",
            id=None,
            name=NULL_ID_DEVICE_NAME,
            type="Speaker",
            volume_percent=50,
            is_restricted=True,
        ),
        Device(
            key=SLEEPER_DEVICE_KEY,
            id=SLEEPER_DEVICE_ID,
            name=SLEEPER_DEVICE_NAME,
            type="AVR",
            volume_percent=40,
            asleep=True,
        ),
    ]
    free.devices = [
        Device(
            key="free-phone",
            id=FREE_PHONE_DEVICE_ID,
            name="Budget Phone",
            type="Smartphone",
            volume_percent=80,
        )
    ]
    outsider.devices = [
        Device(
            key="tablet",
            id=UNREGISTERED_DEVICE_ID,
            name="Outsider Tablet",
            type="Tablet",
            volume_percent=10,
        )
    ]

    tracks = sorted(cat.tracks)
    episodes = sorted(cat.episodes)
    rng.shuffle(tracks)

    def entries(uris: list[str], owner: str) -> list[PlaylistEntry]:
        return [
            PlaylistEntry(
                uri=uri, added_at=_iso(_EPOCH_2025 + i * 3600), added_by=owner
            )
            for i, uri in enumerate(uris)
        ]

    def add_playlist(playlist: Playlist, owner: User | None) -> None:
        cat.playlists[playlist.id] = playlist
        if owner is not None:
            owner.playlist_ids.append(playlist.id)

    uid = PREMIUM_USER_ID
    add_playlist(
        Playlist(
            id=START_PLAYLIST_ID,
            name="Morning Commute",
            description="Twenty-five invented songs for the way in.",
            owner_id=uid,
            public=True,
            collaborative=False,
            entries=entries([f"spotify:track:{t}" for t in tracks[:25]], uid),
            followers=3,
        ),
        premium,
    )
    add_playlist(
        Playlist(
            id=BIG_PLAYLIST_ID,
            name="Everything Long",
            description="A long playlist that needs several pages.",
            owner_id=uid,
            public=False,
            collaborative=False,
            entries=entries([f"spotify:track:{t}" for t in tracks[25:145]], uid),
        ),
        premium,
    )
    mixed = [f"spotify:track:{t}" for t in tracks[145:151]] + [
        f"spotify:episode:{e}" for e in episodes[:4]
    ]
    rng.shuffle(mixed)
    add_playlist(
        Playlist(
            id=MIXED_PLAYLIST_ID,
            name="Songs and Stories",
            description="Music with a few podcast episodes in between.",
            owner_id=uid,
            public=False,
            collaborative=True,
            entries=entries(mixed, uid),
        ),
        premium,
    )
    add_playlist(
        Playlist(
            id=EMPTY_PLAYLIST_ID,
            name="Nothing Yet",
            description="",
            owner_id=uid,
            public=False,
            collaborative=False,
        ),
        premium,
    )
    add_playlist(
        Playlist(
            id=CURATED_PLAYLIST_ID,
            name="Curator's Picks",
            description="Public picks by another user.",
            owner_id=CURATOR_USER_ID,
            public=True,
            collaborative=False,
            entries=entries(
                [f"spotify:track:{t}" for t in tracks[151:171]], CURATOR_USER_ID
            ),
            followers=1234,
        ),
        premium,
    )
    for i in range(PREMIUM_PLAYLIST_COUNT - len(premium.playlist_ids)):
        size = rng.randint(3, 15)
        start = rng.randint(0, len(tracks) - size)
        add_playlist(
            Playlist(
                id=base62_id("seed-playlist", "filler", i),
                name=f"Mix No. {i + 1}",
                description=f"Generated mix number {i + 1}.",
                owner_id=uid,
                public=i % 2 == 0,
                collaborative=False,
                entries=entries(
                    [f"spotify:track:{t}" for t in tracks[start : start + size]], uid
                ),
            ),
            premium,
        )

    # Libraries, newest first by added-at time.
    def save(user: User, uris: list[str]) -> None:
        for i, uri in enumerate(uris):
            user.saved[uri] = now - 86_400 - i * 7_200

    albums = sorted(cat.albums)
    artists = sorted(cat.artists)
    shows = sorted(cat.shows)
    books = sorted(cat.audiobooks)
    save(premium, [f"spotify:track:{t}" for t in tracks[200:330]])
    save(premium, [f"spotify:album:{a}" for a in albums[:12]])
    save(premium, [f"spotify:show:{s}" for s in shows[:4]])
    save(premium, [f"spotify:episode:{e}" for e in episodes[10:16]])
    save(premium, [f"spotify:audiobook:{b}" for b in books[:2]])
    save(premium, [f"spotify:artist:{a}" for a in artists[:60]])
    save(free, [f"spotify:track:{t}" for t in tracks[400:410]])
    save(free, [f"spotify:artist:{a}" for a in artists[60:63]])

    premium.top_artist_ids = artists[5:45]
    premium.top_track_ids = tracks[330:390]
    free.top_artist_ids = artists[60:65]
    free.top_track_ids = tracks[400:405]

    # Fifty plays over the last hours, oldest first.
    played_at = now - 50 * 240
    for t in tracks[:50]:
        played_at += 240
        premium.history.append(
            _history(f"spotify:track:{t}", played_at, START_PLAYLIST_ID)
        )
    for t in tracks[400:405]:
        free.history.append(_history(f"spotify:track:{t}", now - 3600, None))

    # Playback: the Premium user listens to the start playlist with two tracks queued.
    start_items = [e.uri for e in cat.playlists[START_PLAYLIST_ID].entries]
    premium.playback.play_context(
        device_key="computer",
        context_uri=f"spotify:playlist:{START_PLAYLIST_ID}",
        items=start_items,
        offset=START_POSITION,
        position_ms=START_PROGRESS_MS,
    )
    for t in tracks[180 : 180 + QUEUE_LENGTH]:
        premium.playback.add_to_queue(f"spotify:track:{t}")
    # The free user has a paused album on their phone.
    free_album = cat.albums[albums[1]]
    free.playback.play_context(
        device_key="free-phone",
        context_uri=free_album.uri,
        items=[f"spotify:track:{t}" for t in free_album.track_ids],
        offset=0,
        position_ms=10_000,
    )
    free.playback.pause()


def _history(uri: str, played_at: float, playlist_id: str | None) -> PlayHistoryEntry:
    return PlayHistoryEntry(
        uri=uri,
        played_at=played_at,
        context_uri=f"spotify:playlist:{playlist_id}" if playlist_id else None,
    )


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
