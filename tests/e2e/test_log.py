"""Home Assistant's own log after starting the demo."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from scripts import demo_config
from spotify_emulator import seed

from .harness import NEWEST_BIN, REPO, log_problems

if TYPE_CHECKING:
    from .clients import HomeAssistantClient
    from .harness import Demo


async def test_start_needs_and_breaks_nothing(
    demo: Demo, ha: HomeAssistantClient
) -> None:
    """No package installed at run time, no failed setup, no invalid config."""
    assert log_problems(demo.log_text()) == []
    notifications = await ha.ws("persistent_notification/get")
    assert "invalid_config" not in {n["notification_id"] for n in notifications}


async def test_log_shows_no_secret(demo: Demo) -> None:
    """Neither the client secret nor a token of the linked account is logged."""
    log = demo.log_text() + demo.hass.log.read_text(errors="replace")
    token = await demo.saved_token()
    for secret in (seed.CLIENT_SECRET, token["access_token"], token["refresh_token"]):
        assert secret not in log


def test_log_problems_are_found() -> None:
    """The lines a broken first start leaves are each caught."""
    log = """\
2026-12-01 10:00:00 INFO [homeassistant.util.package] Attempting install of pymicro-vad
2026-12-01 10:00:09 ERROR [homeassistant.util.package] Unable to install package x
2026-12-01 10:00:09 ERROR [homeassistant.setup] Setup failed for 'x': Invalid config.
2026-12-01 10:00:10 ERROR [homeassistant.setup] Error during setup of component x
2026-12-01 10:00:11 INFO [homeassistant.setup] Setting up spotify_player
"""
    assert len(log_problems(log)) == 4


# Run by the newest release's interpreter: its manifests say what the demo needs.
MISSING_REQUIREMENTS = """
from homeassistant.util.package import is_installed
from scripts import demo_config
print("\\n".join(r for r in demo_config.requirements() if not is_installed(r)))
"""


def test_setup_installed_what_onboarding_adds_too() -> None:
    """Every requirement of the demo is there, also of integrations no test starts.

    The started Home Assistant never reaches onboarding's location step, whose
    weather, radio and text-to-speech integrations a newcomer's does set up.
    """
    assert {"google_translate", "met", "radio_browser"} <= set(
        demo_config.ONBOARDING_DOMAINS
    )
    missing = subprocess.run(  # noqa: S603 - the newest environment's interpreter
        [str(NEWEST_BIN / "python"), "-c", MISSING_REQUIREMENTS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert missing == []
