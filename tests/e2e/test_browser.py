"""The real frontend in Debian's chromium: log in, see the card, pause, browse.

Playwright drives /usr/bin/chromium (scripts/setup --e2e installs it); it never
downloads a browser. Requests that would leave 127.0.0.1 are refused and fail
the test, as do errors in the browser console.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError, expect
import pytest

from .browser import Watcher, log_in
from .harness import ensure_playing, wait_for

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.async_api import Browser, Page

    from .clients import EmulatorClient, HomeAssistantClient
    from .harness import Demo

DASHBOARD = "spotify-demo"
PLAYLIST = "Morning Commute"
TRACK = "Motion Bright"  # the third track of PLAYLIST


async def add_dashboard(ha: HomeAssistantClient, entity_id: str) -> None:
    """Add a dashboard with one media-control card, as a user would in the UI."""
    dashboards = await ha.ws("lovelace/dashboards/list")
    if DASHBOARD not in {d["url_path"] for d in dashboards}:
        await ha.ws(
            "lovelace/dashboards/create",
            url_path=DASHBOARD,
            title="Spotify",
            icon="mdi:spotify",
            mode="storage",
            show_in_sidebar=True,
            require_admin=False,
        )
    await ha.ws(
        "lovelace/config/save",
        url_path=DASHBOARD,
        config={
            "views": [
                {
                    "title": "Spotify",
                    "cards": [{"type": "media-control", "entity": entity_id}],
                }
            ]
        },
    )


async def open_dashboard(page: Page, demo: Demo, screenshots: Path) -> None:
    """Log in on the dashboard; fail unless its card shows within 30 s."""
    await log_in(page, f"{demo.ha_url}/{DASHBOARD}/0", screenshots)
    try:
        await page.locator("hui-media-control-card").wait_for(timeout=30_000)
    except PlaywrightError:
        await page.screenshot(path=screenshots / "no-dashboard.png")
        loading = await page.get_by_text("Loading").count()
        pytest.fail(
            f"the dashboard did not show within 30 s; the browser is at {page.url}"
            + (' and still shows "Loading..."' if loading else "")
        )


async def test_dashboard_card_pause_and_media_browser(
    demo: Demo,
    ha: HomeAssistantClient,
    emulator: EmulatorClient,
    browser: Browser,
    screenshots: Path,
) -> None:
    """A user logs in, sees the card, pauses, plays a playlist's track, sets volume."""
    await add_dashboard(ha, demo.entity_id)
    state = await ensure_playing(ha, emulator, demo.entity_id)
    context = await browser.new_context(viewport={"width": 1280, "height": 720})
    page = await context.new_page()
    watcher = Watcher(page)
    await context.route("**/*", watcher.route)

    await open_dashboard(page, demo, screenshots)
    card = page.locator("hui-media-control-card")
    attributes = state["attributes"]
    await expect(card).to_contain_text(attributes["media_title"])
    await expect(card).to_contain_text(attributes["media_artist"])
    cover = card.locator(".image")
    await cover.wait_for()
    assert "/api/media_player_proxy/" in (await cover.get_attribute("style") or "")

    async def cover_loaded() -> bool | None:
        return True if any(r.ok for r in watcher.covers) else None

    await wait_for(cover_loaded, "the cover to load", 10)
    await page.wait_for_timeout(500)  # the card fades the cover in
    await page.screenshot(path=screenshots / "dashboard.png")

    # Pause in the card: Spotify pauses and the card shows Play within a second.
    pressed = time.monotonic()
    await card.get_by_role("button", name="Pause").click()

    async def emulator_paused() -> bool | None:
        return True if not (await emulator.playback())["is_playing"] else None

    await wait_for(emulator_paused, "the emulator to pause", 1)
    await card.get_by_role("button", name="Play").wait_for(timeout=1000)
    assert time.monotonic() - pressed <= 1
    await page.screenshot(path=screenshots / "paused.png")

    # Browse: Playlists, a playlist, one of its tracks.
    await card.get_by_role("button", name="Browse media").click()
    browse = page.locator("ha-media-player-browse")
    await browse.locator(".title", has_text="Playlists").first.click()
    await browse.locator(".title", has_text=PLAYLIST).first.click()
    await browse.get_by_text(TRACK, exact=True).wait_for()
    await page.screenshot(path=screenshots / "media-browser.png")
    await browse.get_by_text(TRACK, exact=True).click()

    async def plays_track() -> bool | None:
        shown = await ha.state(demo.entity_id)
        playing = shown["state"] == "playing"
        return True if playing and shown["attributes"]["media_title"] == TRACK else None

    await wait_for(plays_track, f"{TRACK} to play", 5)
    playback = await emulator.playback()
    assert playback["is_playing"] is True
    # The playlist plays from the track, so next and previous have somewhere to go.
    assert playback["context_uri"].startswith("spotify:playlist:")
    shown = await ha.state(demo.entity_id)
    assert shown["attributes"]["media_playlist"] == PLAYLIST
    await page.keyboard.press("Escape")
    await browse.wait_for(state="hidden")
    await expect(card).to_contain_text(TRACK)
    await expect(card.get_by_role("button", name="Next")).to_be_visible()
    await page.screenshot(path=screenshots / "playing-track.png")

    # One click on the more-info dialog's volume slider sends one PUT /volume (the
    # frontend calls volume_set twice for it).
    await emulator.requests(clear=True)
    await card.get_by_role("button", name="Show more information").click()
    # The dialog's sliders have no names: the position comes first, then the volume.
    slider = page.locator("ha-more-info-dialog").get_by_role("slider").nth(1)
    await slider.wait_for()
    await page.screenshot(path=screenshots / "more-info.png")
    box = await slider.bounding_box()
    assert box is not None
    await slider.click(position={"x": box["width"] * 0.3, "y": box["height"] / 2})

    async def volume_requests() -> list[dict[str, object]] | None:
        found = [
            r for r in await emulator.requests() if r["path"] == "/v1/me/player/volume"
        ]
        return found or None

    await wait_for(volume_requests, "the volume to be set", 5)
    await page.wait_for_timeout(1000)  # the frontend's second call comes within 0.1 s
    sent = [str(r["query"]).split("&")[0] for r in await volume_requests() or []]
    assert sent == ["volume_percent=30"]
    await page.keyboard.press("Escape")

    assert watcher.problems == []
    await context.close()
