"""The integration's actions: registration, the account they act for, Spotify's errors.

What each action does is tested in test_queue_actions.py (get_queue, add_to_queue,
search, get_devices), test_play_actions.py (play_context, transfer_playback) and
test_library_actions.py.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir, selector
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.spotify_player import api
from custom_components.spotify_player.const import DOMAIN
from custom_components.spotify_player.errors import ERROR_TABLE, translate_spotify_error
from custom_components.spotify_player.services import (
    SERVICE_ADD_TO_QUEUE,
    SERVICE_GET_DEVICES,
    SERVICE_GET_QUEUE,
    SERVICE_GET_RECENTLY_PLAYED,
    SERVICE_PLAY_CONTEXT,
    SERVICE_REMOVE_FROM_LIBRARY,
    SERVICE_SAVE_TO_LIBRARY,
    SERVICE_SEARCH,
    SERVICE_TRANSFER_PLAYBACK,
)
from spotify_emulator import FaultKind, seed
from tests.helpers import (
    INTEGRATION,
    PLAYER_ACTIONS,
    STRINGS,
    USER,
    call_action,
    context_items,
    spotify_error,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from spotify_emulator import World


START_PLAYLIST = f"spotify:playlist:{seed.START_PLAYLIST_ID}"
SPEAKER = "Living Room Speaker"
RESTRICTED = "Hallway Amplifier"

# Minimal valid data per action, for the checks every action shares.
MINIMAL: dict[str, dict[str, Any]] = {
    SERVICE_GET_QUEUE: {},
    SERVICE_ADD_TO_QUEUE: {"uri": "spotify:track:0000000000000000000000"},
    SERVICE_PLAY_CONTEXT: {"context_uri": START_PLAYLIST},
    SERVICE_TRANSFER_PLAYBACK: {"device": SPEAKER},
    SERVICE_SEARCH: {"query": "a"},
    SERVICE_GET_DEVICES: {},
    SERVICE_GET_RECENTLY_PLAYED: {},
    SERVICE_SAVE_TO_LIBRARY: {"uris": "spotify:track:0000000000000000000000"},
    SERVICE_REMOVE_FROM_LIBRARY: {"uris": "spotify:track:0000000000000000000000"},
}
ACCOUNT_ACTIONS = [service for service in MINIMAL if service not in PLAYER_ACTIONS]


# Registration and entry selection ---------------------------------------------------


async def test_actions_exist_without_entries(
    hass: HomeAssistant, enable_custom_integrations: None
) -> None:
    """The actions are registered by async_setup, before any account is added."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert set(hass.services.async_services_for_domain(DOMAIN)) == set(MINIMAL)


@pytest.mark.parametrize("service", ACCOUNT_ACTIONS)
async def test_unknown_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, service: str
) -> None:
    """An entry id that does not exist is refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, service, "not-an-entry", **MINIMAL[service])
    assert err.value.translation_key == "service_config_entry_not_found"


@pytest.mark.parametrize("service", ACCOUNT_ACTIONS)
async def test_entry_not_loaded(
    hass: HomeAssistant, init_integration: MockConfigEntry, service: str
) -> None:
    """A second account that is not set up is refused, naming the account."""
    idle = MockConfigEntry(domain=DOMAIN, title="Not loaded", unique_id="other")
    idle.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, service, idle, **MINIMAL[service])
    assert err.value.translation_key == "service_config_entry_not_loaded"
    assert err.value.translation_placeholders == {
        "domain": DOMAIN,
        "entry_title": "Not loaded",
    }


async def test_entry_of_another_integration(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An entry of another integration is refused too."""
    other = MockConfigEntry(domain="demo", title="Demo")
    other.add_to_hass(hass)
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, SERVICE_GET_DEVICES, other)
    assert err.value.translation_key == "service_config_entry_wrong_domain"


async def test_entry_is_required(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The account field is required by every action."""
    with pytest.raises(ServiceValidationError, match=r"."):
        await hass.services.async_call(
            DOMAIN, SERVICE_GET_DEVICES, {}, blocking=True, return_response=True
        )


# Spotify errors -------------------------------------------------------------------


@pytest.mark.parametrize("user", [seed.FREE_USER_ID])
async def test_premium_required(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A free account cannot control playback: translated error and repair issue."""
    entry = init_integration
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_TRANSFER_PLAYBACK, entry, device="Budget Phone")
    assert err.value.translation_key == "premium_required"
    assert issue_registry.async_get_issue(DOMAIN, f"premium_required_{entry.entry_id}")


