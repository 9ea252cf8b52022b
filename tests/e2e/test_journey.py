"""Link an account, read the media player and control it, all over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .harness import ensure_playing, wait_for

if TYPE_CHECKING:
    import aiohttp

    from .clients import EmulatorClient, HomeAssistantClient
    from .harness import Demo


def calls(requests: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    """Return (method, path, status) of each request Spotify answered."""
    return [(r["method"], r["path"], r["status"]) for r in requests]


async def test_login_creates_the_entry(demo: Demo, ha: HomeAssistantClient) -> None:
    """The config flow followed the authorize URL and Spotify issued one token."""
    entries = await ha.get("/api/config/config_entries/entry?domain=spotify_player")
    assert [(e["entry_id"], e["state"]) for e in entries] == [(demo.entry_id, "loaded")]
    assert calls(demo.link_requests)[:3] == [
        ("GET", "/authorize", 302),
        ("POST", "/api/token", 200),
        ("GET", "/v1/me", 200),
    ]
    assert [r["path"] for r in demo.link_requests].count("/api/token") == 1


async def test_states_show_what_plays(
    demo: Demo,
    ha: HomeAssistantClient,
    emulator: EmulatorClient,
    session: aiohttp.ClientSession,
) -> None:
    """/api/states shows the track and device the emulator plays, with its cover."""
    state = await ensure_playing(ha, emulator, demo.entity_id)
    playback = await emulator.playback()
    devices = await ha.call(
        "spotify_player",
        "get_devices",
        {"config_entry_id": demo.entry_id},
        return_response=True,
    )
    active = next(d for d in devices["service_response"]["devices"] if d["is_active"])
    attributes = state["attributes"]
    assert attributes["media_content_id"] == playback["item_uri"]
    assert attributes["media_title"]
    assert attributes["media_artist"]
    assert attributes["source"] == active["name"]
    async with session.get(demo.ha_url + attributes["entity_picture"]) as response:
        assert response.status == 200
        assert response.content_type == "image/png"


async def test_media_player_services_reach_spotify(
    demo: Demo, ha: HomeAssistantClient, emulator: EmulatorClient
) -> None:
    """Pause, volume and play go to Spotify once each, and the state follows."""
    await ensure_playing(ha, emulator, demo.entity_id)
    await emulator.requests(clear=True)
    target = {"entity_id": demo.entity_id}

    await ha.call("media_player", "media_pause", target)
    assert (await emulator.playback())["is_playing"] is False
    assert (await ha.state(demo.entity_id))["state"] == "paused"
    await ha.call("media_player", "volume_set", {**target, "volume_level": 0.3})
    assert (await ha.state(demo.entity_id))["attributes"]["volume_level"] == 0.3
    await ha.call("media_player", "media_play", target)
    assert (await emulator.playback())["is_playing"] is True

    commands = [r for r in await emulator.requests() if r["method"] == "PUT"]
    assert calls(commands) == [
        ("PUT", "/v1/me/player/pause", 204),
        ("PUT", "/v1/me/player/volume", 204),
        ("PUT", "/v1/me/player/play", 204),
    ]
    assert commands[1]["query"].startswith("volume_percent=30")


async def test_actions_respond_with_spotify_data(
    demo: Demo, ha: HomeAssistantClient, emulator: EmulatorClient
) -> None:
    """spotify_player actions return Spotify's answers and start what they name."""
    entry = {"config_entry_id": demo.entry_id}
    await ensure_playing(ha, emulator, demo.entity_id)
    await emulator.requests(clear=True)

    found = await ha.call(
        "spotify_player",
        "search",
        {**entry, "query": "Morning", "types": ["playlist"], "limit": 1},
        return_response=True,
    )
    playlist = found["service_response"]["playlists"][0]
    assert playlist["name"] == "Morning Commute"
    # Player actions target the media player; their responses are keyed by it.
    player = {"entity_id": demo.entity_id}
    await ha.call(
        "spotify_player",
        "play_context",
        {**player, "context_uri": playlist["uri"], "offset_position": 2},
    )
    playback = await emulator.playback()
    assert playback["context_uri"] == playlist["uri"]
    queue = await ha.call("spotify_player", "get_queue", player, return_response=True)
    playing = queue["service_response"][demo.entity_id]["currently_playing"]
    assert playing["uri"] == playback["item_uri"]

    asked = calls(await emulator.requests())
    for request in (
        ("GET", "/v1/search", 200),
        ("PUT", "/v1/me/player/play", 204),
        ("GET", "/v1/me/player/queue", 200),
    ):
        assert request in asked

    async def shows_new_context() -> bool | None:
        state = await ha.state(demo.entity_id)
        shown = state["attributes"].get("media_content_id")
        return True if shown == playback["item_uri"] else None

    await wait_for(shows_new_context, "the state to show the started playlist", 5)
