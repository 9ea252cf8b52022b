"""Browsing the library and searching the catalogue through the websocket API.

Snapshots hold a projection of the nodes onto the fields this integration sets, so
one snapshot set holds for every supported Home Assistant version (newer versions
add fields of their own, e.g. search_media_classes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.helpers import translation
import pytest

from custom_components.spotify_player import browse_media
from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import FaultKind, seed
from tests.helpers import ENTITY_ID, STRINGS, call_player

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import (
        MockHAClientWebSocket,
        WebSocketGenerator,
    )
    from syrupy.assertion import SnapshotAssertion

    from spotify_emulator import EmulatorServer, World

ROOT = "spotify_player://library"
# Large listings are snapshotted by their head; the rest is counted.
HEAD = 3
# The node fields this integration controls; a parent adds paging and children.
NODE_FIELDS = (
    "title",
    "media_class",
    "media_content_type",
    "media_content_id",
    "children_media_class",
    "can_play",
    "can_expand",
    "can_search",
    "thumbnail",
)
TITLE_STRINGS: dict[str, str] = STRINGS["selector"]["browse_category"]["options"]
# Titles of the root and its children (the note of hidden playlist items is not one).
ROOT_TITLES = {
    key: title
    for key, title in TITLE_STRINGS.items()
    if key != "playlist_contents_hidden"
}


def _project(node: dict[str, Any], url: str) -> dict[str, Any]:
    """Return the fields we control, the emulator's address (a random port) replaced."""
    projected: dict[str, Any] = {key: node[key] for key in NODE_FIELDS}
    if projected["thumbnail"]:
        projected["thumbnail"] = projected["thumbnail"].replace(url, "http://emulator")
    if "children" in node:
        projected["not_shown"] = node["not_shown"]
        projected["children"] = [_project(child, url) for child in node["children"]]
    return projected


