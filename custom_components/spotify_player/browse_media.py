"""Browse the account's library (search: search_media.py).

Items carry their Spotify URI as media_content_id, so whatever the browser shows can be
played as is (nodes: browse_nodes.py); library folders use
`spotify_player://library/<folder>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.media_player import (
    BrowseError,
    BrowseMedia,
    MediaClass,
    MediaType,
)
from homeassistant.helpers.translation import LOCALE_EN, async_get_translations
from homeassistant.util.hass_dict import HassKey

from .api import Artist, SavedAlbum, SavedShow, SimplifiedPlaylist, SpotifyClient, Track
from .browse_listings import ITEM_LISTERS, MAX_BROWSE_ITEMS, Listing, list_liked_songs
from .browse_nodes import (
    album_node,
    artist_node,
    media_node,
    playlist_node,
    show_node,
    track_node,
)
from .const import DOMAIN
from .errors import spotify_errors
from .uri import BROWSE_SCHEME, to_spotify_uri, uri_id, uri_type

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from homeassistant.core import HomeAssistant

    from .api import CursorPage, Page, SpotifyModel, UserProfile
    from .coordinator import SpotifyPlaybackCoordinator

LIBRARY_ROOT: Final = f"{BROWSE_SCHEME}://library"
MEDIA_TYPE_LIBRARY: Final = "library"


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


async def _collected[M: SpotifyModel](
    client: SpotifyClient,
    first_page: Page[M] | CursorPage[M],
    model: type[M],
    node: Callable[[M], BrowseMedia],
) -> Listing:
    """Follow a folder's pages up to MAX_BROWSE_ITEMS and present each item."""
    items = await client.collect(first_page, model, max_items=MAX_BROWSE_ITEMS)
    return Listing(
        children=[node(item) for item in items],
        total=first_page.total or len(items),
    )


async def _list_folder(client: SpotifyClient, folder: Folder) -> Listing:
    """Fetch one library folder, following pages up to MAX_BROWSE_ITEMS."""
    if folder is Folder.RECENTLY_PLAYED:
        history = await client.get_recently_played(limit=50)
        seen: dict[str, BrowseMedia] = {}
        for entry in history.items:
            seen.setdefault(entry.track.uri, track_node(entry.track))
        return Listing(children=list(seen.values()), total=len(seen))
    source = FOLDER_SOURCES[folder]
    return await _collected(
        client, await source.first_page(client), source.model, source.node
    )


@dataclass(frozen=True, slots=True)
class FolderSource[M: SpotifyModel]:
    """Where a library folder's items come from, and how each is shown."""

    first_page: Callable[[SpotifyClient], Awaitable[Page[M] | CursorPage[M]]]
    model: type[M]
    node: Callable[[M], BrowseMedia]


def _saved_album_node(saved: SavedAlbum) -> BrowseMedia:
    return album_node(saved.album)


def _saved_show_node(saved: SavedShow) -> BrowseMedia:
    return show_node(saved.show)


FOLDER_SOURCES: Final[dict[Folder, FolderSource[Any]]] = {
    Folder.PLAYLISTS: FolderSource(
        SpotifyClient.get_my_playlists, SimplifiedPlaylist, playlist_node
    ),
    Folder.ALBUMS: FolderSource(
        SpotifyClient.get_saved_albums, SavedAlbum, _saved_album_node
    ),
    Folder.ARTISTS: FolderSource(
        SpotifyClient.get_followed_artists, Artist, artist_node
    ),
    Folder.PODCASTS: FolderSource(
        SpotifyClient.get_saved_shows, SavedShow, _saved_show_node
    ),
    Folder.TOP_TRACKS: FolderSource(
        lambda client: client.get_top_tracks(limit=50), Track, track_node
    ),
    Folder.TOP_ARTISTS: FolderSource(
        lambda client: client.get_top_artists(limit=50), Artist, artist_node
    ),
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
                listing = await list_liked_songs(client, uri)
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