async def test_restricted_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Spotify refuses commands to a restricted device."""
    with pytest.raises(HomeAssistantError) as err:
        await call_action(
            hass, SERVICE_TRANSFER_PLAYBACK, init_integration, device=RESTRICTED
        )
    assert err.value.translation_key == "restricted_device"


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (
            spotify_error(429, "API rate limit exceeded", headers={"Retry-After": "7"}),
            ("rate_limited", {"retry_after": "7"}),
        ),
        (spotify_error(502, "Bad gateway"), ("server_error", {"error": "Bad gateway"})),
        (spotify_error(404, "Not found."), ("not_found", {"error": "Not found."})),
        (spotify_error(400, "Bad request"), ("api_error", {"error": "Bad request"})),
        (
            spotify_error(
                403,
                "Player command failed: Cannot control device volume",
                reason="VOLUME_CONTROL_DISALLOW",
            ),
            ("volume_control_disallowed", None),
        ),
        (
            spotify_error(
                403,
                "Check settings on developer.spotify.com/dashboard, "
                "the user may not be registered.",
            ),
            ("user_not_registered", None),
        ),
    ],
)
async def test_command_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    fault: dict[str, Any],
    expected: tuple[str, dict[str, str] | None],
) -> None:
    """Spotify's HTTP errors come out as translated Home Assistant errors."""
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me/player/queue", method="POST", **fault
    )
    track = context_items(emulator_world, START_PLAYLIST)[10]
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_ADD_TO_QUEUE, init_integration, uri=track)
    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_domain == DOMAIN
    assert (
        err.value.translation_key,
        err.value.translation_placeholders,
    ) == expected
    assert track not in emulator_world.playback(USER).queue


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (FaultKind.RESET, "cannot_connect"),
        (FaultKind.MALFORMED, "malformed_response"),
    ],
)
async def test_read_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    kind: FaultKind,
    key: str,
) -> None:
    """Transport failures and unreadable answers of the read-only actions."""
    # Two shots: aiohttp retries an idempotent request once on a reused connection.
    emulator_world.faults.add(kind, path_prefix="/v1/me/player/queue", count=2)
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_GET_QUEUE, init_integration)
    assert err.value.translation_key == key


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        ({"kind": FaultKind.EXPIRED_TOKEN}, "authentication_failed"),
        (
            {
                "kind": FaultKind.STATUS,
                **spotify_error(403, "Insufficient client scope"),
            },
            "missing_scope",
        ),
    ],
)
async def test_auth_errors_start_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    emulator_world: World,
    fault: dict[str, Any],
    key: str,
) -> None:
    """A dead grant or missing scopes start reauthentication at once, and only that.

    Missing scopes raise no repair issue on top of the reauth flow: one question.
    """
    emulator_world.faults.add(path_prefix="/v1/search", **fault)
    # The refresh after a 401 finds the grant revoked.
    emulator_world.faults.add(FaultKind.REVOKED_REFRESH_TOKEN, path_prefix="/api/token")
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_SEARCH, init_integration, query="a")
    assert err.value.translation_key == key
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert not [
        issue for issue in ir.async_get(hass).issues.values() if issue.domain == DOMAIN
    ]


async def test_account_dropped_from_allow_list(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """A command refused for the app's allow-list raises that repair issue."""
    emulator_world.faults.add(
        FaultKind.STATUS,
        path_prefix="/v1/search",
        **spotify_error(
            403,
            "Check settings on developer.spotify.com/dashboard, "
            "the user may not be registered.",
        ),
    )
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_SEARCH, init_integration, query="a")
    assert err.value.translation_key == "user_not_registered"
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"user_not_registered_{init_integration.entry_id}"
    )
    assert issue is not None


async def test_get_devices_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, emulator_world: World
) -> None:
    """A failing device list is translated as well."""
    emulator_world.faults.add(
        FaultKind.STATUS, path_prefix="/v1/me/player/devices", status=500
    )
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, SERVICE_GET_DEVICES, init_integration)
    assert err.value.translation_key == "server_error"


