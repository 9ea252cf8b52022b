"""A sleeping speaker linked in the real options dialog, then played on asleep.

The emulator's "Living Room AVR" is absent from Spotify's device list until its
power comes on; the demo's "Living Room AVR power" switch wakes it through the
emulator's control API (scripts/demo_config.py). The user links the two under
Configure, "Linked speakers", in Debian's chromium, and plays on the AVR's
own media player while it sleeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playwright.async_api import expect

from spotify_emulator import seed

from .browser import Watcher, log_in
from .harness import ensure_playing, wait_for

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.async_api import Browser, Page

    from .clients import EmulatorClient, HomeAssistantClient
    from .harness import Demo

AVR = seed.SLEEPER_DEVICE_NAME
AVR_PLAYER = "media_player.living_room_avr"
AVR_POWER = "switch.living_room_avr_power"
AVR_POWER_NAME = "Living Room AVR power"
PLAYLIST_URI = f"spotify:playlist:{seed.START_PLAYLIST_ID}"
OPTIONS_FLOW = "/api/config/config_entries/options/flow"
INTEGRATION_PAGE = "/config/integrations/integration/spotify_player"


async def link_in_the_options_dialog(page: Page, demo: Demo, screenshots: Path) -> None:
    """Open Configure, keep the first page, link the AVR to its power switch."""
    await log_in(page, f"{demo.ha_url}{INTEGRATION_PAGE}", screenshots)
    await page.get_by_role("button", name="Configure").click()
    dialog = page.locator("dialog-data-entry-flow")
    await expect(dialog).to_contain_text("Spotify Player options")
    await dialog.get_by_role("button", name="Submit").click()
    await expect(dialog).to_contain_text("Linked speakers")
    await dialog.get_by_role("textbox", name="Another device").fill(AVR)
    # Every picker is empty: the remembered devices' and, last, the new device's,
    # which opens a list with a search field.
    empty = dialog.get_by_text("Select an entity")
    await expect(empty).to_have_count(4)
    await empty.last.click()
    # Typing before the list's search field has focus sends the keys to the page,
    # where "a" opens Assist over the dialog; wait for the focus, then fill.
    search = dialog.locator("ha-picker-combo-box").get_by_placeholder("Search")
    await expect(search).to_be_focused()
    await search.fill(AVR_POWER_NAME)
    option = page.get_by_role("option", name=AVR_POWER_NAME)
    await option.click()
    await expect(option).to_be_hidden()
    await expect(empty).to_have_count(3)
    await dialog.get_by_text("Entity that wakes it").first.scroll_into_view_if_needed()
    await page.screenshot(path=screenshots / "wake-speaker-options.png")
    await dialog.get_by_role("button", name="Submit").click()
    await expect(dialog).to_contain_text("successfully saved")
    await page.keyboard.press("Escape")


async def wake_page(ha: HomeAssistantClient, entry_id: str) -> dict[str, Any]:
    """Open the options flow over REST, keep the first page; return the wake page."""
    flow = await ha.post(OPTIONS_FLOW, {"handler": entry_id})
    first = {
        field["name"]: field["description"]["suggested_value"]
        for field in flow["data_schema"]
        if "suggested_value" in field.get("description", {})
    }
    wake: dict[str, Any] = await ha.post(f"{OPTIONS_FLOW}/{flow['flow_id']}", first)
    assert wake["step_id"] == "wake", wake
    return wake


async def stored_links(ha: HomeAssistantClient, entry_id: str) -> dict[str, str]:
    """Return the wake links the entry's options hold, as the wake page shows them.

    The flow is dropped afterwards, changing nothing.
    """
    wake = await wake_page(ha, entry_id)
    await ha.delete(f"{OPTIONS_FLOW}/{wake['flow_id']}")
    return {
        field["name"]: field["description"]["suggested_value"]
        for field in wake["data_schema"]
        if field.get("description", {}).get("suggested_value")
    }


async def unlink_all(ha: HomeAssistantClient, entry_id: str) -> None:
    """Submit the options over REST with every wake link cleared."""
    wake = await wake_page(ha, entry_id)
    done = await ha.post(f"{OPTIONS_FLOW}/{wake['flow_id']}", {})
    assert done["type"] == "create_entry", done


async def test_link_a_sleeping_speaker_in_the_options_and_play_on_it(
    demo: Demo,
    ha: HomeAssistantClient,
    emulator: EmulatorClient,
    browser: Browser,
    screenshots: Path,
) -> None:
    """Linked in Configure, the asleep AVR is woken by its switch and plays."""
    await ensure_playing(ha, emulator, demo.entity_id)
    assert (await emulator.devices())[AVR]["asleep"] is True
    # An optimistic template switch: unknown until first switched.
    assert (await ha.state(AVR_POWER))["state"] != "on"
    context = await browser.new_context(viewport={"width": 1280, "height": 1000})
    page = await context.new_page()
    watcher = Watcher(page)
    await context.route("**/*", watcher.route)
    try:
        await link_in_the_options_dialog(page, demo, screenshots)
        assert await stored_links(ha, demo.entry_id) == {AVR: AVR_POWER}

        async def speaker() -> dict[str, Any]:
            return await ha.state(AVR_PLAYER)  # 404 until the entry has reloaded

        await wait_for(speaker, "the AVR's media player", 20)
        await emulator.requests(clear=True)
        await ha.call(
            "spotify_player",
            "play_context",
            {"entity_id": AVR_PLAYER, "context_uri": PLAYLIST_URI},
        )

        assert (await ha.state(AVR_POWER))["state"] == "on"
        assert (await emulator.devices())[AVR]["asleep"] is False
        playback = await emulator.playback()
        assert playback["device_key"] == seed.SLEEPER_DEVICE_KEY
        assert playback["is_playing"] is True
        assert playback["context_uri"] == PLAYLIST_URI
        plays = [
            r["query"]
            for r in await emulator.requests()
            if (r["method"], r["path"], r["status"])
            == ("PUT", "/v1/me/player/play", 204)
        ]
        assert any(f"device_id={seed.SLEEPER_DEVICE_ID}" in q for q in plays), plays

        async def shows_avr() -> bool | None:
            state = await ha.state(demo.entity_id)
            return True if state["attributes"].get("source") == AVR else None

        await wait_for(shows_avr, "the player to show the AVR as its source", 10)
        assert (await ha.state(AVR_PLAYER))["state"] == "playing"
        assert watcher.problems == []
    finally:
        await context.close()
        # As the other tests expect the demo: playing on the computer, AVR asleep,
        # nothing linked.
        await emulator.act("device", {"device_id": seed.COMPUTER_DEVICE_ID})
        await ha.call("switch", "turn_off", {"entity_id": AVR_POWER})
        await unlink_all(ha, demo.entry_id)
