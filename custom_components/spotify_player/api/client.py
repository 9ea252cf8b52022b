"""Asynchronous client for the Spotify Web API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
import logging
import math
from typing import Any, Final
from urllib.parse import quote

import aiohttp
from aiohttp import hdrs
import orjson
from yarl import URL

from .const import (
    ADDITIONAL_TYPES,
    DEFAULT_API_BASE,
    DEFAULT_REQUEST_TIMEOUT,
    MAX_ARTIST_ALBUMS_LIMIT,
    MAX_LIBRARY_URIS,
    MAX_PAGE_LIMIT,
    MAX_SEARCH_LIMIT,
    MAX_SEARCH_OFFSET,
)
from .errors import (
    SpotifyConnectionError,
    SpotifyForbiddenError,
    SpotifyMalformedResponseError,
    SpotifyPlaylistItemsForbiddenError,
    SpotifyRateLimitedError,
    SpotifyTokenRejectedError,
    error_from_response,
    parse_error_body,
)
from .models import (
    Album,
    Artist,
    ArtistPage,
    CursorPage,
    Device,
    DevicesResponse,
    FollowedArtistsResponse,
    Page,
    PlaybackState,
    PlayHistory,
    PlayHistoryPage,
    Playlist,
    PlaylistItem,
    PlaylistItemPage,
    PlaylistPage,
    Queue,
    RepeatMode,
    SavedAlbum,
    SavedAlbumPage,
    SavedEpisode,
    SavedEpisodePage,
    SavedShow,
    SavedShowPage,
    SavedTrack,
    SavedTrackPage,
    SearchResult,
    SearchType,
    Show,
    SimplifiedAlbum,
    SimplifiedAlbumPage,
    SimplifiedEpisode,
    SimplifiedEpisodePage,
    SimplifiedPlaylist,
    SpotifyModel,
    TimeRange,
    Track,
    TrackPage,
    UserProfile,
)
from .rate_limit import RateLimitGate, RateLimitInfo
from .request_window import RequestWindow

_LOGGER = logging.getLogger(__name__)

type TokenProvider = Callable[[bool], Awaitable[str]]
"""Async callable `(force_refresh) -> access token`.

`force_refresh=True` means Spotify rejected the provider's current token: the
provider must fetch a new one (sharing a refresh already in flight).
"""

_SUCCESS: Final = frozenset({200, 201, 202, 204})
# Decoding errors mashumaro and our hooks can raise for JSON of the wrong shape.
_SHAPE_ERRORS: Final = (ValueError, TypeError, LookupError, AttributeError)


@dataclass(kw_only=True)
class ClientStats:
    """Counters for diagnostics; never holds credentials."""

    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    forced_refreshes: int = 0
    connection_errors: int = 0
    last_rate_limit: RateLimitInfo | None = None
    last_24h: RequestWindow = field(default_factory=RequestWindow)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def _id(value: str) -> str:
    """Quote an id for use as one path segment, so it can never alter the path."""
    return quote(value, safe="")


def _query(**values: str | int | bool | None) -> dict[str, str]:
    """Build query parameters, dropping unset ones; Spotify wants lowercase booleans."""
    query: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            query[key] = "true" if value else "false"
        else:
            query[key] = str(value)
    return query


def _chunks(uris: Sequence[str]) -> list[str]:
    """Comma-joined groups of at most MAX_LIBRARY_URIS URIs, one per request."""
    return [
        ",".join(uris[start : start + MAX_LIBRARY_URIS])
        for start in range(0, len(uris), MAX_LIBRARY_URIS)
    ]


def _parse_retry_after(value: str | None) -> float | None:
    """Read Retry-After as seconds; an absent or unreadable header gives None."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return seconds


def _parse[M: SpotifyModel](model: type[M], data: object) -> M:
    """Decode a JSON object into `model`, turning any shape error into our error."""
    if not isinstance(data, dict):
        raise SpotifyMalformedResponseError(
            f"Expected a JSON object for {model.__name__}"
        )
    try:
        return model.from_dict(data)
    except _SHAPE_ERRORS as err:
        raise SpotifyMalformedResponseError(
            f"Unexpected {model.__name__} in Spotify response"
        ) from err


def _unwrap_page(data: object) -> Mapping[str, Any]:
    """Return the page object, unwrapping `{"artists": {...}}`-style envelopes."""
    if isinstance(data, dict):
        if "items" in data:
            return data
        if len(data) == 1:
            (inner,) = data.values()
            if isinstance(inner, dict) and "items" in inner:
                return inner
    raise SpotifyMalformedResponseError("Expected a page of items")


