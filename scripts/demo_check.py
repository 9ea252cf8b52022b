"""Drive the demo like a newcomer would: onboard, link Spotify, see the player.

Run by scripts/demo-check against a Home Assistant started by scripts/develop. It
exits non-zero, saying which step failed, unless a media player ends up playing.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import aiohttp

from spotify_emulator import seed

HA = "http://127.0.0.1:8123"
START_TIMEOUT = 300  # Home Assistant installs its frontend on the first start


async def wait_for_home_assistant(session: aiohttp.ClientSession) -> None:
    """Wait until onboarding answers."""
    for _ in range(START_TIMEOUT):
        try:
            async with session.get(f"{HA}/api/onboarding") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(1)
    raise SystemExit("Home Assistant did not start")


async def onboard(session: aiohttp.ClientSession) -> str:
    """Create the owner account and return an access token."""
    async with session.post(
        f"{HA}/api/onboarding/users",
        json={
            "client_id": f"{HA}/",
            "name": "Demo",
            "username": "demo",
            "password": "demo-password",
            "language": "en",
        },
    ) as response:
        code = (await response.json())["auth_code"]
    async with session.post(
        f"{HA}/auth/token",
        data={"grant_type": "authorization_code", "code": code, "client_id": f"{HA}/"},
    ) as response:
        return str((await response.json())["access_token"])


async def add_credentials(session: aiohttp.ClientSession, token: str) -> None:
    """Store the emulator app's client id and secret as application credentials."""
    async with session.ws_connect(f"{HA}/api/websocket") as socket:
        await socket.receive_json()
        await socket.send_json({"type": "auth", "access_token": token})
        await socket.receive_json()
        await socket.send_json(
            {
                "id": 1,
                "type": "application_credentials/create",
                "domain": "spotify_player",
                "client_id": seed.CLIENT_ID,
                "client_secret": seed.CLIENT_SECRET,
                "name": "Spotify emulator",
            }
        )
        result = await socket.receive_json()
    if not result.get("success"):
        raise SystemExit(f"adding application credentials failed: {result}")


async def link_account(session: aiohttp.ClientSession, headers: dict[str, str]) -> str:
    """Run the config flow through the emulator's login; return the entry title."""
    async with session.post(
        f"{HA}/api/config/config_entries/flow",
        json={"handler": "spotify_player"},
        headers=headers,
    ) as response:
        flow: dict[str, Any] = await response.json()
    if flow.get("type") != "external":
        raise SystemExit(f"expected the Spotify login step, got {flow}")
    # The emulator approves at once and sends the browser back to Home Assistant.
    async with session.get(flow["url"], allow_redirects=False) as response:
        callback = response.headers["Location"]
    async with session.get(callback) as response:
        response.raise_for_status()
    async with session.get(
        f"{HA}/api/config/config_entries/flow/{flow['flow_id']}", headers=headers
    ) as response:
        result: dict[str, Any] = await response.json()
    if result.get("type") != "create_entry":
        raise SystemExit(f"linking the account failed: {result}")
    return str(result["title"])


async def find_player(session: aiohttp.ClientSession, headers: dict[str, str]) -> str:
    """Return a description of the playing media player, waiting for it briefly."""
    for _ in range(30):
        async with session.get(f"{HA}/api/states", headers=headers) as response:
            for state in await response.json():
                if state["entity_id"].startswith("media_player.") and (
                    state["state"] == "playing"
                ):
                    title = state["attributes"].get("media_title")
                    source = state["attributes"].get("source")
                    return f"{state['entity_id']} is playing {title!r} on {source!r}"
        await asyncio.sleep(1)
    raise SystemExit("no playing media player appeared")


async def main() -> None:
    """Run every step a newcomer would take."""
    async with aiohttp.ClientSession() as session:
        await wait_for_home_assistant(session)
        token = await onboard(session)
        headers = {"Authorization": f"Bearer {token}", "HA-Frontend-Base": HA}
        await add_credentials(session, token)
        title = await link_account(session, headers)
        print(f"linked Spotify account {title!r}")
        print(await find_player(session, headers))


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