@dataclass(frozen=True, kw_only=True, slots=True)
class Browser:
    """The media browser of the account's entity, over the websocket API."""

    client: MockHAClientWebSocket
    emulator_url: str

    async def send(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a command about the entity and return the raw response."""
        await self.client.send_json_auto_id({"entity_id": ENTITY_ID, **message})
        response: dict[str, Any] = await self.client.receive_json()
        return response

    async def browse(
        self, content_id: str | None = None, content_type: str = ""
    ) -> dict[str, Any]:
        """Browse a node (the root without an id)."""
        message: dict[str, Any] = {"type": "media_player/browse_media"}
        if content_id is not None:
            message |= {
                "media_content_id": content_id,
                "media_content_type": content_type,
            }
        response = await self.send(message)
        assert response["success"], response
        return _project(response["result"], self.emulator_url)

    async def search(self, **query: Any) -> list[dict[str, Any]]:
        """Search and return the result nodes."""
        response = await self.send({"type": "media_player/search_media", **query})
        assert response["success"], response
        return [_project(r, self.emulator_url) for r in response["result"]["result"]]


@pytest.fixture
async def browser(
    hass: HomeAssistant,
    spotify_env: EmulatorServer,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> Browser:
    """Return the media browser of a Home Assistant with the account set up.

    The account comes first: it moves the frozen clock to the emulator's start, and
    the websocket's access token must not be issued in that time's future.
    """
    return Browser(client=await hass_ws_client(hass), emulator_url=spotify_env.url)


def _head(node: dict[str, Any]) -> dict[str, Any]:
    """Return the node with its first children only, and how many there were."""
    return node | {"children": node["children"][:HEAD], "count": len(node["children"])}


async def test_root(browser: Browser, snapshot: SnapshotAssertion) -> None:
    """The root lists the library folders without asking Spotify anything."""
    assert await browser.browse() == snapshot
    assert await browser.browse(ROOT, "library") == await browser.browse()


def _titles(root: dict[str, Any]) -> dict[str, str]:
    """Return the root's title and its children's, by translation key."""
    keys = {f"{ROOT}/{folder}": folder for folder in browse_media.Folder} | {
        f"spotify:user:{seed.PREMIUM_USER_ID}:collection": "liked_songs"
    }
    return {"library": root["title"]} | {
        keys[child["media_content_id"]]: child["title"] for child in root["children"]
    }


async def test_titles_come_from_translations(
    hass: HomeAssistant, browser: Browser
) -> None:
    """Every fixed title is a browse_category string Home Assistant loads."""
    assert set(TITLE_STRINGS) == set(browse_media.TITLE_KEYS)
    loaded = await translation.async_get_translations(hass, "en", "selector", [DOMAIN])
    prefix = f"component.{DOMAIN}.selector.browse_category.options."
    assert _titles(await browser.browse()) == {
        key: loaded[prefix + key] for key in ROOT_TITLES
    }
    assert _titles(await browser.browse()) == ROOT_TITLES


async def test_titles_follow_the_language(
    hass: HomeAssistant, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Titles come in Home Assistant's language, once per language; gaps are English."""
    real = translation.async_get_translations
    prefix = f"component.{DOMAIN}.selector.browse_category.options."
    german = {
        prefix + "playlists": "Wiedergabelisten",
        prefix + "library": "Bibliothek",
    }
    loads: list[str] = []
    broken = False

    async def fake(
        hass: HomeAssistant, language: str, category: str, integrations: Iterable[str]
    ) -> dict[str, str]:
        loads.append(language)
        if broken:
            return {}  # as if no translation could be loaded, not even English
        if language == "de":
            return german
        return await real(hass, language, category, integrations)

    monkeypatch.setattr(browse_media, "async_get_translations", fake)
    hass.config.language = "de"
    titles = _titles(await browser.browse())
    assert titles == ROOT_TITLES | {
        "playlists": "Wiedergabelisten",
        "library": "Bibliothek",
    }
    liked = await browser.browse(
        f"spotify:user:{seed.PREMIUM_USER_ID}:collection", "playlist"
    )
    assert liked["title"] == TITLE_STRINGS["liked_songs"]
    assert loads == ["de", "en"]  # German, English for the gaps, then cached

    hass.config.language = "en"
    assert _titles(await browser.browse()) == ROOT_TITLES
    assert loads == ["de", "en", "en"]

    # Nothing loadable: the keys show, and the next browse tries again.
    broken = True
    hass.config.language = "fr"
    assert _titles(await browser.browse()) == {key: key for key in ROOT_TITLES}
    await browser.browse()
    assert loads[3:] == ["fr", "en", "fr", "en"]


@pytest.mark.parametrize(
    ("folder", "count"),
    [
        ("playlists", seed.PREMIUM_PLAYLIST_COUNT),
        ("albums", 12),
        ("artists", 60),
        ("podcasts", 4),
        ("top_tracks", 60),
        ("top_artists", 40),
    ],
)
async def test_library_folders(
    browser: Browser, snapshot: SnapshotAssertion, folder: str, count: int
) -> None:
    """Folders list everything, following Spotify's pages beyond 50 items."""
    node = await browser.browse(f"{ROOT}/{folder}", "library")
    assert len(node["children"]) == count
    assert node["not_shown"] == 0
    assert _head(node) == snapshot


async def test_recently_played(browser: Browser, snapshot: SnapshotAssertion) -> None:
    """Recently played tracks, each once."""
    node = await browser.browse(f"{ROOT}/recently_played", "library")
    ids = [child["media_content_id"] for child in node["children"]]
    assert ids
    assert len(ids) == len(set(ids))
    assert _head(node) == snapshot


async def test_liked_songs(browser: Browser, snapshot: SnapshotAssertion) -> None:
    """Liked songs can be played as a whole and opened (130 tracks, 3 pages)."""
    node = await browser.browse(
        f"spotify:user:{seed.PREMIUM_USER_ID}:collection", "playlist"
    )
    assert node["can_play"]
    assert len(node["children"]) == 130
    assert _head(node) == snapshot


async def test_big_playlist(browser: Browser, snapshot: SnapshotAssertion) -> None:
    """A playlist of 120 tracks shows them all, each playable, none expandable."""
    node = await browser.browse(f"spotify:playlist:{seed.BIG_PLAYLIST_ID}", "playlist")
    assert node["title"] == "Everything Long"
    assert len(node["children"]) == 120
    assert all(c["can_play"] and not c["can_expand"] for c in node["children"])
    assert _head(node) == snapshot


async def test_mixed_playlist(browser: Browser, snapshot: SnapshotAssertion) -> None:
    """Tracks and episodes side by side."""
    node = await browser.browse(
        f"spotify:playlist:{seed.MIXED_PLAYLIST_ID}", "playlist"
    )
    assert {c["media_class"] for c in node["children"]} == {"track", "episode"}
    assert node == snapshot


async def test_empty_playlist(browser: Browser) -> None:
    """An empty playlist is an empty node."""
    node = await browser.browse(
        f"spotify:playlist:{seed.EMPTY_PLAYLIST_ID}", "playlist"
    )
    assert node["children"] == []
    assert node["title"] == "Nothing Yet"


async def test_followed_playlist_in_development_mode(
    browser: Browser, emulator_world: World
) -> None:
    """Spotify lists no items of a followed playlist: one playable item says why."""
    uri = f"spotify:playlist:{seed.CURATED_PLAYLIST_ID}"
    node = await browser.browse(uri, "playlist")
    assert node["title"] == "Curator's Picks"
    assert node["not_shown"] == 0
    assert node["children"] == [
        {
            "title": TITLE_STRINGS["playlist_contents_hidden"],
            "media_class": "playlist",
            "media_content_type": "playlist",
            "media_content_id": uri,
            "children_media_class": None,
            "can_play": True,
            "can_expand": False,
            "can_search": False,
            "thumbnail": node["thumbnail"],
        }
    ]
    # Outside Development Mode the same playlist lists its tracks.
    emulator_world.config.development_mode = False
    node = await browser.browse(uri, "playlist")
    assert len(node["children"]) == 20


async def test_album_artist_show(
    browser: Browser, emulator_world: World, snapshot: SnapshotAssertion
) -> None:
    """Drill into an album, an artist (its albums) and a show (its episodes)."""
    catalogue = emulator_world.catalogue
    album = sorted(catalogue.albums)[0]
    artist = catalogue.albums[album].artist_ids[0]
    show = sorted(catalogue.shows)[0]
    album_node = await browser.browse(f"spotify:album:{album}", "album")
    start = len(emulator_world.request_log)
    artist_node = await browser.browse(f"spotify:artist:{artist}", "artist")
    show_node = await browser.browse(f"spotify:show:{show}", "podcast")
    # The artist and the show are looked up for their title and picture; the
    # show brings its episodes along.
    assert sorted(e.path for e in emulator_world.request_log.entries[start:]) == [
        f"/v1/artists/{artist}",
        f"/v1/artists/{artist}/albums",
        f"/v1/shows/{show}",
    ]
    assert artist_node["title"] == catalogue.artists[artist].name
    assert show_node["title"] == catalogue.shows[show].name
    assert artist_node["thumbnail"]
    assert show_node["thumbnail"]
    assert len(show_node["children"]) == len(catalogue.shows[show].episode_ids)
    assert all(
        c["thumbnail"] == album_node["thumbnail"] for c in album_node["children"]
    )
    assert {c["media_class"] for c in artist_node["children"]} == {"album"}
    assert all(c["can_expand"] for c in artist_node["children"])
    assert {c["media_class"] for c in show_node["children"]} == {"episode"}
    assert {
        "album": album_node,
        "artist": _head(artist_node),
        "show": _head(show_node),
    } == snapshot


async def test_long_show(browser: Browser, emulator_world: World) -> None:
    """A show brings its first 50 episodes along; the rest are paged."""
    show = max(
        emulator_world.catalogue.shows.values(), key=lambda s: len(s.episode_ids)
    )
    assert len(show.episode_ids) > 50
    start = len(emulator_world.request_log)
    node = await browser.browse(f"spotify:show:{show.id}", "podcast")
    assert [c["media_content_id"] for c in node["children"]] == [
        f"spotify:episode:{e}" for e in show.episode_ids
    ]
    assert node["not_shown"] == 0
    assert [e.path for e in emulator_world.request_log.entries[start:]] == [
        f"/v1/shows/{show.id}",
        f"/v1/shows/{show.id}/episodes",
    ]


async def test_show_without_episodes_inline(
    browser: Browser, emulator_world: World
) -> None:
    """A show that does not carry its episodes has them fetched page by page."""
    show = emulator_world.catalogue.shows[sorted(emulator_world.catalogue.shows)[1]]
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix=f"/v1/shows/{show.id}",
        status=200,
        body={"id": show.id, "name": "Bare Show", "uri": f"spotify:show:{show.id}"},
    )
    node = await browser.browse(f"spotify:show:{show.id}", "podcast")
    assert (node["title"], node["thumbnail"]) == ("Bare Show", None)
    assert len(node["children"]) == len(show.episode_ids)
    assert emulator_world.request_log.entries[-1].path == (
        f"/v1/shows/{show.id}/episodes"
    )


