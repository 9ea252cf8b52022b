"""Browse the account's library (search: search_media.py).

Items carry their Spotify URI as media_content_id, so whatever the browser shows can be
played as is (nodes: presenter.py); library folders use
`spotify_player://library/<folder>`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from homeassistant.components.media_player import (
    BrowseError,
    BrowseMedia,
    MediaClass,
    MediaType,
)
from homeassistant.helpers.translation import LOCALE_EN, async_get_translations
from homeassistant.util.hass_dict import HassKey

from .api import (
    Album,
    Artist,
    PlaylistItem,
    SavedAlbum,
    SavedShow,
    SavedTrack,
    SimplifiedAlbum,
    SimplifiedEpisode,
    SimplifiedPlaylist,
    SimplifiedTrack,
    SpotifyPlaylistItemsForbiddenError,
    Track,
)
from .const import DOMAIN
from .errors import spotify_errors
from .presenter import (
    album_node,
    artist_node,
    episode_node,
    image_url,
    media_node,
    playable_node,
    playlist_node,
    show_node,
    track_node,
)
from .uri import BROWSE_SCHEME, to_spotify_uri, uri_id, uri_type

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .api import SpotifyClient, UserProfile
    from .coordinator import SpotifyPlaybackCoordinator

LIBRARY_ROOT: Final = f"{BROWSE_SCHEME}://library"
MEDIA_TYPE_LIBRARY: Final = "library"
# Large libraries are cut here; the browser says how many are not shown.
MAX_BROWSE_ITEMS: Final = 200
MAX_ARTIST_ALBUMS: Final = 50


class Folder(StrEnum):
    """Top-level folders of the library."""

    PLAYLISTS = "playlists"
    ALBUMS = "albums"
    ARTISTS = "artists"
    PODCASTS = "podcasts"
    RECENTLY_PLAYED = "recently_played"
    TOP_TRACKS = "top_tracks"
    TOP_ARTISTS = "top_artists"


class Title(StrEnum):
    """Fixed titles besides the folders'."""

    LIBRARY = "library"
    LIKED_SONGS = "liked_songs"
    PLAYLIST_CONTENTS_HIDDEN = "playlist_contents_hidden"