class SpotifyClient:
    """Spotify Web API client for one account.

    The aiohttp session is injected and never closed here. Access tokens come from
    `token_provider`; on a 401 the client forces one refresh and retries once. A 401
    on that retry raises SpotifyTokenRejectedError, a transient: a dead grant shows
    as the provider's SpotifyAuthenticationError instead.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_provider: TokenProvider,
        *,
        api_base: str = DEFAULT_API_BASE,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        rate_limit_gate: RateLimitGate | None = None,
    ) -> None:
        """Initialise the client."""
        self._session = session
        self._token_provider = token_provider
        self._api_base = api_base.rstrip("/")
        self._base_url = URL(self._api_base)
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._gate = rate_limit_gate if rate_limit_gate is not None else RateLimitGate()
        self._stats = ClientStats()

    @property
    def rate_limit_gate(self) -> RateLimitGate:
        """The gate shared by all requests of this account."""
        return self._gate

    @property
    def stats(self) -> ClientStats:
        """Request counters for diagnostics."""
        return self._stats

    # Transport

    def _url(self, path: str) -> URL:
        return URL(self._api_base + path, encoded=True)

    def _resolve_next(self, next_url: str) -> URL:
        """Map a `next` link onto api_base: only its path and query are used.

        The bearer token therefore never goes to a host other than api_base, whatever
        host the link names.
        """
        try:
            link = URL(next_url)
        except (ValueError, TypeError) as err:
            raise SpotifyMalformedResponseError("Invalid next link") from err
        base_path = self._base_url.raw_path.rstrip("/")
        path = link.raw_path
        if base_path and not path.startswith(base_path + "/"):
            raise SpotifyMalformedResponseError("Next link outside the Web API")
        rest = path[len(base_path) :]
        query = link.raw_query_string
        return URL(self._api_base + rest + (f"?{query}" if query else ""), encoded=True)

    async def _send(
        self,
        method: str,
        url: URL,
        token: str,
        params: Mapping[str, str] | None,
        body: bytes | None,
    ) -> tuple[int, bytes, str | None]:
        """Send one HTTP request; return status, body and the Retry-After header."""
        headers = {
            hdrs.AUTHORIZATION: f"Bearer {token}",
            hdrs.ACCEPT: "application/json",
        }
        if body is not None:
            headers[hdrs.CONTENT_TYPE] = "application/json"
        if self._session.closed:
            # The owner shut the session (Home Assistant stopping) while this account
            # still had work under way; aiohttp would raise RuntimeError.
            self._stats.connection_errors += 1
            raise SpotifyConnectionError(
                f"The HTTP session is closed ({method} {url.path})"
            )
        self._stats.requests += 1
        self._stats.last_24h.add()
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                data=body,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                content = await response.read()
                status = response.status
                retry_after = response.headers.get(hdrs.RETRY_AFTER)
        except TimeoutError as err:
            self._stats.connection_errors += 1
            raise SpotifyConnectionError(
                f"Timeout calling Spotify ({method} {url.path})"
            ) from err
        except aiohttp.ClientError as err:
            self._stats.connection_errors += 1
            raise SpotifyConnectionError(
                f"Error calling Spotify ({method} {url.path}): {type(err).__name__}"
            ) from err
        self._stats.by_status[status] = self._stats.by_status.get(status, 0) + 1
        _LOGGER.debug("%s %s -> %s", method, url.path, status)
        return status, content, retry_after

    async def _request(
        self,
        method: str,
        url: URL,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> bytes:
        """Send an authorised request and return the body of a successful response."""
        _status, content = await self._request_status(
            method, url, params=params, json=json
        )
        return content

    async def _request_status(
        self,
        method: str,
        url: URL,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> tuple[int, bytes]:
        """Send an authorised request; return status and body of a success."""
        self._gate.check()
        body = orjson.dumps(json) if json is not None else None
        token = await self._token_provider(False)
        status, content, retry_after = await self._send(
            method, url, token, params, body
        )
        if status == 401:
            # Another caller may have refreshed while this request was in flight:
            # retry with its token, and force a refresh only when the token that
            # failed is still the current one. Many concurrent 401s thus cost one
            # token request, however late they arrive.
            current = await self._token_provider(False)
            if current != token:
                token = current
            else:
                self._stats.forced_refreshes += 1
                token = await self._token_provider(True)
            self._gate.check()
            status, content, retry_after = await self._send(
                method, url, token, params, body
            )
            if status == 401:
                self._gate.record_success()
                message, reason = parse_error_body(content)
                raise SpotifyTokenRejectedError(
                    message or "Spotify refused a fresh access token",
                    status=status,
                    reason=reason,
                )
        if status in _SUCCESS:
            self._gate.record_success()
            return status, content
        if status == 429:
            message, reason = parse_error_body(content)
            wait = self._gate.record_rate_limited(
                _parse_retry_after(retry_after), reason
            )
            self._stats.last_rate_limit = self._gate.last
            raise SpotifyRateLimitedError(
                message or "Rate limited by Spotify",
                retry_after=wait,
                status=status,
                reason=reason,
            )
        self._gate.record_success()
        raise error_from_response(status, content)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> None:
        """Send a command whose response body is irrelevant."""
        await self._request(method, self._url(path), params=params, json=json)

    async def _get_json(
        self, path_or_url: str | URL, params: Mapping[str, str] | None = None
    ) -> object:
        """GET and decode JSON; an empty or non-JSON body is malformed."""
        url = self._url(path_or_url) if isinstance(path_or_url, str) else path_or_url
        content = await self._request(hdrs.METH_GET, url, params=params)
        return self._decode(content)

    @staticmethod
    def _decode(content: bytes) -> object:
        if not content:
            raise SpotifyMalformedResponseError("Empty response from Spotify")
        try:
            data: object = orjson.loads(content)
        except orjson.JSONDecodeError as err:
            raise SpotifyMalformedResponseError("Spotify response is not JSON") from err
        return data

    async def _get[M: SpotifyModel](
        self, model: type[M], path: str, params: Mapping[str, str] | None = None
    ) -> M:
        return _parse(model, await self._get_json(path, params))

    # User and player

    async def get_current_user(self) -> UserProfile:
        """Return the profile of the current user."""
        return await self._get(UserProfile, "/me")

    async def get_playback_state(self) -> PlaybackState | None:
        """Return the player state, or None when nothing is playing anywhere.

        Only a 204 says "nothing playing": an empty or undecodable 200 is a broken
        answer (SpotifyMalformedResponseError), not an idle player.
        """
        status, content = await self._request_status(
            hdrs.METH_GET,
            self._url("/me/player"),
            params=_query(additional_types=ADDITIONAL_TYPES),
        )
        if status == 204:
            return None
        return _parse(PlaybackState, self._decode(content))

    async def get_devices(self) -> list[Device]:
        """Return the user's available Spotify Connect devices."""
        return (await self._get(DevicesResponse, "/me/player/devices")).devices

    async def transfer_playback(
        self, device_id: str, *, play: bool | None = None
    ) -> None:
        """Move playback to `device_id`; `play` forces playing (True) or keeps state."""
        payload: dict[str, Any] = {"device_ids": [device_id]}
        if play is not None:
            payload["play"] = play
        await self._call(hdrs.METH_PUT, "/me/player", json=payload)

    async def start_playback(
        self,
        *,
        device_id: str | None = None,
        context_uri: str | None = None,
        uris: Sequence[str] | None = None,
        offset_position: int | None = None,
        offset_uri: str | None = None,
        position_ms: int | None = None,
    ) -> None:
        """Start or resume playback of a context or a list of track/episode URIs."""
        payload: dict[str, Any] = {}
        if context_uri is not None:
            payload["context_uri"] = context_uri
        if uris is not None:
            payload["uris"] = list(uris)
        if offset_uri is not None:
            payload["offset"] = {"uri": offset_uri}
        elif offset_position is not None:
            payload["offset"] = {"position": offset_position}
        if position_ms is not None:
            payload["position_ms"] = position_ms
        await self._call(
            hdrs.METH_PUT,
            "/me/player/play",
            params=_query(device_id=device_id),
            # An empty body would be rejected; no body means "resume".
            json=payload or None,
        )

    async def pause_playback(self, *, device_id: str | None = None) -> None:
        """Pause playback."""
        await self._call(
            hdrs.METH_PUT, "/me/player/pause", params=_query(device_id=device_id)
        )

    async def next_track(self, *, device_id: str | None = None) -> None:
        """Skip to the next item."""
        await self._call(
            hdrs.METH_POST, "/me/player/next", params=_query(device_id=device_id)
        )

    async def previous_track(self, *, device_id: str | None = None) -> None:
        """Skip to the previous item."""
        await self._call(
            hdrs.METH_POST, "/me/player/previous", params=_query(device_id=device_id)
        )

    async def seek(self, position_ms: int, *, device_id: str | None = None) -> None:
        """Seek to `position_ms` in the current item."""
        await self._call(
            hdrs.METH_PUT,
            "/me/player/seek",
            params=_query(position_ms=max(0, position_ms), device_id=device_id),
        )

    async def set_volume(
        self, volume_percent: int, *, device_id: str | None = None
    ) -> None:
        """Set the volume (0-100)."""
        await self._call(
            hdrs.METH_PUT,
            "/me/player/volume",
            params=_query(
                volume_percent=_clamp(volume_percent, 0, 100), device_id=device_id
            ),
        )

    async def set_shuffle(self, state: bool, *, device_id: str | None = None) -> None:
        """Turn shuffle on or off."""
        await self._call(
            hdrs.METH_PUT,
            "/me/player/shuffle",
            params=_query(state=state, device_id=device_id),
        )

    async def set_repeat(
        self, mode: RepeatMode, *, device_id: str | None = None
    ) -> None:
        """Set the repeat mode (track, context or off)."""
        await self._call(
            hdrs.METH_PUT,
            "/me/player/repeat",
            params=_query(state=RepeatMode(mode).value, device_id=device_id),
        )

    async def get_queue(self) -> Queue:
        """Return the currently playing item and the queue."""
        return await self._get(Queue, "/me/player/queue")

    async def add_to_queue(self, uri: str, *, device_id: str | None = None) -> None:
        """Add a track or episode URI to the end of the queue."""
        await self._call(
            hdrs.METH_POST,
            "/me/player/queue",
            params=_query(uri=uri, device_id=device_id),
        )

    async def get_recently_played(self, *, limit: int = 20) -> CursorPage[PlayHistory]:
        """Return the most recently played tracks."""
        return await self._get(
            PlayHistoryPage,
            "/me/player/recently-played",
            _query(limit=_clamp(limit, 1, MAX_PAGE_LIMIT)),
        )

    # Playlists

    async def get_my_playlists(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SimplifiedPlaylist]:
        """Return playlists the user owns or follows."""
        return await self._get(
            PlaylistPage, "/me/playlists", self._page_query(limit, offset)
        )

    async def get_playlist(self, playlist_id: str) -> Playlist:
        """Return a playlist with its first page of items."""
        return await self._get(
            Playlist,
            f"/playlists/{_id(playlist_id)}",
            _query(additional_types=ADDITIONAL_TYPES),
        )

    async def get_playlist_items(
        self, playlist_id: str, *, limit: int = 50, offset: int = 0
    ) -> Page[PlaylistItem]:
        """Return a page of a playlist's items (tracks and episodes).

        Raises SpotifyPlaylistItemsForbiddenError when Spotify does not list the items
        (Development Mode: a playlist the user neither owns nor collaborates on).
        """
        try:
            return await self._get(
                PlaylistItemPage,
                f"/playlists/{_id(playlist_id)}/items",
                {
                    **self._page_query(limit, offset),
                    "additional_types": ADDITIONAL_TYPES,
                },
            )
        except SpotifyForbiddenError as err:
            if type(err) is not SpotifyForbiddenError:  # scope, allow-list, owner
                raise
            raise SpotifyPlaylistItemsForbiddenError(
                err.message, status=err.status, reason=err.reason
            ) from err

    # Library

    @staticmethod
    def _page_query(
        limit: int, offset: int, maximum: int = MAX_PAGE_LIMIT
    ) -> dict[str, str]:
        return _query(limit=_clamp(limit, 1, maximum), offset=max(0, offset))

    async def get_saved_tracks(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SavedTrack]:
        """Return the user's saved tracks."""
        return await self._get(
            SavedTrackPage, "/me/tracks", self._page_query(limit, offset)
        )

    async def get_saved_albums(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SavedAlbum]:
        """Return the user's saved albums."""
        return await self._get(
            SavedAlbumPage, "/me/albums", self._page_query(limit, offset)
        )

    async def get_saved_shows(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SavedShow]:
        """Return the shows the user follows."""
        return await self._get(
            SavedShowPage, "/me/shows", self._page_query(limit, offset)
        )

    async def get_saved_episodes(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SavedEpisode]:
        """Return the user's saved episodes."""
        return await self._get(
            SavedEpisodePage, "/me/episodes", self._page_query(limit, offset)
        )

    async def get_followed_artists(
        self, *, limit: int = 50, after: str | None = None
    ) -> CursorPage[Artist]:
        """Return artists the user follows (cursor-paged by artist id)."""
        response = await self._get(
            FollowedArtistsResponse,
            "/me/following",
            _query(type="artist", limit=_clamp(limit, 1, MAX_PAGE_LIMIT), after=after),
        )
        return response.artists

    async def get_top_artists(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        time_range: TimeRange = TimeRange.MEDIUM_TERM,
    ) -> Page[Artist]:
        """Return the user's top artists."""
        return await self._get(
            ArtistPage,
            "/me/top/artists",
            {
                **self._page_query(limit, offset),
                "time_range": TimeRange(time_range).value,
            },
        )

    async def get_top_tracks(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        time_range: TimeRange = TimeRange.MEDIUM_TERM,
    ) -> Page[Track]:
        """Return the user's top tracks."""
        return await self._get(
            TrackPage,
            "/me/top/tracks",
            {
                **self._page_query(limit, offset),
                "time_range": TimeRange(time_range).value,
            },
        )

    async def save_to_library(self, uris: Sequence[str]) -> None:
        """Save tracks, albums, episodes, shows... to the library, by URI."""
        for chunk in _chunks(uris):
            await self._call(hdrs.METH_PUT, "/me/library", params=_query(uris=chunk))

    async def remove_from_library(self, uris: Sequence[str]) -> None:
        """Remove items from the library, by URI."""
        for chunk in _chunks(uris):
            await self._call(hdrs.METH_DELETE, "/me/library", params=_query(uris=chunk))

    async def library_contains(self, uris: Sequence[str]) -> list[bool]:
        """Return, for each URI, whether it is in the user's library."""
        found: list[bool] = []
        for chunk in _chunks(uris):
            data = await self._get_json("/me/library/contains", _query(uris=chunk))
            if (
                not isinstance(data, list)
                or not all(isinstance(value, bool) for value in data)
                or len(data) != chunk.count(",") + 1
            ):
                raise SpotifyMalformedResponseError("Expected a list of booleans")
            found += data
        return found

    # Catalogue

    async def search(
        self,
        query: str,
        types: Sequence[SearchType],
        *,
        limit: int = 10,
        offset: int = 0,
    ) -> SearchResult:
        """Search the catalogue (Spotify caps `limit` at 10 since February 2026).

        Spotify serves no results beyond offset 1000: a larger one raises ValueError.
        """
        if offset > MAX_SEARCH_OFFSET:
            msg = f"Spotify search offsets end at {MAX_SEARCH_OFFSET}"
            raise ValueError(msg)
        return await self._get(
            SearchResult,
            "/search",
            {
                "q": query,
                "type": ",".join(SearchType(kind).value for kind in types),
                **self._page_query(limit, offset, MAX_SEARCH_LIMIT),
            },
        )

    async def get_album(self, album_id: str) -> Album:
        """Return an album with its first page of tracks."""
        return await self._get(Album, f"/albums/{_id(album_id)}")

    async def get_artist(self, artist_id: str) -> Artist:
        """Return an artist (name, images, genres)."""
        return await self._get(Artist, f"/artists/{_id(artist_id)}")

    async def get_artist_albums(
        self, artist_id: str, *, limit: int = 10, offset: int = 0
    ) -> Page[SimplifiedAlbum]:
        """Return a page of an artist's albums."""
        return await self._get(
            SimplifiedAlbumPage,
            f"/artists/{_id(artist_id)}/albums",
            self._page_query(limit, offset, MAX_ARTIST_ALBUMS_LIMIT),
        )

    async def get_show(self, show_id: str) -> Show:
        """Return a show with its first page of episodes."""
        return await self._get(Show, f"/shows/{_id(show_id)}")

    async def get_show_episodes(
        self, show_id: str, *, limit: int = 50, offset: int = 0
    ) -> Page[SimplifiedEpisode]:
        """Return a page of a show's episodes."""
        return await self._get(
            SimplifiedEpisodePage,
            f"/shows/{_id(show_id)}/episodes",
            self._page_query(limit, offset),
        )

    # Paging

    async def collect[M: SpotifyModel](
        self,
        first_page: Page[M] | CursorPage[M],
        item_type: type[M],
        *,
        max_items: int,
    ) -> list[M]:
        """Return up to `max_items` items, following `next` links from `first_page`."""
        items: list[M] = list(first_page.items[:max_items])
        next_url = first_page.next
        seen: set[str] = set()
        while next_url and len(items) < max_items and next_url not in seen:
            seen.add(next_url)
            page = _unwrap_page(await self._get_json(self._resolve_next(next_url)))
            raw_items = page.get("items")
            raw_next = page.get("next")
            if not isinstance(raw_items, list) or not isinstance(raw_next, str | None):
                raise SpotifyMalformedResponseError("Unexpected page in response")
            if not raw_items:
                break
            items.extend(_parse(item_type, raw) for raw in raw_items if raw is not None)
            next_url = raw_next
        return items[:max_items]
