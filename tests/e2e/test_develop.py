"""scripts/develop itself: the URL it prints and the emulator it starts."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from spotify_emulator import seed

from .harness import REPO, HomeAssistantClient, Service, free_port, onboard, wait_for

if TYPE_CHECKING:
    from pathlib import Path

    import aiohttp
    import pytest


def develop(tmp_path: Path, *args: str) -> Service:
    """Return scripts/develop with `args` and a configuration in `tmp_path`."""
    return Service(
        args=[str(REPO / "scripts" / "develop"), *args],
        log=tmp_path / "develop.log",
        env={"SPOTIFY_PLAYER_DEMO_CONFIG": str(tmp_path / "config")},
        own_session=True,
    )


async def wait_until_ready(service: Service, url: str) -> None:
    """Wait for scripts/develop to say Home Assistant is ready at `url`."""

    async def ready() -> bool | None:
        log = service.log.read_text()
        return True if f"Home Assistant is ready: open {url}\n" in log else None

    await wait_for(ready, "scripts/develop to say Home Assistant is ready", 90)


async def test_develop_with_consent_on_other_ports(
    tmp_path: Path, session: aiohttp.ClientSession
) -> None:
    """It prints the 127.0.0.1 URL; the emulator asks for consent, refuses localhost."""
    port, emulator_port = free_port(), free_port()
    url, emulator_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{emulator_port}"
    service = develop(
        tmp_path,
        "--consent",
        "--port",
        str(port),
        "--emulator-port",
        str(emulator_port),
    )
    service.start()
    try:
        await wait_until_ready(service, url)
        async with session.get(f"{url}/api/onboarding") as response:
            assert response.status == 200
        async with session.get(f"{emulator_url}/_emulator/") as response:
            apps = (await response.json())["apps"]
        assert apps == [
            {
                "client_id": seed.CLIENT_ID,
                "redirect_uris": [f"{url}/auth/external/callback"],
            }
        ]

        def authorize(host: str) -> str:
            query = {
                "client_id": seed.CLIENT_ID,
                "response_type": "code",
                "redirect_uri": f"http://{host}:{port}/auth/external/callback",
            }
            return f"{emulator_url}/authorize?{urlencode(query)}"

        async with session.get(authorize("127.0.0.1")) as response:
            assert response.status == 200
            assert "wants to access your account" in await response.text()
        async with session.get(authorize("localhost")) as response:
            assert response.status == 400
            assert "INVALID_CLIENT: Invalid redirect URI" in await response.text()
    finally:
        service.stop()


async def test_develop_real_needs_no_emulator(
    tmp_path: Path, session: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--real starts no emulator and ignores its variables: logins go to Spotify."""
    monkeypatch.setenv("SPOTIFY_PLAYER_ACCOUNTS_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SPOTIFY_PLAYER_API_URL", "http://127.0.0.1:9/v1")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    service = develop(tmp_path, "--real", "--port", str(port))
    service.start()
    try:
        await wait_until_ready(service, url)
        assert "spotify_emulator" not in service.log.read_text()
        ha = HomeAssistantClient(session, url, await onboard(session, url))
        await ha.ws(
            "application_credentials/create",
            domain="spotify_player",
            client_id="my-own-app",
            client_secret="its-secret",
        )
        flow = await ha.post(
            "/api/config/config_entries/flow", {"handler": "spotify_player"}
        )
        assert flow["type"] == "external"
        assert flow["url"].startswith("https://accounts.spotify.com/authorize?")
        assert f"redirect_uri={url}/auth/external/callback" in flow["url"]
    finally:
        service.stop()