# The browser's fixed titles live in strings.json under
# selector.browse_category.options, one per Title and Folder value.
TITLE_KEYS: Final[tuple[str, ...]] = (*Title, *Folder)
TITLE_PREFIX: Final = f"component.{DOMAIN}.selector.browse_category.options."
TITLES_CACHE: HassKey[dict[str, Mapping[str, str]]] = HassKey(f"{DOMAIN}_browse_titles")
FOLDER_CHILDREN: Final = {
    Folder.PLAYLISTS: MediaClass.PLAYLIST,
    Folder.ALBUMS: MediaClass.ALBUM,
    Folder.ARTISTS: MediaClass.ARTIST,
    Folder.PODCASTS: MediaClass.PODCAST,
    Folder.RECENTLY_PLAYED: MediaClass.TRACK,
    Folder.TOP_TRACKS: MediaClass.TRACK,
    Folder.TOP_ARTISTS: MediaClass.ARTIST,
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Listing:
    """Children of a node, how many exist in all, and the node's own details."""

    children: list[BrowseMedia]
    total: int
    title: str | None = None
    thumbnail: str | None = None
    contents_hidden: bool = False
    """Spotify does not list the items (a playlist in Development Mode)."""


async def async_get_titles(hass: HomeAssistant) -> Mapping[str, str]:
    """Return the browser's fixed titles in Home Assistant's language.

    Cached per language once complete. A key the language lacks falls back to
    English; a key missing even there (a broken install) shows as the key.
    """
    language = hass.config.language
    cache = hass.data.setdefault(TITLES_CACHE, {})
    if (cached := cache.get(language)) is not None:
        return cached
    strings = await async_get_translations(hass, language, "selector", [DOMAIN])
    if language != LOCALE_EN and any(
        TITLE_PREFIX + k not in strings for k in TITLE_KEYS
    ):
        english = await async_get_translations(hass, LOCALE_EN, "selector", [DOMAIN])
        strings = {**english, **strings}
    titles = {key: strings.get(TITLE_PREFIX + key, key) for key in TITLE_KEYS}
    if all(TITLE_PREFIX + key in strings for key in TITLE_KEYS):
        cache[language] = titles
    return titles


def _folder_id(folder: Folder) -> str:
    return f"{LIBRARY_ROOT}/{folder}"


# Nodes


def _folder_node(folder: Folder, titles: Mapping[str, str]) -> BrowseMedia:
    return BrowseMedia(
        media_class=MediaClass.DIRECTORY,
        media_content_id=_folder_id(folder),
        media_content_type=MEDIA_TYPE_LIBRARY,
        title=titles[folder],
        can_play=False,
        can_expand=True,
        children_media_class=FOLDER_CHILDREN[folder],
    )


def _liked_songs_node(user: UserProfile, titles: Mapping[str, str]) -> BrowseMedia:
    node = media_node(
        MediaClass.PLAYLIST,
        MediaType.PLAYLIST,
        f"spotify:user:{user.id}:collection",
        titles[Title.LIKED_SONGS],
        None,
        can_expand=True,
    )
    node.children_media_class = MediaClass.TRACK
    return node


def _root(user: UserProfile, titles: Mapping[str, str]) -> BrowseMedia:
    folders = [_folder_node(folder, titles) for folder in Folder]
    return BrowseMedia(
        media_class=MediaClass.DIRECTORY,
        media_content_id=LIBRARY_ROOT,
        media_content_type=MEDIA_TYPE_LIBRARY,
        title=titles[Title.LIBRARY],
        can_play=False,
        can_expand=True,
        children=[folders[0], _liked_songs_node(user, titles), *folders[1:]],
        children_media_class=MediaClass.DIRECTORY,
        can_search=True,
    )


# Listings


async def _list_folder(client: SpotifyClient, folder: Folder) -> Listing:
    """Fetch one library folder, following pages up to MAX_BROWSE_ITEMS."""
    match folder:
        case Folder.PLAYLISTS:
            page = await client.get_my_playlists()
            playlists = await client.collect(
                page, SimplifiedPlaylist, max_items=MAX_BROWSE_ITEMS
            )
            return Listing(
                children=[playlist_node(p) for p in playlists], total=page.total
            )
        case Folder.ALBUMS:
            albums_page = await client.get_saved_albums()
            saved = await client.collect(
                albums_page, SavedAlbum, max_items=MAX_BROWSE_ITEMS
            )
            return Listing(
                children=[album_node(s.album) for s in saved], total=albums_page.total
            )
        case Folder.ARTISTS:
            cursor_page = await client.get_followed_artists()
            artists = await client.collect(
                cursor_page, Artist, max_items=MAX_BROWSE_ITEMS
            )
            return Listing(
                children=[artist_node(a) for a in artists],
                total=cursor_page.total or len(artists),
            )
        case Folder.PODCASTS:
            shows_page = await client.get_saved_shows()
            shows = await client.collect(
                shows_page, SavedShow, max_items=MAX_BROWSE_ITEMS
            )
            return Listing(
                children=[show_node(s.show) for s in shows], total=shows_page.total
            )
        case Folder.RECENTLY_PLAYED:
            history = await client.get_recently_played(limit=50)
            seen: dict[str, BrowseMedia] = {}
            for entry in history.items:
                seen.setdefault(entry.track.uri, track_node(entry.track))
            return Listing(children=list(seen.values()), total=len(seen))
        case Folder.TOP_TRACKS:
            tracks_page = await client.get_top_tracks(limit=50)
            tracks = await client.collect(
                tracks_page, Track, max_items=MAX_BROWSE_ITEMS
            )
            return Listing(
                children=[track_node(t) for t in tracks], total=tracks_page.total
            )
        case Folder.TOP_ARTISTS:
            top_page = await client.get_top_artists(limit=50)
            top = await client.collect(top_page, Artist, max_items=MAX_BROWSE_ITEMS)
            return Listing(children=[artist_node(a) for a in top], total=top_page.total)


async def _list_liked_songs(client: SpotifyClient, uri: str) -> Listing:
    page = await client.get_saved_tracks()
    saved = await client.collect(page, SavedTrack, max_items=MAX_BROWSE_ITEMS)
    children = [track_node(s.track, context_uri=uri) for s in saved]
    return Listing(children=children, total=page.total)


async def _list_playlist(client: SpotifyClient, playlist_id: str) -> Listing:
    playlist = await client.get_playlist(playlist_id)
    entries: list[PlaylistItem] = []
    total = 0
    if (embedded := playlist.items) is not None:
        entries, total = embedded.items[:MAX_BROWSE_ITEMS], embedded.total
    if embedded is None or (embedded.next and len(entries) < MAX_BROWSE_ITEMS):
        # The embedded page's `next` asks for 100 items, more than the items
        # endpoint allows; continue with pages of our own instead.
        try:
            page = await client.get_playlist_items(playlist_id, offset=len(entries))
        except SpotifyPlaylistItemsForbiddenError:
            # Development Mode: only playlists the user owns or collaborates on
            # are listed; Spotify still plays the others as a whole.
            return Listing(
                children=[],
                total=0,
                title=playlist.name,
                thumbnail=image_url(playlist.images),
                contents_hidden=True,
            )
        more = MAX_BROWSE_ITEMS - len(entries)
        entries += await client.collect(page, PlaylistItem, max_items=more)
        total = page.total
    context_uri = playlist.uri
    children = [
        node
        for e in entries
        if (node := playable_node(e.item, context_uri)) is not None
    ]
    return Listing(
        children=children,
        total=total - (len(entries) - len(children)),
        title=playlist.name,
        thumbnail=image_url(playlist.images),
    )


async def _list_album(client: SpotifyClient, album_id: str) -> Listing:
    album: Album = await client.get_album(album_id)
    thumbnail = image_url(album.images)
    tracks: list[SimplifiedTrack] = []
    total = 0
    if album.tracks is not None:
        total = album.tracks.total
        tracks = await client.collect(
            album.tracks, SimplifiedTrack, max_items=MAX_BROWSE_ITEMS
        )
    return Listing(
        children=[track_node(t, thumbnail, context_uri=album.uri) for t in tracks],
        total=total,
        title=album.name,
        thumbnail=thumbnail,
    )


async def _list_artist(client: SpotifyClient, artist_id: str) -> Listing:
    # The albums need not name the artist, so its own lookup gives title and art.
    # Both requests run at once and both finish, even when one fails.
    artist, page = await asyncio.gather(
        client.get_artist(artist_id),
        client.get_artist_albums(artist_id),
        return_exceptions=True,
    )
    if isinstance(artist, BaseException):
        raise artist
    if isinstance(page, BaseException):
        raise page
    albums = await client.collect(page, SimplifiedAlbum, max_items=MAX_ARTIST_ALBUMS)
    return Listing(
        children=[album_node(a) for a in albums],
        total=page.total,
        title=artist.name,
        thumbnail=image_url(artist.images),
    )


async def _list_show(client: SpotifyClient, show_id: str) -> Listing:
    # The show carries its first page of episodes; no second request for those.
    show = await client.get_show(show_id)
    thumbnail = image_url(show.images)
    page = show.episodes or await client.get_show_episodes(show_id)
    episodes = await client.collect(page, SimplifiedEpisode, max_items=MAX_BROWSE_ITEMS)
    return Listing(
        children=[episode_node(e, thumbnail) for e in episodes],
        total=page.total,
        title=show.name,
        thumbnail=thumbnail,
    )


ItemLister = Callable[["SpotifyClient", str], Awaitable[Listing]]
ITEM_LISTERS: Final[dict[str, tuple[ItemLister, MediaClass, str]]] = {
    "playlist": (_list_playlist, MediaClass.PLAYLIST, MediaType.PLAYLIST),
    "album": (_list_album, MediaClass.ALBUM, MediaType.ALBUM),
    "artist": (_list_artist, MediaClass.ARTIST, MediaType.ARTIST),
    "show": (_list_show, MediaClass.PODCAST, MediaType.PODCAST),
}


def _unknown(media_content_id: str) -> BrowseError:
    return BrowseError(
        translation_domain=DOMAIN,
        translation_key="browse_unknown",
        translation_placeholders={"media_content_id": media_content_id},
    )


async def async_browse_media(
    coordinator: SpotifyPlaybackCoordinator,
    user: UserProfile,
    media_content_type: str | None,
    media_content_id: str | None,
) -> BrowseMedia:
    """Return the library root, a library folder, or a playlist/album/artist/show."""
    titles = await async_get_titles(coordinator.hass)
    if not media_content_id or media_content_id == LIBRARY_ROOT:
        return _root(user, titles)
    client = coordinator.client
    with spotify_errors(coordinator.hass, coordinator.config_entry):
        if media_content_id.startswith(f"{LIBRARY_ROOT}/"):
            try:
                folder = Folder(media_content_id.removeprefix(f"{LIBRARY_ROOT}/"))
            except ValueError as err:
                raise _unknown(media_content_id) from err
            listing = await _list_folder(client, folder)
            node = _folder_node(folder, titles)
            node.can_play = False
        else:
            try:
                uri = to_spotify_uri(media_content_id)
            except ValueError as err:
                raise _unknown(media_content_id) from err
            kind = uri_type(uri)
            if kind == "collection":
                listing = await _list_liked_songs(client, uri)
                node = _liked_songs_node(user, titles)
            elif kind in ITEM_LISTERS:
                lister, media_class, media_type = ITEM_LISTERS[kind]
                listing = await lister(client, uri_id(uri))
                node = media_node(
                    media_class,
                    media_type,
                    uri,
                    listing.title or media_content_type or kind,
                    listing.thumbnail,
                    can_expand=True,
                )
            else:
                raise _unknown(media_content_id)
    if listing.contents_hidden:
        # One playable item that says why the tracks are missing.
        listing = Listing(
            children=[
                media_node(
                    MediaClass.PLAYLIST,
                    MediaType.PLAYLIST,
                    node.media_content_id,
                    titles[Title.PLAYLIST_CONTENTS_HIDDEN],
                    node.thumbnail,
                    can_expand=False,
                )
            ],
            total=1,
        )
    node.children = listing.children
    node.not_shown = max(0, listing.total - len(listing.children))
    return node
