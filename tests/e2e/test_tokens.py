"""Tokens as Spotify ends them: an expired access token, a revoked refresh token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .harness import ensure_playing, wait_for

if TYPE_CHECKING:
    from .clients import EmulatorClient, HomeAssistantClient
    from .harness import Demo


async def test_expired_access_token_is_refreshed_unnoticed(
    demo: Demo, ha: HomeAssistantClient, emulator: EmulatorClient
) -> None:
    """A 401 refreshes the token once and retries; the command just works."""
    await ensure_playing(ha, emulator, demo.entity_id)
    assert await emulator.expire_tokens() >= 1
    await emulator.requests(clear=True)

    await ha.call("media_player", "media_pause", {"entity_id": demo.entity_id})

    assert (await emulator.playback())["is_playing"] is False
    assert (await ha.state(demo.entity_id))["state"] == "paused"
    asked = [
        (r["method"], r["path"], r["status"])
        for r in await emulator.requests()
        if r["path"] in {"/v1/me/player/pause", "/api/token"}
    ]
    assert asked == [
        ("PUT", "/v1/me/player/pause", 401),
        ("POST", "/api/token", 200),
        ("PUT", "/v1/me/player/pause", 204),
    ]


async def test_revoked_login_asks_to_reauthenticate(
    demo: Demo, ha: HomeAssistantClient, emulator: EmulatorClient
) -> None:
    """invalid_grant starts a reauth flow; finishing it brings the entity back."""
    await ensure_playing(ha, emulator, demo.entity_id)
    assert await emulator.revoke_tokens() >= 1
    await emulator.expire_tokens()

    # The next poll gets a 401 and the refresh an invalid_grant.
    await ha.post(
        "/api/services/homeassistant/update_entity", {"entity_id": demo.entity_id}
    )

    async def reauth_flow() -> dict[str, Any] | None:
        flows = await ha.ws("config_entries/flow/progress")
        return next((f for f in flows if f["context"].get("source") == "reauth"), None)

    flow = await wait_for(reauth_flow, "a reauth flow", 10)
    assert flow["handler"] == "spotify_player"
    assert flow["context"]["entry_id"] == demo.entry_id

    form = await ha.get(f"/api/config/config_entries/flow/{flow['flow_id']}")
    assert form["step_id"] == "reauth_confirm"
    login = await ha.post(f"/api/config/config_entries/flow/{flow['flow_id']}", {})
    result = await ha.finish_login(ha.session, login)
    assert (result["type"], result["reason"]) == ("abort", "reauth_successful")

    async def loaded() -> bool | None:
        entries = await ha.get("/api/config/config_entries/entry?domain=spotify_player")
        assert [e["entry_id"] for e in entries] == [demo.entry_id]
        return True if entries[0]["state"] == "loaded" else None

    await wait_for(loaded, "the entry to load again", 10)
    state = await ensure_playing(ha, emulator, demo.entity_id)
    assert state["attributes"]["media_title"]
