"""Home Assistant restarts: the login, the entry and the entity survive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .harness import ensure_playing, log_problems

if TYPE_CHECKING:
    import aiohttp

    from .clients import EmulatorClient, HomeAssistantClient
    from .harness import Demo


async def test_restart_keeps_the_login(
    demo: Demo,
    ha: HomeAssistantClient,
    emulator: EmulatorClient,
    session: aiohttp.ClientSession,
) -> None:
    """After a restart the state comes back with the stored token, no new one.

    Spotify answering with the stored access token, and no token request at all,
    shows the tokens survived.
    """
    await ensure_playing(ha, emulator, demo.entity_id)
    assert demo.hass.stop() == 0
    assert (await demo.saved_token())["refresh_token"]
    await emulator.requests(clear=True)

    demo.hass.start()
    await demo.wait_until_running(session)
    state = await ensure_playing(ha, emulator, demo.entity_id)

    assert state["attributes"]["media_title"]
    entries = await ha.get("/api/config/config_entries/entry?domain=spotify_player")
    assert [(e["entry_id"], e["state"]) for e in entries] == [(demo.entry_id, "loaded")]
    registry = await ha.ws("config/entity_registry/list")
    # The media player and its three (disabled) sensors, once each.
    sensor = demo.entity_id.replace("media_player.", "sensor.")
    ours = [e["entity_id"] for e in registry if e["platform"] == "spotify_player"]
    assert sorted(ours) == [
        demo.entity_id,
        f"{sensor}_requests_paused_until",
        f"{sensor}_spotify_requests_24_h",
        f"{sensor}_up_next",
    ]
    paths = [r["path"] for r in await emulator.requests()]
    assert "/v1/me/player" in paths
    assert "/api/token" not in paths
    assert log_problems(demo.log_text()) == []
