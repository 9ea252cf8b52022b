"""Helpers of the blueprint tests: the blueprints as imported, automations from them."""

from __future__ import annotations

import contextlib
from datetime import timedelta
import json
from pathlib import Path
import shutil
from typing import TYPE_CHECKING, Any

from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from tests.helpers import state, until

if TYPE_CHECKING:
    from collections.abc import Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World

ROOT = Path(__file__).parent.parent
BLUEPRINTS = ROOT / "blueprints" / "automation" / "spotify_player"


def import_blueprints(hass: HomeAssistant, config_dir: Path) -> None:
    """Make `config_dir` Home Assistant's configuration, the blueprints in it.

    Where importing them puts them: blueprints/automation/spotify_player/.
    """
    hass.config.config_dir = str(config_dir)
    shutil.copytree(
        BLUEPRINTS, config_dir / "blueprints" / "automation" / BLUEPRINTS.name
    )


async def automation_from(
    hass: HomeAssistant, name: str, inputs: dict[str, Any]
) -> str:
    """Create an automation from blueprint `name` with `inputs`; return its entity."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": name,
                "alias": name,
                "use_blueprint": {
                    "path": f"{BLUEPRINTS.name}/{name}.yaml",
                    "input": inputs,
                },
            }
        },
    )
    await hass.async_block_till_done()
    entity_id = f"automation.{name}"
    assert state(hass, entity_id).state == "on"
    return entity_id


async def turn_off(hass: HomeAssistant, automation: str) -> None:
    """Turn an automation off: its time trigger would stay scheduled after the test."""
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": automation}, blocking=True
    )


def import_url(name: str) -> str:
    """Return the blueprint's address on GitHub, from the manifest's repository URL."""
    manifest = ROOT / "custom_components" / "spotify_player" / "manifest.json"
    repository = json.loads(manifest.read_text())["documentation"]
    return f"{repository}/blob/main/blueprints/automation/spotify_player/{name}.yaml"


def move(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, world: World, seconds: float
) -> None:
    """Move both clocks on and fire what is due, waiting for nothing."""
    world.advance(seconds)
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)


async def advance_until(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    world: World,
    condition: Callable[[], bool],
    seconds: int = 30,
) -> None:
    """Move both clocks a second at a time, `seconds` at most, until `condition`.

    Not `tick`: an automation waiting for a state or a delay keeps Home Assistant
    from ever being done. Small steps: a request on its way must not time out.
    """
    for _ in range(seconds):
        move(hass, freezer, world, 1)
        with contextlib.suppress(AssertionError):
            await until(condition, rounds=50)
            return
    raise AssertionError(f"the condition never held within {seconds} s")