# Strings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        api.SpotifyPremiumRequiredError("x", status=403, reason="PREMIUM_REQUIRED"),
        api.SpotifyNoActiveDeviceError("x", status=404, reason="NO_ACTIVE_DEVICE"),
        api.SpotifyRateLimitedError("x", retry_after=0.2),
        api.SpotifyInsufficientScopeError("x", status=403),
        api.SpotifyUserNotRegisteredError("x", status=403),
        api.SpotifyForbiddenError("x", status=403, reason="VOLUME_CONTROL_DISALLOW"),
        api.SpotifyForbiddenError("Player command failed: Restriction violated"),
        api.SpotifyForbiddenError("Forbidden", status=403),
        api.SpotifyAuthenticationError("x", status=401),
        api.SpotifyNotFoundError("x", status=404),
        api.SpotifyServerError("x", status=500),
        api.SpotifyConnectionError("x"),
        api.SpotifyMalformedResponseError("x"),
        api.SpotifyResponseError("x", status=400),
        api.SpotifyError("x"),
    ],
    ids=repr,
)
def test_every_error_is_translated(error: api.SpotifyError) -> None:
    """Each mapped key exists with exactly the placeholders it is given."""
    translated = translate_spotify_error(error)
    assert translated.translation_domain == DOMAIN
    message = STRINGS["exceptions"][translated.translation_key]["message"]
    placeholders = translated.translation_placeholders or {}
    assert message.format(**placeholders)
    assert all(f"{{{name}}}" in message for name in placeholders)
    if isinstance(error, api.SpotifyRateLimitedError):
        assert placeholders == {"retry_after": "1"}


def test_error_table_keys_read_everywhere() -> None:
    """Every outcome of the error table has its message and its config flow abort."""
    for _kind, _condition, outcome in ERROR_TABLE:
        assert outcome.key in STRINGS["exceptions"], outcome.key
        assert outcome.key in STRINGS["config"]["abort"], outcome.key
        # Reauth and "only you can fix this" exclude each other: one question.
        assert not (outcome.reauth and outcome.issue), outcome.key


@pytest.mark.parametrize(
    "module",
    [
        "coordinator",
        "commands",
        "media_player",
        "services",
        "browse_media",
        "errors",
        "validation",
    ],
)
def test_raised_translation_keys_exist(module: str) -> None:
    """Every translation key the playback modules raise with is in strings.json."""
    source = (INTEGRATION / f"{module}.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'translation_key="([a-z_]+)"', source))
    keys |= set(re.findall(r'(?:_error|FieldInvalid)\(\s*"([a-z_]+)"', source))
    assert keys <= set(STRINGS["exceptions"])


@pytest.mark.parametrize(
    "key",
    [
        "context_unsupported_type",
        "queue_unsupported_type",
        "offset_uri_unsupported_type",
        "library_unsupported_type",
        "offset_not_supported",
    ],
)
def test_type_refusals_read_well(key: str) -> None:
    """The type is quoted, never put after an article ("is a album")."""
    template = STRINGS["exceptions"][key]["message"]
    assert "{type}" in template
    assert not re.search(r"\ban? \{type\}", template)


def test_services_yaml_matches_strings() -> None:
    """Every action and field in services.yaml has a name and a description."""
    services = load_yaml(str(INTEGRATION / "services.yaml"))
    assert isinstance(services, dict)
    for spec in services.values():
        for field in spec.get("fields", {}).values():
            selector.validate_selector(field["selector"])
    assert set(services) == set(MINIMAL)
    for service, spec in services.items():
        strings = STRINGS["services"][service]
        assert strings["name"]
        assert strings["description"]
        assert set(spec.get("fields", {})) == set(strings.get("fields", {}))
        for field in strings.get("fields", {}).values():
            assert field["name"]
            assert field["description"]
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    assert set(icons["services"]) == set(MINIMAL)
    translations = json.loads(
        (INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8")
    )
    assert translations == STRINGS


async def test_services_yaml_loads_as_home_assistant_loads_it(
    hass: HomeAssistant, enable_custom_integrations: None
) -> None:
    """Home Assistant reads every action's description and fields from services.yaml.

    It drops a file its schema refuses (with a log line only), so an action with
    no description here means services.yaml is malformed.
    """
    assert await async_setup_component(hass, DOMAIN, {})
    services = load_yaml(str(INTEGRATION / "services.yaml"))
    assert isinstance(services, dict)

    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]

    assert set(descriptions) == set(MINIMAL)
    for service, spec in services.items():
        assert set(descriptions[service]["fields"]) == set(spec.get("fields", {}))
