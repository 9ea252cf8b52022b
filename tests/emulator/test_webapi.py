"""Web API routes over HTTP: auth, scopes, player, paging, library, catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from spotify_emulator import World, seed
from spotify_emulator.errors import USER_NOT_REGISTERED

if TYPE_CHECKING:
    import aiohttp

    from spotify_emulator import EmulatorServer


async def _call(
    http: aiohttp.ClientSession,
    method: str,
    url: str,
    headers: dict[str, str],
    **kwargs: Any,
) -> tuple[int, Any]:
    async with http.request(method, url, headers=headers, **kwargs) as resp:
        if resp.status == 204 or not await resp.read():
            return resp.status, None
        return resp.status, await resp.json()


def _error(status: int, message: str, reason: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"status": status, "message": message}
    if reason:
        error["reason"] = reason
    return {"error": error}


async def test_authentication_errors(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """401 for missing, unknown and expired tokens; 400 for another scheme."""
    url = emulator.api_url + "/me"
    assert await _call(http, "GET", url, {}) == (401, _error(401, "No token provided"))
    assert await _call(http, "GET", url, {"Authorization": "Basic abc"}) == (
        400,
        _error(400, "Only valid bearer authentication supported"),
    )
    status, body = await _call(http, "GET", url, {"Authorization": "Bearer nope"})
    assert (status, body) == (401, _error(401, "Invalid access token"))
    grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
    emulator_world.expire_access_tokens()
    headers = {"Authorization": f"Bearer {grant.access_token}"}
    assert await _call(http, "GET", url, headers) == (
        401,
        _error(401, "The access token expired"),
    )


async def test_allow_list_and_scope(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Unregistered users get the development-mode 403; missing scopes another 403."""
    outsider = emulator_world.issue_tokens(seed.UNREGISTERED_USER_ID)
    headers = {"Authorization": f"Bearer {outsider.access_token}"}
    assert await _call(http, "GET", emulator.api_url + "/me", headers) == (
        403,
        _error(403, USER_NOT_REGISTERED),
    )
    narrow = emulator_world.issue_tokens(seed.PREMIUM_USER_ID, ["user-read-private"])
    headers = {"Authorization": f"Bearer {narrow.access_token}"}
    assert (await _call(http, "GET", emulator.api_url + "/me", headers))[0] == 200
    for method, path in [
        ("GET", "/me/player"),
        ("PUT", "/me/player/pause"),
        ("GET", "/me/player/recently-played"),
        ("GET", "/me/playlists"),
        ("GET", "/me/tracks"),
        ("PUT", "/me/library?uris=spotify:track:x"),
        ("GET", "/me/following?type=artist"),
        ("GET", "/me/top/artists"),
        ("GET", f"/playlists/{seed.BIG_PLAYLIST_ID}"),
    ]:
        assert await _call(http, method, emulator.api_url + path, headers) == (
            403,
            _error(403, "Insufficient client scope"),
        ), path


