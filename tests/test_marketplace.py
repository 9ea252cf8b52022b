"""The Marketplace (Home Assistant 2026.11 and later) accepts and installs us.

tests/marketplace_check.py runs the Marketplace's own code from the newest release
(.venv-newest, scripts/setup --newest): its hacs.json validators, its content
resolution and manifest.json reading, its minimum-version check and its check that
the installed manifest.json loads. These tests fail on anything it refuses.
"""

from __future__ import annotations

import json
from pathlib import Path
import shutil
import subprocess
from typing import Any

ROOT = Path(__file__).parent.parent
NEWEST_PYTHON = ROOT / ".venv-newest" / "bin" / "python"
CHECK = Path(__file__).parent / "marketplace_check.py"


def marketplace_check(repository: Path) -> dict[str, Any]:
    """Return what the newest release's Marketplace makes of `repository`."""
    assert NEWEST_PYTHON.exists(), "run scripts/setup --newest"
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [str(NEWEST_PYTHON), str(CHECK), str(repository)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    checked: dict[str, Any] = json.loads(result.stdout)
    return checked


def test_the_marketplace_accepts_and_installs_this_repository() -> None:
    """Nothing refused; it installs custom_components/spotify_player, brand included."""
    checked = marketplace_check(ROOT)

    assert checked["refusals"] == []
    assert checked["full_name"] == "spotify-player/spotify_player"
    assert (checked["display_name"], checked["domain"], checked["config_flow"]) == (
        "Spotify Player",
        "spotify_player",
        True,
    )
    assert checked["content"] == "custom_components/spotify_player"
    assert {"manifest.json", "translations/en.json", "brand/icon.png"} <= set(
        checked["installed"]
    )
    # The repository page shows the README.
    assert checked["readme"] == ["README.md"]


def test_what_the_marketplace_refuses_fails_the_check(tmp_path: Path) -> None:
    """A hacs.json and a manifest.json it refuses come back in its own words."""
    repository = tmp_path / "repository"
    integration = repository / "custom_components" / "spotify_player"
    shutil.copytree(ROOT / "custom_components" / "spotify_player", integration)
    shutil.copy(ROOT / "README.md", repository)
    (repository / "hacs.json").write_text(
        json.dumps(
            {
                "name": "Spotify Player",
                "homeassistant": "2099.1.0",
                "zip_release": "yes",
                "tested": ["2026.11.0"],
            }
        )
    )
    manifest = json.loads((integration / "manifest.json").read_text())
    del manifest["version"]
    manifest["codeowners"] = "@spotify-player"
    (integration / "manifest.json").write_text(json.dumps(manifest))
    for git in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", "-C", str(repository), *git], check=True)  # noqa: S603, S607

    refusals = marketplace_check(repository)["refusals"]

    assert refusals == [
        "hacs.json: the Marketplace does not read 'tested'",
        "This version requires Home Assistant 2099.1.0 or newer.",
        (
            "The manifest.json of the installed content has no valid version, Home "
            "Assistant would not load it."
        ),
        "Ignoring zip_release in hacs.json, 'yes' is not valid",
        "Ignoring codeowners in manifest.json, '@spotify-player' is not valid",
    ]
