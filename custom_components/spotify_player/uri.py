"""Parse what users and the media browser give us into Spotify URIs."""

from __future__ import annotations

import re
from typing import Final

from yarl import URL

# Item kinds a URI may name; `user` only in the collection and legacy playlist forms.
URI_TYPES: Final = frozenset(
    {"album", "artist", "audiobook", "chapter", "episode", "playlist", "show", "track"}
)
# Kinds Spotify plays as a context (start_playback context_uri), the liked songs
# (`collection`) included; the rest go in `uris`.
CONTEXT_TYPES: Final = frozenset(
    {"album", "artist", "audiobook", "collection", "playlist", "show"}
)

# Browse ids of library folders and items start with this scheme (see browse_media.py).
BROWSE_SCHEME: Final = "spotify_player"

_ID = r"[0-9A-Za-z]{22}"
_URI_RE: Final = re.compile(rf"spotify:(?P<type>[a-z]+):(?P<id>{_ID})")
_COLLECTION_RE: Final = re.compile(r"spotify:user:(?P<user>[^:\s]+):collection")
_LEGACY_PLAYLIST_RE: Final = re.compile(rf"spotify:user:[^:\s]+:playlist:(?P<id>{_ID})")
_WEB_HOST: Final = "open.spotify.com"
# Path prefixes open.spotify.com puts before the type: `intl-de`, `embed`, `user/<id>`.
_INTL_RE: Final = re.compile(r"intl-[a-z]{2}(?:[-_][A-Za-z]{2})?")


def _from_uri(value: str) -> str:
    """Validate a `spotify:` URI, normalising the legacy user playlist form."""
    if (match := _URI_RE.fullmatch(value)) and match["type"] in URI_TYPES:
        return value
    if _COLLECTION_RE.fullmatch(value):
        return value
    if match := _LEGACY_PLAYLIST_RE.fullmatch(value):
        return f"spotify:playlist:{match['id']}"
    raise ValueError(f"Not a Spotify URI: {value}")


def _from_link(url: URL) -> str:
    """Turn an open.spotify.com link (any locale prefix or query string) into a URI."""
    parts = [part for part in url.parts if part and part != "/"]
    if parts and _INTL_RE.fullmatch(parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "embed":
        parts = parts[1:]
    if len(parts) == 4 and parts[0] == "user":
        parts = parts[2:]
    if len(parts) == 2 and parts[0] in URI_TYPES:
        return _from_uri(f"spotify:{parts[0]}:{parts[1]}")
    raise ValueError(f"Not a Spotify link: {url}")


def to_spotify_uri(value: str) -> str:
    """Return the Spotify URI for a URI, an open.spotify.com link or a browse id.

    Raises ValueError for anything else; callers turn that into a translated
    ServiceValidationError.
    """
    value = value.strip()
    # Browse ids wrap the URI: `spotify_player://<uri>`; Home Assistant's own Spotify
    # integration uses `spotify://<entry id>/<uri>`, accepted so old automations work.
    if value.startswith((f"{BROWSE_SCHEME}://", "spotify://")):
        return _from_uri(value.rsplit("/", 1)[-1])
    if value.startswith("spotify:"):
        return _from_uri(value)
    if value.startswith(("https://", "http://")):
        url = URL(value)
        if url.host == _WEB_HOST:
            return _from_link(url)
    raise ValueError(f"Not a Spotify URI or link: {value}")


def item_in_context_id(item_uri: str, context_uri: str) -> str:
    """Return the browse id of an item listed inside a context.

    Playing it starts the context from that item, as the Spotify app does, so the
    queue and next/previous follow the album or playlist.
    """
    return f"{BROWSE_SCHEME}://{context_uri}/{item_uri}"


def to_play_target(value: str) -> tuple[str, str | None]:
    """Return (uri, context uri) of what play_media was given.

    The context is set only for an item browsed inside a context (see
    `item_in_context_id`); everything else plays as `to_spotify_uri` reads it.
    Raises ValueError as `to_spotify_uri` does.
    """
    uri = to_spotify_uri(value)
    wrapped = value.strip().removeprefix(f"{BROWSE_SCHEME}://")
    context, separator, _ = wrapped.rpartition("/")
    if not separator or wrapped == value.strip() or is_context_uri(uri):
        return uri, None
    context_uri = _from_uri(context)
    if not is_context_uri(context_uri):
        raise ValueError(f"Not a Spotify context: {context}")
    return uri, context_uri


def uri_type(uri: str) -> str:
    """Return the kind of a valid URI: `track`, `playlist`, ... or `collection`."""
    if _COLLECTION_RE.fullmatch(uri):
        return "collection"
    return uri.split(":")[1]


def uri_id(uri: str) -> str:
    """Return the id part of a valid `spotify:<type>:<id>` URI."""
    return uri.rsplit(":", 1)[-1]


def is_context_uri(uri: str) -> bool:
    """Whether Spotify plays the URI as a context rather than as a single item."""
    return uri_type(uri) in CONTEXT_TYPES
