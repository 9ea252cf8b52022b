"""quality_scale.yaml tells the truth: every rule has a status and names its proof."""

from __future__ import annotations

import json
from pathlib import Path
import re
import tomllib
from typing import TYPE_CHECKING

from homeassistant.const import EVENT_HOMEASSISTANT_CLOSE
from homeassistant.helpers import entity_registry as er
from homeassistant.util.yaml import load_yaml_dict
import pytest

from custom_components.spotify_player import media_player
from custom_components.spotify_player.api import SpotifyConnectionError
from spotify_emulator import seed
from tests.helpers import INTEGRATION, STRINGS

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

ROOT = Path(__file__).parents[1]
RULES = load_yaml_dict(str(INTEGRATION / "quality_scale.yaml"))["rules"]

ALL_RULES = {
    # Bronze
    "action-setup",
    "appropriate-polling",
    "brands",
    "common-modules",
    "config-flow",
    "config-flow-test-coverage",
    "dependency-transparency",
    "docs-actions",
    "docs-conditions",
    "docs-high-level-description",
    "docs-installation-instructions",
    "docs-removal-instructions",
    "docs-triggers",
    "entity-event-setup",
    "entity-unique-id",
    "has-entity-name",
    "runtime-data",
    "test-before-configure",
    "test-before-setup",
    "unique-config-entry",
    # Silver
    "action-exceptions",
    "config-entry-unloading",
    "docs-configuration-parameters",
    "docs-installation-parameters",
    "entity-unavailable",
    "integration-owner",
    "log-when-unavailable",
    "parallel-updates",
    "reauthentication-flow",
    "test-coverage",
    # Gold
    "devices",
    "diagnostics",
    "discovery",
    "discovery-update-info",
    "docs-data-update",
    "docs-examples",
    "docs-known-limitations",
    "docs-supported-devices",
    "docs-supported-functions",
    "docs-troubleshooting",
    "docs-use-cases",
    "dynamic-devices",
    "entity-category",
    "entity-device-class",
    "entity-disabled-by-default",
    "entity-translations",
    "exception-translations",
    "icon-translations",
    "reconfiguration-flow",
    "repair-issues",
    "stale-devices",
    # Platinum
    "async-dependency",
    "inject-websession",
    "strict-typing",
}
TEST_REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(test_\w+)")
README_REFERENCE = re.compile(r"^README: (.+)$")


def test_every_rule_has_a_status() -> None:
    """All rules are listed; exemptions explain themselves."""
    assert set(RULES) == ALL_RULES
    for name, rule in RULES.items():
        assert rule["status"] in {"done", "exempt", "todo"}, name
        assert rule.get("comment"), f"{name} needs a comment"


def test_rules_name_real_tests() -> None:
    """Every test a rule points at exists."""
    referenced = 0
    for name, rule in RULES.items():
        for path, test in TEST_REFERENCE.findall(rule["comment"]):
            source = (ROOT / path).read_text()
            assert re.search(rf"^(async )?def {test}\(", source, re.M), (name, test)
            referenced += 1
        if rule["status"] == "done":
            shown = TEST_REFERENCE.search(rule["comment"]) or README_REFERENCE.match(
                rule["comment"]
            )
            assert shown, f"{name} is done: name the test (or README section)"
    assert referenced >= 25


def test_docs_rules_point_at_readme_sections() -> None:
    """A documentation rule marked done names a heading the README really has."""
    headings = {
        line.lstrip("#").strip()
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("#")
    }
    for name, rule in RULES.items():
        if not name.startswith("docs-") or rule["status"] != "done":
            continue
        match = README_REFERENCE.match(rule["comment"])
        assert match, f"{name} must name a README section"
        assert match.group(1) in headings, (name, match.group(1))


def test_parallel_updates_is_set() -> None:
    """Home Assistant holds nothing back: commands.py serialises the commands.

    That the last input wins is tests/test_commands.py::test_last_volume_wins.
    """
    assert media_player.PARALLEL_UPDATES == 0


async def test_entity_has_a_unique_id_and_the_device_name(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The player is unique per Spotify user and named after its device alone."""
    registry = er.async_get(hass)
    # The media player (the up-next sensor beside it has its own test).
    (entity,) = [
        entry
        for entry in er.async_entries_for_config_entry(
            registry, init_integration.entry_id
        )
        if entry.domain == "media_player"
    ]
    assert entity.unique_id == seed.PREMIUM_USER_ID
    assert entity.has_entity_name is True
    assert entity.original_name is None
    state = hass.states.get(entity.entity_id)
    assert state is not None
    assert state.name == init_integration.title


def test_icons_cover_every_action_and_the_entity() -> None:
    """Every action and the player's translation key have an icon in icons.json."""
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    services = load_yaml_dict(str(INTEGRATION / "services.yaml"))
    assert set(icons["services"]) == set(services)
    assert all(
        entry["service"].startswith("mdi:") for entry in icons["services"].values()
    )
    # The player's translation key (media_player.py: _attr_translation_key).
    icon = icons["entity"]["media_player"]["spotify_player"]["default"]
    assert icon.startswith("mdi:")


def test_every_sensor_has_an_icon() -> None:
    """Each sensor translation key (sensor.py) has an icon in icons.json."""
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    sensors = STRINGS["entity"]["sensor"]
    assert set(icons["entity"]["sensor"]) == set(sensors)
    assert all(
        entry["default"].startswith("mdi:")
        for entry in icons["entity"]["sensor"].values()
    )


def test_manifest_names_an_owner() -> None:
    """The manifest names at least one code owner by GitHub handle."""
    manifest = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["codeowners"]
    assert all(re.fullmatch(r"@[\w-]+", owner) for owner in manifest["codeowners"])


def test_coverage_is_measured_and_enforced() -> None:
    """scripts/test measures coverage and fails the whole suite under 95 %."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    sources = config["tool"]["coverage"]["run"]["source"]
    assert "custom_components/spotify_player" in sources
    script = (ROOT / "scripts/test").read_text()
    assert "--cov " in script
    assert "--cov-fail-under=95" in script


def test_strict_typing_is_configured() -> None:
    """Mypy runs in strict mode on the integration (scripts/lint)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["mypy"]["strict"] is True
    assert (
        "mypy custom_components/spotify_player" in (ROOT / "scripts/lint").read_text()
    )


async def test_client_uses_the_injected_session(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """The Web API client talks through Home Assistant's shared aiohttp session.

    Once Home Assistant has closed that session, no request of the client goes out.
    """
    client = init_integration.runtime_data.client
    assert await client.get_devices()
    # Home Assistant closes its session itself, on this event (after STOP).
    hass.bus.async_fire(EVENT_HOMEASSISTANT_CLOSE)
    await hass.async_block_till_done()
    start = len(emulator_world.request_log)
    with pytest.raises(SpotifyConnectionError):
        await client.get_devices()
    assert emulator_world.request_log.entries[start:] == []


def test_license_file_matches_the_declared_license() -> None:
    """HACS checks for a LICENSE file; it must be the MIT text pyproject declares."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
