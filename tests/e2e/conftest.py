"""A real Home Assistant on the demo configuration, linked to the emulator.

Every test here is marked `e2e` and runs on one xdist worker, which starts the
emulator and `hass` once as subprocesses on free ports, onboards over HTTP and
links the emulator's Premium user through the real login. Tests run in any order:
each one leaves the demo linked and running.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
from playwright.async_api import async_playwright, expect
import pytest
import pytest_asyncio
import pytest_socket

from spotify_emulator import seed

from .browser import CHROMIUM, CHROMIUM_ARGS
from .clients import EmulatorClient, HomeAssistantClient
from .harness import Demo, onboard

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from playwright.async_api import Browser

HERE = __file__.rsplit("/", 1)[0]
ENTITY_ID = "media_player.robin_emulated"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests in this folder e2e, and keep them on one xdist worker."""
    for item in items:
        if str(item.path).startswith(HERE):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


async def link_spotify(session: aiohttp.ClientSession, demo: Demo) -> None:
    """Add the emulator app's credentials and link its Premium user."""
    ha = HomeAssistantClient(session, demo.ha_url, demo.token)
    await ha.ws(
        "application_credentials/create",
        domain="spotify_player",
        client_id=seed.CLIENT_ID,
        client_secret=seed.CLIENT_SECRET,
        name="Spotify emulator",
    )
    emulator = EmulatorClient(session, demo.emulator_url)
    await emulator.requests(clear=True)
    flow = await ha.post(
        "/api/config/config_entries/flow", {"handler": "spotify_player"}
    )
    result = await ha.finish_login(session, flow)
    assert result["type"] == "create_entry", result
    assert result["title"] == "Robin Emulated"
    demo.entry_id = result["result"]["entry_id"]
    demo.entity_id = ENTITY_ID
    demo.link_requests = await emulator.requests()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Demo]:
    """Start the demo and link the emulator's Premium user; stop it afterwards."""
    # Session fixtures are set up after the plugin blocked sockets for the test.
    pytest_socket.enable_socket()
    demo = Demo.create(tmp_path_factory.mktemp("demo"))
    demo.emulator.start()
    demo.hass.start()
    try:
        async with aiohttp.ClientSession() as session:
            await demo.wait_until_running(session)
            demo.token = await onboard(session, demo.ha_url)
            await link_spotify(session, demo)
        yield demo
    finally:
        demo.hass.stop()
        demo.emulator.stop()


@pytest.fixture(autouse=True)
def _sockets(socket_enabled: None) -> None:
    """Let the tests talk to the subprocesses over 127.0.0.1."""


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Return an HTTP session for one test."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def ha(demo: Demo, session: aiohttp.ClientSession) -> HomeAssistantClient:
    """Return Home Assistant's APIs, logged in as the owner."""
    return HomeAssistantClient(session, demo.ha_url, demo.token)


@pytest.fixture
def emulator(demo: Demo, session: aiohttp.ClientSession) -> EmulatorClient:
    """Return the emulator's control API."""
    return EmulatorClient(session, demo.emulator_url)


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Return where the screenshots go (E2E_SCREENSHOTS, else a temporary folder)."""
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def chromium() -> Path:
    """Return Debian's chromium."""
    assert CHROMIUM.exists(), "run scripts/setup --e2e to install Debian's chromium"
    return CHROMIUM


# What a page shows may take longer than Playwright's 5 s on two busy cores (a login
# completes, Home Assistant sets the entry up); tests that promise a time say so.
EXPECT_TIMEOUT_MS = 20_000


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    """Launch Debian's chromium, headless."""
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()