async def test_me(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """GET /me describes the user; images point at the emulator."""
    status, body = await _call(http, "GET", emulator.api_url + "/me", premium_headers)
    assert status == 200
    # Development Mode (the default) leaves out what apps there no longer get.
    assert not {"product", "email", "country", "followers"} & body.keys()
    emulator_world.config.development_mode = False
    status, body = await _call(http, "GET", emulator.api_url + "/me", premium_headers)
    assert body["product"] == "premium"
    assert body["country"] == "SE"
    assert body["images"][0]["url"].startswith(emulator.url + "/_emulator/images/")
    async with http.get(body["images"][0]["url"]) as resp:
        assert resp.content_type == "image/png"
        assert (await resp.read()).startswith(b"\x89PNG")


async def test_player_state_shapes(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """GET /me/player, currently-playing and devices look like Spotify's."""
    api = emulator.api_url
    status, state = await _call(http, "GET", api + "/me/player", premium_headers)
    assert status == 200
    assert state["device"]["type"] == "Computer"
    assert state["device"]["is_active"] is True
    assert state["context"]["uri"] == f"spotify:playlist:{seed.START_PLAYLIST_ID}"
    assert state["item"]["type"] == "track"
    assert state["item"]["album"]["images"][0]["height"] == 640
    assert state["actions"] == {"disallows": {"resuming": True}}
    assert state["smart_shuffle"] is False
    assert state["repeat_state"] == "off"

    status, current = await _call(
        http, "GET", api + "/me/player/currently-playing", premium_headers
    )
    assert "device" not in current
    assert current["item"]["id"] == state["item"]["id"]

    status, devices = await _call(
        http, "GET", api + "/me/player/devices", premium_headers
    )
    by_name = {d["name"]: d for d in devices["devices"]}
    assert by_name[seed.NULL_ID_DEVICE_NAME]["id"] is None
    assert by_name["Pocket Phone"]["volume_percent"] is None
    assert by_name["Pocket Phone"]["supports_volume"] is False
    assert [d["is_active"] for d in devices["devices"]].count(True) == 1
    assert {d["type"] for d in devices["devices"]} >= {
        "Computer",
        "Smartphone",
        "Speaker",
    }

    # An episode without additional_types=episode: item null, type episode.
    emulator_world.play_episode(seed.PREMIUM_USER_ID)
    status, state = await _call(http, "GET", api + "/me/player", premium_headers)
    assert state["item"] is None
    assert state["currently_playing_type"] == "episode"
    status, state = await _call(
        http, "GET", api + "/me/player?additional_types=track,episode", premium_headers
    )
    assert state["item"]["type"] == "episode"
    assert state["item"]["show"]["type"] == "show"
    assert state["context"]["type"] == "show"

    # Audiobook chapters show up as episodes of a show.
    book = next(iter(emulator_world.catalogue.audiobooks.values()))
    emulator_world.command_play(seed.PREMIUM_USER_ID, context_uri=book.uri)
    status, state = await _call(
        http, "GET", api + "/me/player?additional_types=episode", premium_headers
    )
    assert state["item"]["type"] == "episode"
    assert state["item"]["show"]["id"] == book.id

    # Saved tracks play in the collection context.
    emulator_world.command_play(
        seed.PREMIUM_USER_ID,
        context_uri=f"spotify:user:{seed.PREMIUM_USER_ID}:collection",
    )
    status, state = await _call(http, "GET", api + "/me/player", premium_headers)
    assert state["context"]["type"] == "collection"

    emulator_world.start_ad(seed.PREMIUM_USER_ID)
    status, state = await _call(http, "GET", api + "/me/player", premium_headers)
    assert state["currently_playing_type"] == "ad"
    assert state["item"] is None

    emulator_world.stop_playback(seed.PREMIUM_USER_ID)
    for path in ("/me/player", "/me/player/currently-playing"):
        assert await _call(http, "GET", api + path, premium_headers) == (204, None)
    assert await _call(http, "GET", api + "/me/player/queue", premium_headers) == (
        200,
        {"currently_playing": None, "queue": []},
    )


async def test_player_commands(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Every player command answers 204 and changes the world."""
    api = emulator.api_url + "/me/player"
    h = premium_headers
    pb = emulator_world.playback(seed.PREMIUM_USER_ID)
    track = next(iter(emulator_world.catalogue.tracks.values()))
    assert await _call(http, "PUT", api + "/pause", h) == (204, None)
    assert not pb.is_playing
    assert await _call(http, "PUT", api + "/play", h) == (204, None)
    assert pb.is_playing
    assert await _call(http, "POST", api + "/next", h) == (204, None)
    assert await _call(http, "POST", api + "/previous", h) == (204, None)
    assert await _call(http, "PUT", api + "/seek?position_ms=1234", h) == (204, None)
    assert emulator_world.snapshot(seed.PREMIUM_USER_ID).progress_ms == 1234  # type: ignore[union-attr]
    assert await _call(http, "PUT", api + "/volume?volume_percent=12", h) == (204, None)
    assert emulator_world.active_device(seed.PREMIUM_USER_ID).volume_percent == 12  # type: ignore[union-attr]
    assert await _call(http, "PUT", api + "/shuffle?state=true", h) == (204, None)
    assert pb.shuffle
    assert await _call(http, "PUT", api + "/repeat?state=context", h) == (204, None)
    assert pb.repeat == "context"
    assert await _call(http, "POST", api + f"/queue?uri={track.uri}", h) == (204, None)
    assert pb.queue[-1] == track.uri
    _status, queue = await _call(http, "GET", api + "/queue", h)
    assert queue["currently_playing"]["uri"] == pb.current_uri
    assert queue["queue"][len(pb.queue) - 1]["uri"] == track.uri
    assert len(queue["queue"]) == 20
    body = {"device_ids": [seed.SPEAKER_DEVICE_ID], "play": True}
    assert await _call(http, "PUT", api, h, json=body) == (204, None)
    assert (
        emulator_world.active_device(seed.PREMIUM_USER_ID).id == seed.SPEAKER_DEVICE_ID
    )  # type: ignore[union-attr]
    play = {
        "context_uri": f"spotify:playlist:{seed.BIG_PLAYLIST_ID}",
        "offset": {"position": 60},
        "position_ms": 5000,
    }
    assert await _call(http, "PUT", api + "/play", h, json=play) == (204, None)
    entries = emulator_world.catalogue.playlists[seed.BIG_PLAYLIST_ID].entries
    assert pb.current_uri == entries[60].uri
    play = {"uris": [track.uri], "offset": {"uri": track.uri}}
    target = f"/play?device_id={seed.COMPUTER_DEVICE_ID}"
    assert await _call(http, "PUT", api + target, h, json=play) == (204, None)
    assert pb.current_uri == track.uri
    assert (
        emulator_world.active_device(seed.PREMIUM_USER_ID).id == seed.COMPUTER_DEVICE_ID
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", "/seek", None, "Required parameter position_ms missing"),
        ("PUT", "/seek?position_ms=-1", None, "Invalid position_ms"),
        ("PUT", "/seek?position_ms=abc", None, "Invalid position_ms"),
        ("PUT", "/volume", None, "Required parameter volume_percent missing"),
        ("PUT", "/volume?volume_percent=101", None, "Invalid volume_percent"),
        ("PUT", "/shuffle", None, "Required parameter state missing"),
        ("PUT", "/shuffle?state=maybe", None, "Invalid state"),
        ("PUT", "/repeat", None, "Required parameter state missing"),
        ("PUT", "/repeat?state=all", None, "Invalid state"),
        ("POST", "/queue", None, "Required parameter uri missing"),
        (
            "POST",
            "/queue?uri=spotify:track:missing",
            None,
            "Invalid track uri: spotify:track:missing",
        ),
        ("PUT", "", {}, "Required field device_ids missing"),
        ("PUT", "", {"device_ids": ["a", "b"]}, "Only one device_id allowed"),
        ("PUT", "", {"device_ids": ["a"], "play": "yes"}, "Invalid play value"),
        ("PUT", "", "[1]", "Malformed json"),
        ("PUT", "/play", "{oops", "Malformed json"),
        ("PUT", "/play", {"context_uri": 5}, "Invalid context uri"),
        ("PUT", "/play", {"uris": "spotify:track:x"}, "Invalid uris"),
        (
            "PUT",
            "/play",
            {"uris": ["a"], "context_uri": "b"},
            "Only one of context_uri and uris can be specified",
        ),
        ("PUT", "/play", {"position_ms": -5}, "Invalid position_ms"),
        (
            "PUT",
            "/play",
            {"offset": {"position": 1}},
            "Can't have offset without context_uri or uris",
        ),
        ("PUT", "/play", {"uris": ["a"], "offset": 3}, "Invalid offset"),
        ("PUT", "/play", {"uris": ["a"], "offset": {"uri": 3}}, "Invalid offset"),
        ("PUT", "/play", {"uris": ["a"], "offset": {"position": -1}}, "Invalid offset"),
        ("PUT", "/play", {"uris": ["a"], "offset": {}}, "Invalid offset"),
    ],
)
async def test_player_validation(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    premium_headers: dict[str, str],
    method: str,
    path: str,
    body: Any,
    message: str,
) -> None:
    """Validation errors are 400 with Spotify's error body."""
    kwargs: dict[str, Any] = {}
    if isinstance(body, str):
        kwargs["data"] = body
    elif body is not None:
        kwargs["json"] = body
    url = emulator.api_url + "/me/player" + path
    assert await _call(http, method, url, premium_headers, **kwargs) == (
        400,
        _error(400, message),
    )


async def test_player_refusals(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
    free_headers: dict[str, str],
) -> None:
    """Premium, active device, restrictions and volume support are enforced."""
    api = emulator.api_url + "/me/player"
    assert await _call(http, "PUT", api + "/pause", free_headers) == (
        403,
        _error(403, "Player command failed: Premium required", "PREMIUM_REQUIRED"),
    )
    # Free users can still read their (paused) playback.
    status, state = await _call(http, "GET", api, free_headers)
    assert (status, state["is_playing"]) == (200, False)

    target = f"/volume?volume_percent=5&device_id={seed.PHONE_DEVICE_ID}"
    assert await _call(http, "PUT", api + target, premium_headers) == (
        403,
        _error(
            403,
            "Player command failed: Cannot control device volume",
            "VOLUME_CONTROL_DISALLOW",
        ),
    )
    target = f"/play?device_id={seed.RESTRICTED_DEVICE_ID}"
    assert await _call(http, "PUT", api + target, premium_headers) == (
        403,
        _error(403, "Player command failed: Restriction violated", "UNKNOWN"),
    )
    assert await _call(http, "PUT", api + "/play", premium_headers) == (
        403,
        _error(403, "Player command failed: Restriction violated", "UNKNOWN"),
    )
    emulator_world.stop_playback(seed.PREMIUM_USER_ID)
    assert await _call(http, "POST", api + "/next", premium_headers) == (
        404,
        _error(
            404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE"
        ),
    )


async def test_playlists_paging(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    premium_headers: dict[str, str],
) -> None:
    """Playlists page with absolute next links on the emulator's own base URL."""
    api = emulator.api_url
    status, page = await _call(
        http, "GET", api + "/me/playlists?limit=50", premium_headers
    )
    assert page["total"] == seed.PREMIUM_PLAYLIST_COUNT
    assert page["next"] == f"{api}/me/playlists?offset=50&limit=50"
    first = page["items"][0]
    assert first["items"] == {
        "href": f"{api}/playlists/{first['id']}/items",
        "total": 25,
    }
    # Spotify still sends the deprecated name beside the new one.
    assert first["tracks"] == first["items"]
    status, page = await _call(http, "GET", page["next"], premium_headers)
    assert len(page["items"]) == 10
    assert page["next"] is None
    assert page["previous"] == f"{api}/me/playlists?offset=0&limit=50"

    url: str | None = f"{api}/playlists/{seed.BIG_PLAYLIST_ID}/items?limit=50"
    seen = []
    while url:
        status, page = await _call(http, "GET", url, premium_headers)
        assert page["items"][0]["track"] == page["items"][0]["item"]
        seen += [i["item"]["id"] for i in page["items"]]
        url = page["next"]
    assert len(seen) == 120
    assert len(set(seen)) == 120

    status, playlist = await _call(
        http, "GET", f"{api}/playlists/{seed.BIG_PLAYLIST_ID}", premium_headers
    )
    assert playlist["items"]["total"] == 120
    assert len(playlist["items"]["items"]) == 100
    assert playlist["followers"] == {"href": None, "total": 0}
    assert playlist["tracks"] == playlist["items"]
    # The embedded page's own next link asks for 100, beyond the endpoint's 50.
    status, rest = await _call(http, "GET", playlist["items"]["next"], premium_headers)
    assert (status, rest) == (400, _error(400, "Invalid limit"))

    # Episodes in playlists are null unless additional_types asks for them.
    mixed = f"{api}/playlists/{seed.MIXED_PLAYLIST_ID}/items"
    status, page = await _call(http, "GET", mixed, premium_headers)
    assert sum(i["item"] is None for i in page["items"]) == 4
    status, page = await _call(
        http, "GET", mixed + "?additional_types=episode", premium_headers
    )
    assert sum(i["item"]["type"] == "episode" for i in page["items"]) == 4

    for bad in ("?limit=0", "?limit=51", "?offset=-1", "?limit=x"):
        status, body = await _call(http, "GET", mixed + bad, premium_headers)
        assert status == 400, bad
    status, body = await _call(
        http, "GET", f"{api}/playlists/{'0' * 22}", premium_headers
    )
    assert (status, body) == (404, _error(404, "Resource not found"))


async def test_private_playlist_of_someone_else(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    free_headers: dict[str, str],
    premium_headers: dict[str, str],
) -> None:
    """Other users' private playlists do not exist; public ones do."""
    api = emulator.api_url
    status, _ = await _call(
        http, "GET", f"{api}/playlists/{seed.BIG_PLAYLIST_ID}", free_headers
    )
    assert status == 404
    status, body = await _call(
        http, "GET", f"{api}/playlists/{seed.CURATED_PLAYLIST_ID}", premium_headers
    )
    assert status == 200
    assert body["owner"]["display_name"] == "Emulator Curator"


async def test_library(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Saved items page newest first; /me/library saves, removes and checks URIs."""
    api = emulator.api_url
    h = premium_headers
    status, page = await _call(http, "GET", api + "/me/tracks?limit=50", h)
    assert page["total"] == 130
    assert page["items"][0]["added_at"] >= page["items"][1]["added_at"]
    assert page["items"][0]["track"]["album"]["type"] == "album"
    for path, key in [("albums", "album"), ("shows", "show"), ("episodes", "episode")]:
        status, page = await _call(http, "GET", f"{api}/me/{path}", h)
        assert status == 200
        assert page["items"][0][key]["type"] == key

    track = emulator_world.catalogue.tracks[sorted(emulator_world.catalogue.tracks)[-1]]
    artist = next(iter(emulator_world.catalogue.artists.values()))
    uris = f"{track.uri},{artist.uri}"
    status, body = await _call(http, "GET", f"{api}/me/library/contains?uris={uris}", h)
    before = body
    assert await _call(http, "PUT", f"{api}/me/library?uris={uris}", h) == (200, None)
    assert await _call(http, "GET", f"{api}/me/library/contains?uris={uris}", h) == (
        200,
        [True, True],
    )
    assert await _call(http, "DELETE", f"{api}/me/library?uris={uris}", h) == (
        200,
        None,
    )
    assert await _call(http, "GET", f"{api}/me/library/contains?uris={uris}", h) == (
        200,
        [False, False],
    )
    assert before[0] is False

    for query, message in [
        ("", "Required parameter uris missing"),
        ("?uris=" + ",".join([track.uri] * 41), "Too many ids requested"),
        ("?uris=spotify:chapter:abc", "Invalid uri: spotify:chapter:abc"),
        ("?uris=junk", "Invalid uri: junk"),
    ]:
        assert await _call(http, "PUT", f"{api}/me/library{query}", h) == (
            400,
            _error(400, message),
        )
    status, body = await _call(
        http, "PUT", f"{api}/me/library?uris=spotify:track:{'0' * 22}", h
    )
    assert (status, body) == (404, _error(404, "Non existing id"))


async def test_following_top_and_recent(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Cursor paging of followed artists and recently played; top items."""
    api = emulator.api_url
    h = premium_headers
    url: str | None = f"{api}/me/following?type=artist&limit=50"
    ids: list[str] = []
    while url:
        status, body = await _call(http, "GET", url, h)
        page = body["artists"]
        ids += [a["id"] for a in page["items"]]
        url = page["next"]
    assert len(ids) == 60
    assert len(set(ids)) == 60
    assert page["cursors"] == {"after": None}
    status, body = await _call(http, "GET", f"{api}/me/following?type=user", h)
    assert status == 400
    status, body = await _call(
        http, "GET", f"{api}/me/following?type=artist&limit=0", h
    )
    assert status == 400

    status, top = await _call(http, "GET", f"{api}/me/top/artists?limit=10", h)
    assert top["total"] == 40
    assert top["items"][0]["type"] == "artist"
    status, other = await _call(
        http, "GET", f"{api}/me/top/artists?limit=10&time_range=short_term", h
    )
    assert other["items"][0]["id"] != top["items"][0]["id"]
    status, tracks = await _call(http, "GET", f"{api}/me/top/tracks", h)
    assert tracks["items"][0]["type"] == "track"
    assert "time_range=medium_term" in tracks["next"]
    assert (await _call(http, "GET", f"{api}/me/top/artists?time_range=forever", h))[
        0
    ] == 400
    assert (await _call(http, "GET", f"{api}/me/top/genres", h))[0] == 404

    status, recent = await _call(
        http, "GET", f"{api}/me/player/recently-played?limit=10", h
    )
    assert len(recent["items"]) == 10
    assert recent["items"][0]["played_at"] > recent["items"][1]["played_at"]
    before = recent["cursors"]["before"]
    assert recent["next"] == f"{api}/me/player/recently-played?before={before}&limit=10"
    status, older = await _call(http, "GET", recent["next"], h)
    assert older["items"][0]["played_at"] < recent["items"][-1]["played_at"]
    after = recent["cursors"]["after"]
    status, newer = await _call(
        http, "GET", f"{api}/me/player/recently-played?after={after}", h
    )
    assert newer["items"] == []
    assert newer["cursors"] is None
    # Finishing the current track makes it the newest play.
    snap = emulator_world.snapshot(seed.PREMIUM_USER_ID)
    assert snap is not None
    emulator_world.advance(600)
    status, newer = await _call(
        http, "GET", f"{api}/me/player/recently-played?after={after}", h
    )
    assert newer["items"][-1]["track"]["uri"] == snap.item_uri
    for query in ("limit=51", "after=1&before=2", "after=x"):
        status, _ = await _call(
            http, "GET", f"{api}/me/player/recently-played?{query}", h
        )
        assert status == 400, query


async def test_search(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Search matches names across types; limit is capped at 10."""
    api = emulator.api_url + "/search"
    h = premium_headers
    artist = next(iter(emulator_world.catalogue.artists.values()))
    word = artist.name.split()[-1]
    status, body = await _call(
        http,
        "GET",
        f"{api}?q={word}&type=artist,track,album,playlist,show,episode,audiobook&limit=10",
        h,
    )
    assert status == 200
    assert set(body) == {
        "artists",
        "tracks",
        "albums",
        "playlists",
        "shows",
        "episodes",
        "audiobooks",
    }
    assert any(a["id"] == artist.id for a in body["artists"]["items"])
    assert body["tracks"]["total"] > 0
    status, body = await _call(http, "GET", f"{api}?q=Kitchen&type=show,episode", h)
    assert body["shows"]["total"] == 1
    assert len(body["episodes"]["items"]) == 5  # default limit
    status, body = await _call(http, "GET", f"{api}?q=Mix&type=playlist", h)
    assert body["playlists"]["total"] > 0
    for query, message in [
        ("type=track", "No search query"),
        ("q=a", "Missing parameter type"),
        ("q=a&type=user", "Bad search type field user"),
        ("q=a&type=track&limit=11", "Invalid limit"),
        ("q=a&type=track&offset=1001", "Invalid offset"),
    ]:
        assert await _call(http, "GET", f"{api}?{query}", h) == (
            400,
            _error(400, message),
        )


async def test_catalogue_objects(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    emulator_world: World,
    premium_headers: dict[str, str],
) -> None:
    """Albums, artists, shows, episodes and tracks by id; unknown ids 404."""
    api = emulator.api_url
    h = premium_headers
    cat = emulator_world.catalogue
    album = next(iter(cat.albums.values()))
    status, body = await _call(http, "GET", f"{api}/albums/{album.id}", h)
    assert body["tracks"]["total"] == len(album.track_ids)
    artist_id = album.artist_ids[0]
    status, body = await _call(http, "GET", f"{api}/artists/{artist_id}", h)
    assert body["followers"]["total"] > 0
    status, body = await _call(
        http, "GET", f"{api}/artists/{artist_id}/albums?limit=1", h
    )
    assert body["items"][0]["album_group"] in {"album", "single", "compilation"}
    assert body["total"] >= 2
    status, body = await _call(
        http, "GET", f"{api}/artists/{artist_id}/albums?include_groups=single", h
    )
    assert {a["album_type"] for a in body["items"]} == {"single"}
    assert "include_groups=single" in body["href"]
    status, body = await _call(
        http, "GET", f"{api}/artists/{artist_id}/albums?include_groups=bogus", h
    )
    assert status == 400
    status, body = await _call(http, "GET", f"{api}/artists/{artist_id}/albums", h)
    assert body["limit"] == 5
    status, body = await _call(
        http, "GET", f"{api}/artists/{artist_id}/albums?limit=11", h
    )
    assert (status, body) == (400, _error(400, "Invalid limit"))
    show = next(iter(cat.shows.values()))
    status, body = await _call(http, "GET", f"{api}/shows/{show.id}", h)
    assert body["episodes"]["total"] == 64
    status, body = await _call(
        http, "GET", f"{api}/shows/{show.id}/episodes?limit=50&offset=50", h
    )
    assert len(body["items"]) == 14
    status, body = await _call(http, "GET", f"{api}/episodes/{show.episode_ids[0]}", h)
    assert body["show"]["id"] == show.id
    status, body = await _call(http, "GET", f"{api}/tracks/{album.track_ids[0]}", h)
    assert body["album"]["id"] == album.id
    missing = "0" * 22
    for path in (
        f"/albums/{missing}",
        f"/artists/{missing}",
        f"/artists/{missing}/albums",
        f"/shows/{missing}",
        f"/shows/{missing}/episodes",
        f"/episodes/{missing}",
        f"/tracks/{missing}",
    ):
        assert await _call(http, "GET", api + path, h) == (
            404,
            _error(404, "Resource not found"),
        )


async def test_unknown_paths(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    premium_headers: dict[str, str],
) -> None:
    """Unknown Web API paths are 404 "Service not found"; wrong methods 405."""
    assert await _call(http, "GET", emulator.api_url + "/nothing", premium_headers) == (
        404,
        _error(404, "Service not found"),
    )
    assert await _call(http, "DELETE", emulator.api_url + "/me", premium_headers) == (
        405,
        _error(405, "Method not allowed"),
    )
    async with http.get(emulator.url + "/elsewhere") as resp:
        assert resp.status == 404
    async with http.delete(emulator.url + "/api/token") as resp:
        assert resp.status == 405
