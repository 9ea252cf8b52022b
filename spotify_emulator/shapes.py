"""JSON shapes of what the Web API answers: profiles, playlists and the player.

The catalogue objects inside them come from `ObjectShapes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .catalogue import Episode, Track
from .objects import JSON, ObjectShapes, iso

if TYPE_CHECKING:
    from .catalogue import Playlist, PlaylistEntry
    from .player import PlaybackSnapshot
    from .users import Device, PlayHistoryEntry, User

__all__ = ["JSON", "Shapes"]

# Fields Development Mode apps no longer receive in GET /me (February 2026).
DEV_MODE_PROFILE_OMITS = ("product", "email", "country", "followers")


class Shapes(ObjectShapes):
    """Builds JSON objects for one request's base URL."""

    # ------------------------------------------------------------------ users

    def user(self, user: User) -> JSON:
        """Return GET /me."""
        data = {
            "country": user.country,
            "display_name": user.display_name,
            "explicit_content": {"filter_enabled": False, "filter_locked": False},
            "external_urls": {"spotify": f"https://open.spotify.com/user/{user.id}"},
            "followers": {"href": None, "total": 0},
            "href": f"{self.api}/users/{user.id}",
            "id": user.id,
            "images": self.images("user-" + user.id, (300, 64)),
            "product": user.product,
            "type": "user",
            "uri": f"spotify:user:{user.id}",
        }
        if self.development_mode:
            for key in DEV_MODE_PROFILE_OMITS:
                data.pop(key, None)
        return self._drop(
            data, "country", "email", "explicit_content", "followers", "product"
        )

    def public_user(self, user_id: str, display_name: str | None) -> JSON:
        """Return a public user object (playlist owner, added_by)."""
        data = {
            "external_urls": {"spotify": f"https://open.spotify.com/user/{user_id}"},
            "href": f"{self.api}/users/{user_id}",
            "id": user_id,
            "type": "user",
            "uri": f"spotify:user:{user_id}",
        }
        if display_name is not None:
            data["display_name"] = display_name
        return data

    # ------------------------------------------------------------- playlists

    def simplified_playlist(self, playlist: Playlist, owner_name: str | None) -> JSON:
        """Return a simplified playlist with its `items` reference.

        In Development Mode the deprecated `tracks` comes too, as Spotify sends it.
        """
        data = {
            "collaborative": playlist.collaborative,
            "description": playlist.description,
            **self._common("playlist", playlist.id),
            "images": self.images(playlist.id, (640,)),
            "name": playlist.name,
            "owner": self.public_user(playlist.owner_id, owner_name),
            "primary_color": None,
            "public": playlist.public,
            "snapshot_id": playlist.snapshot_id,
            "items": {
                "href": f"{self.api}/playlists/{playlist.id}/items",
                "total": len(playlist.entries),
            },
        }
        return self._deprecated_alias(data, "items", "tracks")

    def playlist(
        self,
        playlist: Playlist,
        owner_name: str | None,
        *,
        include_episodes: bool,
        with_items: bool = True,
    ) -> JSON:
        """Return a full playlist with the first 100 items.

        Without `with_items` (Development Mode, a playlist the user neither owns nor
        collaborates on) the items are left out, as Spotify does.
        """
        data = {
            **self.simplified_playlist(playlist, owner_name),
            "followers": {"href": None, "total": playlist.followers},
        }
        data.pop("items")
        data.pop("tracks", None)
        if with_items:
            items = self.playlist_items(
                playlist, include_episodes=include_episodes, limit=100, offset=0
            )
            data["items"] = items
            self._deprecated_alias(data, "items", "tracks")
        return data

    def _deprecated_alias(self, data: JSON, key: str, deprecated: str) -> JSON:
        """In Development Mode, repeat `key` under its deprecated name."""
        if self.development_mode:
            data[deprecated] = data[key]
        return data

    def playlist_items(
        self, playlist: Playlist, *, include_episodes: bool, limit: int, offset: int
    ) -> JSON:
        """Return a page of playlist items (each with `item`, not `track`)."""

        def item(entry: PlaylistEntry) -> JSON:
            playable = self.cat.playable(entry.uri)
            obj: JSON | None = None
            if isinstance(playable, Track):
                obj = self.track(playable)
            elif isinstance(playable, Episode):
                # Without additional_types=episode Spotify answers episodes as null.
                obj = self.episode(playable) if include_episodes else None
            data = {
                "added_at": entry.added_at,
                "added_by": self.public_user(entry.added_by, None),
                "is_local": False,
                "primary_color": None,
                "item": obj,
            }
            return self._deprecated_alias(data, "item", "track")

        return self.paged(
            f"/playlists/{playlist.id}/items",
            playlist.entries,
            item,
            limit=limit,
            offset=offset,
        )

    # -------------------------------------------------------------- player

    def device(self, device: Device, *, active: bool) -> JSON:
        """Return a device object."""
        return {
            "id": device.id,
            "is_active": active,
            "is_private_session": device.is_private_session,
            "is_restricted": device.is_restricted,
            "name": device.name,
            "supports_volume": device.supports_volume,
            "type": device.type,
            "volume_percent": device.volume_percent,
        }

    def context(self, uri: str | None) -> JSON | None:
        """Return a playback context object."""
        if uri is None:
            return None
        parts = uri.split(":")
        if len(parts) == 4 and parts[3] == "collection":
            return {
                "external_urls": {
                    "spotify": "https://open.spotify.com/collection/tracks"
                },
                "href": f"{self.api}/me/tracks",
                "type": "collection",
                "uri": uri,
            }
        kind, item_id = parts[1], parts[-1]
        return {
            "external_urls": {"spotify": f"https://open.spotify.com/{kind}/{item_id}"},
            "href": f"{self.api}/{kind}s/{item_id}",
            "type": kind,
            "uri": uri,
        }

    def playback(
        self,
        snap: PlaybackSnapshot,
        device: Device | None,
        *,
        include_episodes: bool,
        with_device: bool = True,
    ) -> JSON:
        """Return GET /me/player (or /currently-playing without the device part)."""
        item_json: JSON | None = None
        if (
            snap.item_uri is not None
            and (playable := self.cat.playable(snap.item_uri)) is not None
        ) and (isinstance(playable, Track) or include_episodes):
            item_json = self.playable(playable)
        data: JSON = {}
        if with_device and device is not None:
            data["device"] = self.device(device, active=True)
            data["shuffle_state"] = snap.shuffle_state
            data["smart_shuffle"] = snap.smart_shuffle
            data["repeat_state"] = str(snap.repeat_state)
        data.update(
            {
                "timestamp": snap.timestamp_ms,
                "context": self.context(snap.context_uri),
                "progress_ms": snap.progress_ms,
                "item": item_json,
                "currently_playing_type": snap.currently_playing_type,
                "actions": {"disallows": dict(snap.disallows)},
                "is_playing": snap.is_playing,
            }
        )
        return data

    def history_item(self, entry: PlayHistoryEntry) -> JSON:
        """Return one recently-played item."""
        playable = self.cat.playable(entry.uri)
        return {
            "track": self.playable(playable) if playable is not None else None,
            "played_at": iso(entry.played_at, millis=True),
            "context": self.context(entry.context_uri),
        }
