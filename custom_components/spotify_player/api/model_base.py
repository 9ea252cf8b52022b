"""Foundations of the typed models: enums, the base model, images, users, pages.

Every model ignores unknown fields and treats a missing or null field as its default, so
Spotify can add, drop (as in the February 2026 Dev Mode changes) or null out fields
without breaking parsing. Fields Spotify really does send as null (a restricted device's
`id`, `item` during an ad) are typed `X | None`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from mashumaro.config import BaseConfig
from mashumaro.mixins.orjson import DataClassORJSONMixin

if TYPE_CHECKING:
    from collections.abc import Sequence


class RepeatMode(StrEnum):
    """Repeat state of the player."""

    OFF = "off"
    TRACK = "track"
    CONTEXT = "context"


class CurrentlyPlayingType(StrEnum):
    """What kind of item is playing."""

    TRACK = "track"
    EPISODE = "episode"
    AD = "ad"
    UNKNOWN = "unknown"


class SearchType(StrEnum):
    """Item types the search endpoint can return."""

    ALBUM = "album"
    ARTIST = "artist"
    PLAYLIST = "playlist"
    TRACK = "track"
    SHOW = "show"
    EPISODE = "episode"
    AUDIOBOOK = "audiobook"


class TimeRange(StrEnum):
    """Time frame of the top artists and tracks."""

    SHORT_TERM = "short_term"
    MEDIUM_TERM = "medium_term"
    LONG_TERM = "long_term"


def _enum_value[E: StrEnum](enum: type[E], value: object, default: E) -> E:
    """Map a raw value onto `enum` case-insensitively, falling back to `default`."""
    if isinstance(value, str):
        key = value.strip().lower().replace("_", "").replace("-", "").replace(" ", "")
        for member in enum:
            if member.value.replace("_", "") == key:
                return member
    return default


class SpotifyModel(DataClassORJSONMixin):
    """Base of all models: null fields fall back to the field default."""

    class Config(BaseConfig):
        """Mashumaro settings shared by all models."""

        omit_none = True

    @classmethod
    def __pre_deserialize__(cls, d: dict[Any, Any]) -> dict[Any, Any]:
        """Drop null values, also inside lists, so the dataclass defaults apply.

        A null in a list (`languages: [null]`, `images: [null]`) would otherwise be
        coerced to the item type, e.g. into the string 'None'.
        """
        return {
            key: [item for item in value if item is not None]
            if isinstance(value, list)
            else value
            for key, value in d.items()
            if value is not None
        }


@dataclass(frozen=True, kw_only=True)
class Image(SpotifyModel):
    """Cover art or profile picture; sizes are null for some playlist mosaics."""

    url: str = ""
    height: int | None = None
    width: int | None = None


def largest_image(images: Sequence[Image]) -> Image | None:
    """Return the image with the most pixels (the first one when sizes are unknown)."""
    best: Image | None = None
    best_area = -1
    for image in images:
        if not image.url:
            continue
        area = (image.width or 0) * (image.height or 0)
        if area > best_area:
            best, best_area = image, area
    return best


@dataclass(frozen=True, kw_only=True)
class Followers(SpotifyModel):
    """Follower count."""

    total: int = 0


@dataclass(frozen=True, kw_only=True)
class PublicUser(SpotifyModel):
    """A user as shown on playlists (owner, added_by)."""

    id: str = ""
    display_name: str | None = None
    uri: str = ""
    href: str | None = None
    external_urls: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class UserProfile(PublicUser):
    """The current user (GET /me); Dev Mode apps no longer get product or country."""

    product: str | None = None
    country: str | None = None
    email: str | None = None
    images: list[Image] = field(default_factory=list)
    followers: Followers | None = None


@dataclass(frozen=True, kw_only=True)
class _ItemsPage[T](SpotifyModel):
    """Fields shared by offset and cursor pages (null items are dropped)."""

    href: str | None = None
    items: list[T] = field(default_factory=list)
    limit: int = 0
    next: str | None = None


@dataclass(frozen=True, kw_only=True)
class Page[T](_ItemsPage[T]):
    """Offset-based page; follow `next` with SpotifyClient.collect."""

    offset: int = 0
    previous: str | None = None
    total: int = 0


@dataclass(frozen=True, kw_only=True)
class Cursors(SpotifyModel):
    """Cursor positions of a cursor-based page."""

    after: str | None = None
    before: str | None = None


@dataclass(frozen=True, kw_only=True)
class CursorPage[T](_ItemsPage[T]):
    """Cursor-based page (recently played, followed artists)."""

    cursors: Cursors | None = None
    total: int | None = None
