"""The README's sample responses have the keys the actions return from the emulator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import SupportsResponse
import pytest
import yaml

from custom_components.spotify_player.const import DOMAIN
from spotify_emulator import seed
from tests.helpers import INTEGRATION, PLAYER_ACTIONS, call_action
from tests.readme_helpers import action_section, blocks

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World

ACTIONS = list(
    yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
)
OWN_PLAYLIST = f"spotify:playlist:{seed.START_PLAYLIST_ID}"


def _sample(action: str) -> Any:
    """Return the README's sample response of an action, without the entity id key."""
    (block,) = blocks("response", action)
    sample = block.load()
    if action in PLAYER_ACTIONS:
        ((_, sample),) = sample.items()
    return sample


def _assert_same_keys(sample: Any, actual: Any, where: str) -> None:
    """Assert mappings share keys, and each sample list item an actual item's keys.

    List items are matched by `type` where they have one (a track, an episode).
    """
    if isinstance(sample, dict):
        assert isinstance(actual, dict), where
        assert set(sample) == set(actual), where
        for key, value in sample.items():
            if isinstance(value, dict | list) and actual[key] is not None:
                _assert_same_keys(value, actual[key], f"{where}.{key}")
    elif isinstance(sample, list):
        assert isinstance(actual, list), where
        for item in sample:
            alike = [
                other
                for other in actual
                if not isinstance(item, dict) or other.get("type") == item.get("type")
            ]
            assert alike, f"{where}: nothing like {item}"
            _assert_same_keys(item, alike[0], f"{where}[]")


async def _response(
    hass: HomeAssistant, action: str, entry: MockConfigEntry, world: World
) -> Any:
    """Call an action the way its README sample shows, on the emulator's world."""
    if action == "play_context":
        return await call_action(
            hass, action, entry, context_uri=OWN_PLAYLIST, random_start=True
        )
    if action == "get_queue":
        # The sample shows an episode queued after the track playing.
        episode = f"spotify:episode:{sorted(world.catalogue.episodes)[0]}"
        await call_action(hass, "add_to_queue", entry, uri=episode)
    if action == "search":
        kinds = [key.removesuffix("s") for key in _sample(action)]
        return await call_action(hass, action, entry, query="e", types=kinds)
    return await call_action(hass, action, entry)


@pytest.mark.parametrize("action", ACTIONS)
async def test_sample_responses_match_the_actions(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    action: str,
) -> None:
    """Each action's README section shows its response, or says it has none."""
    text = action_section(action)
    if hass.services.supports_response(DOMAIN, action) is SupportsResponse.NONE:
        assert "No response." in text
        assert not blocks("response", action)
        return
    actual = await _response(hass, action, init_integration, emulator_world)
    _assert_same_keys(_sample(action), actual, action)
