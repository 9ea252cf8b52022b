"""Asynchronous client for the Spotify Web API: one method per endpoint.

Requests, tokens, rate limits and paging: transport.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import hdrs

from .catalogue import (
    Album,
    Artist,
    ArtistPage,
    FollowedArtistsResponse,
    Playlist,
    PlaylistItem,
    PlaylistItemPage,
    PlaylistPage,
    SavedAlbum,
    SavedAlbumPage,
    SavedShow,
    SavedShowPage,
    SavedTrack,
    SavedTrackPage,
    SearchResult,
    Show,
    SimplifiedAlbum,
    SimplifiedAlbumPage,
    SimplifiedEpisode,
    SimplifiedEpisodePage,
    SimplifiedPlaylist,
    Track,
    TrackPage,
)
from .const import (
    ADDITIONAL_TYPES,
    MAX_ARTIST_ALBUMS_LIMIT,
    MAX_PAGE_LIMIT,
    MAX_SEARCH_LIMIT,
    MAX_SEARCH_OFFSET,
)
from .errors import SpotifyForbiddenError, SpotifyPlaylistItemsForbiddenError
from .model_base import CursorPage, Page, RepeatMode, SearchType, TimeRange, UserProfile
from .models import (
    Device,
    DevicesResponse,
    PlaybackState,
    PlayHistory,
    PlayHistoryPage,
    Queue,
)
from .transport import (
    SpotifyTransport,
    _chunks,
    _clamp,
    _id,
    _page_query,
    _parse,
    _query,
)

if TYPE_CHECKING:
    from collections.abc import Sequence


class SpotifyClient(SpotifyTransport):
    """Spotify Web API client for one account: one method per endpoint.

    Sessions, tokens and the rate limit work as SpotifyTransport describes.
    """

    # User and player

    async def get_current_user(self) -> UserProfile:
        """Return the profile of the current user."""
        return await self._get(UserProfile, "/me")

    async def get_playback_state(self) -> PlaybackState | None:
        """Return the player state, or None when nothing is playing anywhere.

        Only a 204 says "nothing playing": an empty or undecodable 200 is a broken
        answer (SpotifyMalformedResponseError), not an idle player.
        """
        status, content = await self._request(
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
            PlaylistPage, "/me/playlists", _page_query(limit, offset)
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
                    **_page_query(limit, offset),
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

    async def get_saved_tracks(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SavedTrack]:
        """Return the user's saved tracks."""
        return await self._get(SavedTrackPage, "/me/tracks", _page_query(limit, offset))

    async def get_saved_albums(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SavedAlbum]:
        """Return the user's saved albums."""
        return await self._get(SavedAlbumPage, "/me/albums", _page_query(limit, offset))

    async def get_saved_shows(
        self, *, limit: int = 50, offset: int = 0
    ) -> Page[SavedShow]:
        """Return the shows the user follows."""
        return await self._get(SavedShowPage, "/me/shows", _page_query(limit, offset))

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
        return await self._get_top(ArtistPage, "artists", limit, offset, time_range)

    async def get_top_tracks(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        time_range: TimeRange = TimeRange.MEDIUM_TERM,
    ) -> Page[Track]:
        """Return the user's top tracks."""
        return await self._get_top(TrackPage, "tracks", limit, offset, time_range)

    async def _get_top[P: Page[Any]](
        self, page: type[P], kind: str, limit: int, offset: int, time_range: TimeRange
    ) -> P:
        query = _page_query(limit, offset)
        query["time_range"] = TimeRange(time_range).value
        return await self._get(page, f"/me/top/{kind}", query)

    async def save_to_library(self, uris: Sequence[str]) -> None:
        """Save tracks, albums, episodes, shows... to the library, by URI."""
        for chunk in _chunks(uris):
            await self._call(hdrs.METH_PUT, "/me/library", params=_query(uris=chunk))

    async def remove_from_library(self, uris: Sequence[str]) -> None:
        """Remove items from the library, by URI."""
        for chunk in _chunks(uris):
            await self._call(hdrs.METH_DELETE, "/me/library", params=_query(uris=chunk))

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
                **_page_query(limit, offset, MAX_SEARCH_LIMIT),
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
            _page_query(limit, offset, MAX_ARTIST_ALBUMS_LIMIT),
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
            _page_query(limit, offset),
        )