@pytest.mark.parametrize("kind", ["artist", "show"])
async def test_unknown_artist_or_show(browser: Browser, kind: str) -> None:
    """An artist or show Spotify does not know is a translated not-found error."""
    response = await browser.send(
        {
            "type": "media_player/browse_media",
            "media_content_id": f"spotify:{kind}:{'0' * 22}",
            "media_content_type": kind,
        }
    )
    assert not response["success"]
    assert response["error"]["translation_key"] == "not_found"


async def test_artist_albums_failing(browser: Browser, emulator_world: World) -> None:
    """The artist's albums failing fails the browse, though the artist was found."""
    artist = sorted(emulator_world.catalogue.artists)[0]
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix=f"/v1/artists/{artist}/albums", status=503
    )
    response = await browser.send(
        {
            "type": "media_player/browse_media",
            "media_content_id": f"spotify:artist:{artist}",
            "media_content_type": "artist",
        }
    )
    assert not response["success"]
    assert response["error"]["translation_key"] == "server_error"
    assert emulator_world.request_log.count(path=f"/v1/artists/{artist}") == 1


@pytest.mark.parametrize(
    "content_id",
    [f"{ROOT}/nowhere", "spotify:track:0000000000000000000000", "not a uri"],
)
async def test_nothing_to_browse(browser: Browser, content_id: str) -> None:
    """Unknown folders, tracks and garbage are errors, not empty nodes."""
    response = await browser.send(
        {
            "type": "media_player/browse_media",
            "media_content_id": content_id,
            "media_content_type": "library",
        }
    )
    assert not response["success"]
    assert content_id in response["error"]["message"]


