"""The README: pasteable examples, every action and repair, true links and figures."""

from __future__ import annotations

import importlib
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from homeassistant.helpers import config_validation as cv
import pytest
import yaml

from custom_components.spotify_player import services
from custom_components.spotify_player.const import DOMAIN
from tests.helpers import INTEGRATION, STRINGS
from tests.readme_helpers import (
    BLOCKS,
    PLACEHOLDER_ID,
    ROOT,
    TEXT,
    YAML_FENCE,
    action_section,
    anchors,
    blocks,
    section,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

SCHEMAS = {
    services.SERVICE_PLAY_CONTEXT: services.PLAY_CONTEXT_SCHEMA,
    services.SERVICE_TRANSFER_PLAYBACK: services.TRANSFER_PLAYBACK_SCHEMA,
    services.SERVICE_ADD_TO_QUEUE: services.ADD_TO_QUEUE_SCHEMA,
    services.SERVICE_GET_QUEUE: services.GET_QUEUE_SCHEMA,
    services.SERVICE_SAVE_TO_LIBRARY: services.SAVE_TO_LIBRARY_SCHEMA,
    services.SERVICE_REMOVE_FROM_LIBRARY: services.REMOVE_FROM_LIBRARY_SCHEMA,
    services.SERVICE_SEARCH: services.SEARCH_SCHEMA,
    services.SERVICE_GET_DEVICES: services.GET_DEVICES_SCHEMA,
    services.SERVICE_GET_RECENTLY_PLAYED: services.GET_RECENTLY_PLAYED_SCHEMA,
}
SERVICES_YAML: dict[str, Any] = yaml.safe_load(
    (INTEGRATION / "services.yaml").read_text(encoding="utf-8")
)
MANIFEST: dict[str, Any] = json.loads(
    (INTEGRATION / "manifest.json").read_text(encoding="utf-8")
)
# The README writes a title's placeholders as \u2039account\u203a.
OPEN, CLOSE = "\u2039", "\u203a"
PLACES = {"automations.yaml", "configuration.yaml", "action", "card"}


def _check_our_action(step: dict[str, Any]) -> None:
    """Check an action of ours with its own schema (in the loop: templates)."""
    domain, _, name = step["action"].partition(".")
    if domain == DOMAIN:
        SCHEMAS[name]({**step.get("target", {}), **step.get("data", {})})


def test_every_yaml_block_says_where_it_goes() -> None:
    """No YAML block without its place, and only places the tests know."""
    assert TEXT.count(YAML_FENCE) == len(BLOCKS)
    assert {block.place for block in blocks("example")} <= PLACES
    assert {block.place for block in blocks("response")} <= set(SERVICES_YAML)


@pytest.mark.parametrize(
    "block", blocks("example", "automations.yaml"), ids=lambda block: block.text[:40]
)
async def test_automations_yaml_examples(hass: HomeAssistant, block: Any) -> None:
    """A list of complete automations, as `automations.yaml` holds them."""
    automations = block.load()
    assert isinstance(automations, list)
    for automation in automations:
        assert automation["alias"]
        assert automation["triggers"]
        cv.SCRIPT_SCHEMA(automation["actions"])
        for step in automation["actions"]:
            if "action" in step:
                _check_our_action(step)


@pytest.mark.parametrize("block", blocks("example", "action"), ids=lambda b: b.text)
async def test_action_examples(hass: HomeAssistant, block: Any) -> None:
    """One action, as Developer tools or a script step takes it."""
    step = block.load()
    assert isinstance(step, dict)
    cv.SCRIPT_SCHEMA([step])
    _check_our_action(step)


@pytest.mark.parametrize("block", blocks("example", "configuration.yaml"))
def test_configuration_yaml_examples(block: Any) -> None:
    """A mapping of integrations, each passing that integration's own schema."""
    config = block.load()
    assert isinstance(config, dict)
    for domain, value in config.items():
        schema = importlib.import_module(f"homeassistant.components.{domain}")
        schema.CONFIG_SCHEMA({domain: value})


@pytest.mark.parametrize("block", blocks("example", "card"))
def test_dashboard_card_examples(block: Any) -> None:
    """A dashboard card: a mapping with its type."""
    card = block.load()
    assert isinstance(card, dict)
    assert card["type"]


def test_the_examples_cover_random_start_on_the_users_own_playlist() -> None:
    """The wake-up example starts a playlist of the user's own at a random track."""
    starts = [
        step["data"]
        for block in blocks("example", "automations.yaml")
        for automation in block.load()
        for step in automation["actions"]
        if step.get("action") == "spotify_player.play_context"
    ]
    assert any(start.get("random_start") is True for start in starts)
    # A playlist the user only follows would start at its first track (Development
    # Mode), so every example plays the user's own.
    for block in blocks("example"):
        for playlist in re.findall(
            r"(?:spotify:|open\.spotify\.com/)playlist[:/](\w+)", block.text
        ):
            assert playlist == PLACEHOLDER_ID, block.text


@pytest.mark.parametrize("action", list(SERVICES_YAML))
def test_every_action_is_documented_with_its_fields(action: str) -> None:
    """Each field in the action's table; defaults as services.yaml declares them."""
    text = action_section(action)
    for field, spec in SERVICES_YAML[action].get("fields", {}).items():
        row = next(
            (line for line in text.splitlines() if line.startswith(f"| `{field}` |")),
            None,
        )
        assert row, f"{action}: no row for {field}"
        if "default" in spec:
            default = spec["default"]
            shown = f"[{', '.join(default)}]" if isinstance(default, list) else default
            assert re.search(rf"default `?{re.escape(str(shown).lower())}`?", row), row


@pytest.mark.parametrize("kind", list(STRINGS["issues"]))
def test_every_repair_has_a_troubleshooting_entry(kind: str) -> None:
    """Under its own title, each placeholder written between single guillemets."""
    title = STRINGS["issues"][kind]["title"]
    pattern = f"{OPEN}[^{CLOSE}]+{CLOSE}".join(
        re.escape(part) for part in re.split(r"\{[a-z_]+\}", title)
    )
    assert re.search(rf"\*\*{pattern}\*\*", section("### Repairs")), title


def test_links_inside_the_documents_resolve() -> None:
    """Every #anchor in the README and CONTRIBUTING.md names a heading."""
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    documents = {"README.md": TEXT, "CONTRIBUTING.md": contributing}
    for name, text in documents.items():
        for target, anchor in re.findall(r"\]\(([A-Z]+\.md)?#([^)]+)\)", text):
            assert anchor in anchors(documents[target or name]), (name, anchor)


def test_installation_names_the_repository_and_blueprints_import_from_it() -> None:
    """Each way to install names the manifest's repository; each blueprint links."""
    repository = MANIFEST["documentation"]
    for way in ("### Marketplace", "### HACS", "### Manual"):
        heading = next(line for line in TEXT.splitlines() if line.startswith(way))
        assert repository in section(heading), way
    folder = ROOT / "blueprints" / "automation" / DOMAIN
    for blueprint in sorted(folder.glob("*.yaml")):
        url = f"{repository}/blob/main/blueprints/automation/{DOMAIN}/{blueprint.name}"
        assert f"blueprint_url={quote(url, safe='')})" in TEXT, blueprint.name


def test_the_figures_are_those_of_the_bench_run_they_name() -> None:
    """The headline figures match the results file the paragraph names, and its date."""
    text = section("### How fast and how frugal")
    name = re.search(r"<!-- figures: (benchmarks/results/[^ ]+\.json) -->", text)
    assert name
    run: dict[str, Any] = json.loads((ROOT / name.group(1)).read_text())
    areas = run["areas"]
    assert f"Measured on {run['measured'][:10]}" in text
    hour = areas["polling: an hour on the default options"]
    day = areas["a day: 3 h playing, 2 h paused, 19 h idle"]["this run"]
    shown = areas["polling: an hour playing, what the entity shows"]["playing"]
    volume = areas["commands: wall clock, emulator in the same process"][
        "volume_set until shown"
    ]
    soak = next(value for key, value in areas.items() if key.startswith("fault soak"))
    expected = {
        r"an hour of music costs ([\d,.]+) requests": hour["playing"]["requests"],
        r"an idle hour ([\d,.]+)": day["idle_per_hour_after_the_first_10_minutes"],
        r"19 idle ([\d,.]+)": day["requests_per_day"],
        r"Each of ([\d,.]+) track changes": shown["track_changes"],
        r"within ([\d,.]+) s": shown["longest_showing_a_finished_track_s"],
        r"in ([\d,.]+) ms on average": volume["mean_ms"],
        r"([\d,.]+) ms at the 95th percentile": volume["p95_ms"],
        r"with ([\d,.]+) injected faults": soak["this run"]["faults_scheduled"],
        r"([\d,.]+) requests were sent while": soak["this run"][
            "requests_inside_retry_after"
        ],
    }
    for pattern, value in expected.items():
        found = re.search(pattern, text.replace("\n", " "))
        assert found, pattern
        figure = float(str(value).split(" ", 1)[0])
        assert float(found.group(1).replace(",", "").rstrip(".")) == figure, pattern


def test_enqueue_next_is_not_promised_as_play_next() -> None:
    """Spotify has one queue: `next` appends, and the README says so."""
    assert "play next" not in TEXT.lower()
