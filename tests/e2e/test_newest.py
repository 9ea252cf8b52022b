"""The newest Home Assistant release, as a new user runs it: a blueprint imported.

The demo runs the release pinned in requirements_newest.txt. A blueprint is imported
through the real WebSocket API (as "Import blueprint" does, from an address Home
Assistant downloads it from), saved, made into an automation through the REST API the
automation editor uses, and run.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .harness import REPO, ensure_playing, free_port, wait_for

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from .clients import EmulatorClient, HomeAssistantClient
    from .harness import Demo

BLUEPRINTS = REPO / "blueprints" / "automation" / "spotify_player"
BLUEPRINT = "like_what_is_playing"
AUTOMATION_ID = "e2e_like_what_is_playing"
EVENT = "spotify_player_like_e2e"


def newest_pin() -> str:
    """Return the Home Assistant version requirements_newest.txt pins."""
    text = (REPO / "requirements_newest.txt").read_text()
    match = re.search(r"^homeassistant==(\S+)$", text, re.MULTILINE)
    assert match, "requirements_newest.txt pins no homeassistant"
    return match.group(1)


async def test_the_demo_runs_the_newest_release(ha: HomeAssistantClient) -> None:
    """What scripts/develop and these tests run is the release pinned as newest."""
    assert (await ha.get("/api/config"))["version"] == newest_pin()


@contextlib.asynccontextmanager
async def serve(folder: Path) -> AsyncIterator[str]:
    """Serve the files of `folder` on 127.0.0.1; yield the address."""
    app = web.Application()
    app.router.add_static("/", folder)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_import_a_blueprint_and_run_it(
    demo: Demo, ha: HomeAssistantClient, emulator: EmulatorClient
) -> None:
    """Import "Like what is playing", make an automation of it, fire its event."""
    async with serve(BLUEPRINTS) as url:
        imported = await ha.ws("blueprint/import", url=f"{url}/{BLUEPRINT}.yaml")
    assert imported["validation_errors"] is None
    assert imported["blueprint"]["metadata"]["domain"] == "automation"
    source_url = imported["blueprint"]["metadata"]["source_url"]
    await ha.ws(
        "blueprint/save",
        domain="automation",
        path=f"spotify_player/{BLUEPRINT}",
        yaml=imported["raw_data"],
        source_url=source_url,
        allow_override=True,
    )
    await ha.post(
        f"/api/config/automation/config/{AUTOMATION_ID}",
        {
            "alias": "Like what is playing (e2e)",
            "use_blueprint": {
                "path": f"spotify_player/{BLUEPRINT}.yaml",
                "input": {"player": demo.entity_id, "event_type": EVENT},
            },
        },
    )
    try:
        await run_it(demo, ha, emulator)
    finally:
        await ha.session.delete(
            f"{ha.url}/api/config/automation/config/{AUTOMATION_ID}",
            headers=ha.headers,
        )
        await ha.ws(
            "blueprint/delete",
            domain="automation",
            path=f"spotify_player/{BLUEPRINT}.yaml",
        )


async def run_it(demo: Demo, ha: HomeAssistantClient, emulator: EmulatorClient) -> None:
    """Fire the automation's event: Spotify is asked to save what plays."""

    async def automation_on() -> dict[str, Any] | None:
        states = await ha.get("/api/states")
        return next(
            (
                s
                for s in states
                if s["entity_id"].startswith("automation.")
                and s["attributes"].get("id") == AUTOMATION_ID
                and s["state"] == "on"
            ),
            None,
        )

    await wait_for(automation_on, "the automation made from the blueprint", 10)
    await ensure_playing(ha, emulator, demo.entity_id)
    playing = (await emulator.playback())["item_uri"]
    await emulator.requests(clear=True)

    await ha.post(f"/api/events/{EVENT}", {})

    async def saved() -> dict[str, Any] | None:
        return next(
            (
                r
                for r in await emulator.requests()
                if (r["method"], r["path"]) == ("PUT", "/v1/me/library")
            ),
            None,
        )

    request = await wait_for(saved, "Spotify to be asked to save the track", 10)
    assert request["query"] == f"uris={playing}"
    assert request["status"] in {200, 204}
