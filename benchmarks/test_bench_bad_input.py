"""Malformed action calls: how many are refused cleanly, and how many reach Spotify.

Replays every malformed call of tests/test_bad_input.py against one account and
counts the outcomes instead of stopping at the first surprise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import ServiceValidationError

from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.schema_library import vol
from tests.helpers import api_requests
from tests.test_bad_input import CASES, call

from .report import report

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World


async def test_malformed_calls(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """Count, for every malformed call, refusals, requests sent and crashes."""
    refused = untranslated = silent = crashes = other = 0
    for domain, service, data, _key in CASES:
        since = len(emulator_world.request_log)
        try:
            await call(hass, init_integration, domain, service, data)
        except ServiceValidationError as err:
            refused += err.translation_domain == DOMAIN
            other += err.translation_domain != DOMAIN
        except vol.Invalid:
            untranslated += 1  # refused, but in the schema library's own words
        except Exception:  # noqa: BLE001 - counting crashes is the point
            crashes += 1
        silent += not api_requests(emulator_world, since)
    report(
        "bad input: malformed action calls",
        "this run",
        calls=len(CASES),
        refused_translated=refused,
        refused_percent=round(100 * refused / len(CASES), 1),
        refused_untranslated=untranslated,
        other_outcomes=other,
        crashes=crashes,
        with_no_request=silent,
    )
