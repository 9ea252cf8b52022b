"""scripts/develop itself: the URL it prints and the emulator it starts."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from playwright.async_api import expect

from spotify_emulator import seed

from .browser import log_in
from .clients import HomeAssistantClient
from .harness import (
    REPO,
    Service,
    free_port,
    onboard,
    skip_location_onboarding,
    wait_for,
)

if TYPE_CHECKING:
    from pathlib import Path

    import aiohttp
    from playwright.async_api import Browser
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
    tmp_path: Path, session: aiohttp.ClientSession, browser: Browser, screenshots: Path
) -> None:
    """It prints the 127.0.0.1 URL; the emulator asks for consent, refuses localhost.

    Then a newcomer adds the integration in the UI: the credentials dialog, the
    consent page in the window it opens, Agree, and the account is linked.
    """
    port, emulator_port = free_port(), free_port()
    skip_location_onboarding(tmp_path / "config")
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

        await onboard(session, url)
        await add_integration_in_the_ui(browser, url, screenshots)
    finally:
        service.stop()


async def add_integration_in_the_ui(
    browser: Browser, url: str, screenshots: Path
) -> None:
    """Add Spotify Player as a newcomer would, agreeing on the consent page."""
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    # Not watched for console errors like the dashboard: integration icons come
    # from the internet, and the frontend rejects a promise with "disconnected"
    # while it opens the login window.
    await log_in(page, f"{url}/config/integrations/dashboard", screenshots)
    await page.get_by_role("button", name="Add integration").click()
    # Keys typed before the search field has focus reach the page's shortcuts.
    search = page.locator("dialog-add-integration").get_by_placeholder(
        "Search for a brand name"
    )
    await expect(search).to_be_focused()
    await search.fill("Spotify Player")
    await page.get_by_text("Spotify Player", exact=True).last.click()
    await page.get_by_role("textbox", name="Name").fill("Spotify emulator")
    await page.get_by_role("textbox", name="OAuth client ID").fill(seed.CLIENT_ID)
    await page.get_by_role("textbox", name="OAuth client secret").fill(
        seed.CLIENT_SECRET
    )
    async with context.expect_page() as opened:
        await page.get_by_role("button", name="Add", exact=True).click()
    consent = await opened.value
    await expect(consent.get_by_role("heading")).to_contain_text(
        "wants to access your account"
    )
    await consent.screenshot(path=screenshots / "consent.png")
    await consent.get_by_role("button", name="Agree").click()
    await expect(page.get_by_text("Spotify account linked.")).to_be_visible()
    await page.screenshot(path=screenshots / "linked.png")
    await context.close()


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
