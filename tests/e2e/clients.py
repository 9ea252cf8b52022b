"""HTTP clients of the end-to-end tests: Home Assistant's APIs, the emulator's."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from spotify_emulator import seed

if TYPE_CHECKING:
    import aiohttp

PREMIUM = seed.PREMIUM_USER_ID


class EmulatorClient:
    """The emulator's control API."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to the emulator at `url`."""
        self.session = session
        self.url = url

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        async with self.session.request(
            method, f"{self.url}/_emulator{path}", json=body
        ) as response:
            response.raise_for_status()
            return None if response.status == 204 else await response.json()

    async def playback(self) -> dict[str, Any]:
        """Return the Premium user's playback as the emulator sees it."""
        result: dict[str, Any] = await self._call("GET", f"/users/{PREMIUM}/playback")
        return result

    async def devices(self) -> dict[str, dict[str, Any]]:
        """Return the Premium user's devices, asleep or not, by name."""
        users = await self._call("GET", "/users")
        user = next(u for u in users if u["id"] == PREMIUM)
        return {device["name"]: device for device in user["devices"]}

    async def act(self, action: str, body: dict[str, Any] | None = None) -> None:
        """Change the Premium user's playback as another Spotify app would."""
        await self._call("POST", f"/users/{PREMIUM}/playback/{action}", body or {})

    async def requests(self, *, clear: bool = False) -> list[dict[str, Any]]:
        """Return (and optionally clear) the log of requests Spotify answered."""
        result: list[dict[str, Any]] = await self._call(
            "GET", "/requests?clear=1" if clear else "/requests"
        )
        return result

    async def expire_tokens(self) -> int:
        """Expire the Premium user's access tokens now."""
        result = await self._call("POST", "/tokens/expire", {"user_id": PREMIUM})
        return int(result["expired"])

    async def revoke_tokens(self) -> int:
        """Revoke the Premium user's refresh tokens."""
        result = await self._call("POST", "/tokens/revoke", {"user_id": PREMIUM})
        return int(result["revoked"])


class HomeAssistantClient:
    """Home Assistant's REST and WebSocket APIs, as an owner who is logged in."""

    def __init__(self, session: aiohttp.ClientSession, url: str, token: str) -> None:
        """Talk to Home Assistant at `url` with the owner's access token."""
        self.session = session
        self.url = url
        # The OAuth2 flow builds its redirect URI from the frontend's base URL.
        self.headers = {"Authorization": f"Bearer {token}", "HA-Frontend-Base": url}
        self.token = token
        self._ids = itertools.count(1)

    async def get(self, path: str) -> Any:
        """GET a REST path."""
        async with self.session.get(
            f"{self.url}{path}", headers=self.headers
        ) as response:
            response.raise_for_status()
            return await response.json()

    async def post(self, path: str, body: Any = None) -> Any:
        """POST JSON to a REST path."""
        async with self.session.post(
            f"{self.url}{path}", json=body, headers=self.headers
        ) as response:
            if response.status >= 400:
                raise AssertionError(
                    f"POST {path}: {response.status} {await response.text()}"
                )
            return await response.json()

    async def delete(self, path: str) -> None:
        """DELETE a REST path."""
        async with self.session.delete(
            f"{self.url}{path}", headers=self.headers
        ) as response:
            response.raise_for_status()

    async def state(self, entity_id: str) -> dict[str, Any]:
        """Return one entity's state through /api/states."""
        result: dict[str, Any] = await self.get(f"/api/states/{entity_id}")
        return result

    async def call(
        self,
        domain: str,
        service: str,
        data: dict[str, Any],
        *,
        return_response: bool = False,
    ) -> Any:
        """Call an action through /api/services."""
        query = "?return_response" if return_response else ""
        return await self.post(f"/api/services/{domain}/{service}{query}", data)

    async def ws(self, command: str, **data: Any) -> Any:
        """Send one WebSocket command and return its result."""
        async with self.session.ws_connect(f"{self.url}/api/websocket") as socket_:
            await socket_.receive_json()
            await socket_.send_json({"type": "auth", "access_token": self.token})
            auth = await socket_.receive_json()
            assert auth["type"] == "auth_ok", auth
            message_id = next(self._ids)
            await socket_.send_json({"id": message_id, "type": command, **data})
            while True:
                reply = await socket_.receive_json()
                if reply.get("id") == message_id and reply["type"] == "result":
                    break
        assert reply["success"], reply
        return reply["result"]

    async def finish_login(self, emulator: aiohttp.ClientSession, flow: Any) -> Any:
        """Follow a flow's Spotify login to the emulator and back; return the flow."""
        assert flow["type"] == "external", flow
        async with emulator.get(flow["url"], allow_redirects=False) as response:
            assert response.status == 302, await response.text()
            callback = response.headers["Location"]
        assert callback.startswith(f"{self.url}/auth/external/callback?"), callback
        async with self.session.get(callback) as response:
            assert response.status == 200
        return await self.get(f"/api/config/config_entries/flow/{flow['flow_id']}")
