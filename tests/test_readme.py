"""The README's automation examples are valid, and so is what it says about enqueue."""

from __future__ import annotations

from pathlib import Path
import re
from typing import TYPE_CHECKING, Any

from homeassistant.helpers import config_validation as cv
import pytest
import yaml

from custom_components.spotify_player import services
from custom_components.spotify_player.const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

README = Path(__file__).parent.parent / "README.md"
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


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


# Sections whose YAML blocks are complete automations.
EXAMPLE_SECTIONS = ("Automations", "Households and the daily quota")


def _examples() -> list[dict[str, Any]]:
    blocks = [
        block
        for title in EXAMPLE_SECTIONS
        for block in re.findall(r"```yaml\n(.*?)```", _section(title), re.DOTALL)
    ]
    examples: list[dict[str, Any]] = []
    for block in blocks:
        loaded = yaml.safe_load(block)
        assert isinstance(loaded, list)
        examples.extend(loaded)
    return examples


def _actions(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [step for step in steps if "action" in step]


def test_the_automations_section_has_the_promised_examples() -> None:
    """Wake-up, follow-me, doorbell, like, queue: at least five, each complete."""
    examples = _examples()
    assert len(examples) >= 5
    used = {
        action["action"]
        for example in examples
        for action in _actions(example["actions"])
    }
    assert {
        "spotify_player.play_context",
        "spotify_player.transfer_playback",
        "media_player.media_pause",
        "spotify_player.save_to_library",
        "spotify_player.get_queue",
    } <= used
    wake_up = next(
        action
        for example in examples
        for action in _actions(example["actions"])
        if action["action"] == "spotify_player.play_context"
    )
    assert wake_up["data"]["random_start"] is True


@pytest.mark.parametrize("example", _examples(), ids=lambda example: example["alias"])
async def test_readme_automation_is_valid(
    hass: HomeAssistant, example: dict[str, Any]
) -> None:
    """Each example has triggers and actions; our actions pass their own schemas.

    Runs in Home Assistant's loop: templates are only checked there.
    """
    assert example["alias"]
    assert example["triggers"]
    cv.SCRIPT_SCHEMA(example["actions"])
    for action in _actions(example["actions"]):
        domain, _, name = action["action"].partition(".")
        if domain != DOMAIN:
            continue
        SCHEMAS[name]({**action.get("target", {}), **action.get("data", {})})


def test_enqueue_next_is_not_promised_as_play_next() -> None:
    """Spotify has one queue: `next` appends, and the README says so."""
    text = README.read_text(encoding="utf-8").lower()
    assert "play next" not in text.replace('no "play\nnext"', "").replace(
        'no "play next"', ""
    )