async def test_browse_error_is_translated(
    browser: Browser, emulator_world: World
) -> None:
    """Spotify failing while browsing reads as a translated error."""
    emulator_world.faults.add("status", path_prefix="/v1/me/playlists", status=503)
    response = await browser.send(
        {
            "type": "media_player/browse_media",
            "media_content_id": f"{ROOT}/playlists",
            "media_content_type": "library",
        }
    )
    assert not response["success"]
    assert response["error"]["translation_key"] == "server_error"


async def test_search(
    browser: Browser, emulator_world: World, snapshot: SnapshotAssertion
) -> None:
    """One search request, at most 10 results per type."""
    start = len(emulator_world.request_log)
    results = await browser.search(search_query="dream")
    assert [e.path for e in emulator_world.request_log.entries[start:]] == [
        "/v1/search"
    ]
    classes = {r["media_class"] for r in results}
    assert classes <= {"track", "album", "artist", "playlist", "podcast", "episode"}
    for media_class in classes:
        assert sum(r["media_class"] == media_class for r in results) <= 10
    assert results == snapshot


async def test_search_filtered(browser: Browser, emulator_world: World) -> None:
    """Filter classes or a content type narrow the search."""
    results = await browser.search(search_query="dream", media_filter_classes=["album"])
    assert {r["media_class"] for r in results} == {"album"}
    entry = emulator_world.request_log.entries[-1]
    assert "type=album" in entry.query

    results = await browser.search(
        search_query="dream", media_content_type="podcast", media_content_id=ROOT
    )
    assert {r["media_class"] for r in results} <= {"podcast"}

    start = len(emulator_world.request_log)
    assert (
        await browser.search(search_query="dream", media_filter_classes=["movie"]) == []
    )
    assert len(emulator_world.request_log) == start


@pytest.mark.parametrize(
    ("content_id", "content_type"),
    [
        (f"spotify:playlist:{seed.BIG_PLAYLIST_ID}", "playlist"),
        ("album", "album"),
        (f"spotify:user:{seed.PREMIUM_USER_ID}:collection", "playlist"),
    ],
)
async def test_item_inside_a_context_plays_the_context(
    hass: HomeAssistant,
    browser: Browser,
    emulator_world: World,
    content_id: str,
    content_type: str,
) -> None:
    """A track picked inside a context plays the context from it, so next follows.

    Playing the track alone would leave the queue empty and next/previous without
    anything to go to.
    """
    if content_id == "album":
        album = max(
            emulator_world.catalogue.albums.values(), key=lambda a: len(a.track_ids)
        )
        content_id = album.uri
    node = await browser.browse(content_id, content_type)
    picked, following = node["children"][2], node["children"][3]
    # What is queued plays before the context: start from an empty queue.
    emulator_world.playback(seed.PREMIUM_USER_ID).queue.clear()

    await call_player(
        hass,
        "play_media",
        media_content_id=picked["media_content_id"],
        media_content_type=picked["media_content_type"],
    )
    playback = emulator_world.playback(seed.PREMIUM_USER_ID)
    snapshot = emulator_world.snapshot(seed.PREMIUM_USER_ID)
    assert playback.context_uri == content_id
    assert snapshot is not None
    assert snapshot.item_uri == picked["media_content_id"].rsplit("/", 1)[-1]

    await call_player(hass, "media_next_track")
    snapshot = emulator_world.snapshot(seed.PREMIUM_USER_ID)
    assert snapshot is not None
    assert snapshot.item_uri == following["media_content_id"].rsplit("/", 1)[-1]


async def test_item_inside_a_context_enqueues_alone(
    hass: HomeAssistant, browser: Browser, emulator_world: World
) -> None:
    """Adding a track picked inside a playlist queues that track only."""
    node = await browser.browse(f"spotify:playlist:{seed.BIG_PLAYLIST_ID}", "playlist")
    picked = node["children"][5]
    playback = emulator_world.playback(seed.PREMIUM_USER_ID)
    queued = len(playback.queue)

    await call_player(
        hass,
        "play_media",
        media_content_id=picked["media_content_id"],
        media_content_type="music",
        enqueue="add",
    )
    assert playback.queue[queued:] == [picked["media_content_id"].rsplit("/", 1)[-1]]
