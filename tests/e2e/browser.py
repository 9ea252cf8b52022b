"""Debian's chromium, driven by Playwright, which never downloads a browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError
import pytest

from .harness import OWNER

if TYPE_CHECKING:
    from playwright.async_api import ConsoleMessage, Page, Response, Route

CHROMIUM = Path("/usr/bin/chromium")  # scripts/setup --e2e installs it
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Watcher:
    """What the page did wrong: console errors, uncaught errors, outside requests."""

    def __init__(self, page: Page) -> None:
        """Listen to `page`."""
        self.problems: list[str] = []
        self.covers: list[Response] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught {error}"))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response: Response) -> None:
        if "/api/media_player_proxy/" in response.url:
            self.covers.append(response)

    async def route(self, route: Route) -> None:
        """Let requests to 127.0.0.1 through; refuse and record the others."""
        if route.request.url.startswith("http://127.0.0.1:"):
            await route.continue_()
        else:
            self.problems.append(f"request outside 127.0.0.1: {route.request.url}")
            await route.abort()


async def log_in(page: Page, url: str, screenshots: Path) -> None:
    """Open `url` and log in as the owner on the login page it leads to."""
    await page.goto(url)
    # The login form works once its login flow has been created.
    await page.wait_for_load_state("networkidle")
    await page.get_by_role("textbox", name="Username").fill(OWNER["username"])
    await page.get_by_role("textbox", name="Password").fill(OWNER["password"])
    await page.get_by_role("button", name="Log in").click()
    try:
        await page.wait_for_url(lambda url: "/auth/authorize" not in url)
    except PlaywrightError:
        await page.screenshot(path=screenshots / "no-login.png")
        pytest.fail("logging in did not leave the login page within 30 s")
