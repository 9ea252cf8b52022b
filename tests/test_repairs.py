"""Repair issues: six-month expiry warning, Premium, allow-list, missing scopes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.spotify_player.api import SpotifyAuthenticationError
from custom_components.spotify_player.const import CONF_AUTHORIZED_AT, DOMAIN
from custom_components.spotify_player.issues import (
    ISSUES,
    IssueKind,
    add_months,
    async_check_authorization_expiry,
    async_create_issue,
    async_delete_issue,
    authorization_expires_at,
    issue_id,
)
from spotify_emulator import seed
from tests.helpers import (
    EMULATOR_START,
    STRINGS,
    get_issue,
    move_clocks,
    reauth_flows,
    setup_integration,
)
from tests.oauth_helpers import authorize

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from spotify_emulator import World
    from tests.helpers import Tick

# Frozen first: Home Assistant's access tokens must not predate the frozen time.
pytestmark = pytest.mark.usefixtures("frozen_clock")

NOW = dt_util.utc_from_timestamp(EMULATOR_START)  # 2026-03-01 12:00 UTC


async def setup_authorized_at(
    hass: HomeAssistant, entry: MockConfigEntry, authorized_at: str
) -> MockConfigEntry:
    """Set the account up as signed in at `authorized_at` (an ISO time)."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_AUTHORIZED_AT: authorized_at}
    )
    await setup_integration(hass, entry)
    return entry


async def fix_issue(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, issue: str
) -> dict[str, Any]:
    """Run a repair fix flow as the frontend does: show the confirmation, submit it.

    The HTTP API starts and drives fix flows the same way on every supported Home
    Assistant version; the flow manager's own arguments changed in between.
    """
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue}
    )
    assert response.status == HTTPStatus.OK
    shown: dict[str, Any] = await response.json()
    assert shown["type"] == FlowResultType.FORM
    assert shown["step_id"] == "confirm"
    response = await client.post(f"/api/repairs/issues/fix/{shown['flow_id']}", json={})
    assert response.status == HTTPStatus.OK
    assert (await response.json())["type"] == FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    return shown


@pytest.mark.parametrize(
    ("authorized", "expected"),
    [
        (datetime(2025, 8, 31, 8, tzinfo=UTC), datetime(2026, 2, 28, 8, tzinfo=UTC)),
        (datetime(2027, 8, 31, 8, tzinfo=UTC), datetime(2028, 2, 29, 8, tzinfo=UTC)),
        (datetime(2025, 9, 14, 12, tzinfo=UTC), datetime(2026, 3, 14, 12, tzinfo=UTC)),
        (datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 7, 5, tzinfo=UTC)),
    ],
)
def test_six_calendar_months(authorized: datetime, expected: datetime) -> None:
    """Six calendar months, clamped to the end of shorter months."""
    assert add_months(authorized, 6) == expected


async def test_expiry_issue_14_days_before(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Authorised 5.5 months ago: setup raises the fixable expiry warning."""
    entry = await setup_authorized_at(
        hass, mock_config_entry, "2025-09-14T12:00:00+00:00"
    )

    issue = get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_key == IssueKind.AUTHORIZATION_EXPIRING
    assert issue.translation_placeholders == {
        "account": "Robin Emulated",
        "expires": "2026-03-14",
    }
    assert issue.learn_more_url
    assert issue.data == {"entry_id": entry.entry_id}


async def test_expiry_issue_appears_on_the_daily_check(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    mock_config_entry: MockConfigEntry,
) -> None:
    """15 days (less an hour) before expiry: no issue; the next daily check adds it."""
    entry = await setup_authorized_at(
        hass, mock_config_entry, "2025-09-16T11:00:00+00:00"
    )
    assert get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id) is None

    await tick(23 * 3600)
    assert get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id) is None

    await tick(3600)
    assert get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id) is not None


@pytest.mark.parametrize("authorized_at", [None, 20260301, "not a date"])
async def test_no_expiry_issue_without_a_usable_date(
    hass: HomeAssistant, init_integration: MockConfigEntry, authorized_at: Any
) -> None:
    """No (or a broken) authorisation time raises no issue and clears an old one."""
    entry = init_integration
    async_check_authorization_expiry(hass, entry, NOW + timedelta(days=200))
    assert get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id)

    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_AUTHORIZED_AT: authorized_at}
    )
    async_check_authorization_expiry(hass, entry, NOW + timedelta(days=200))

    assert get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id) is None


@pytest.mark.usefixtures("current_request_with_host")
async def test_fixing_expiry_issue_starts_reauth(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    hass_client: ClientSessionGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """The fix starts reauth; signing in restarts the six months for good."""
    entry = await setup_authorized_at(
        hass, mock_config_entry, "2025-09-10T12:00:00+00:00"
    )
    issue = issue_id(IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id)

    shown = await fix_issue(hass, hass_client, issue)

    assert shown["description_placeholders"] == {
        "account": "Robin Emulated",
        "expires": "2026-03-10",
    }
    assert get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id) is None
    flows = reauth_flows(hass)
    assert len(flows) == 1
    assert flows[0]["context"]["entry_id"] == entry.entry_id

    result = dict(
        await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {})
    )
    await authorize(hass_client_no_auth, result)
    result = dict(await hass.config_entries.flow.async_configure(result["flow_id"]))
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_AUTHORIZED_AT] == NOW.isoformat()

    await tick(86400)
    assert get_issue(hass, IssueKind.AUTHORIZATION_EXPIRING, entry.entry_id) is None


async def test_expiry_date_is_when_spotify_stops_refreshing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """The date the warning names is the moment Spotify starts refusing the grant."""
    entry = init_integration
    manager = entry.runtime_data.token_manager
    expires = authorization_expires_at(entry)
    assert expires is not None
    left = (expires - dt_util.utcnow()).total_seconds()

    # A minute before: the refresh token still works (after 184 days here).
    move_clocks(freezer, emulator_world, left - 60)
    assert await manager.async_get_access_token(True)

    move_clocks(freezer, emulator_world, 60)
    with pytest.raises(SpotifyAuthenticationError):
        await manager.async_get_access_token(True)
    await hass.async_block_till_done()
    assert len(reauth_flows(hass)) == 1


async def test_fix_for_a_removed_entry_just_clears_the_issue(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """An issue left behind by an entry that no longer exists is simply closed."""
    ghost = MockConfigEntry(
        domain=DOMAIN,
        title="Gone",
        unique_id="gone",
        data={"authorized_at": "2026-01-01T00:00:00+00:00"},
    )
    # The ghost never joined hass; its sign-in expires on 2026-07-01.
    async_check_authorization_expiry(hass, ghost, datetime(2026, 6, 30, tzinfo=UTC))
    kind = IssueKind.AUTHORIZATION_EXPIRING

    await fix_issue(hass, hass_client, issue_id(kind, ghost.entry_id))

    assert not reauth_flows(hass)
    assert get_issue(hass, kind, ghost.entry_id) is None


LINKS: dict[IssueKind, str] = {
    IssueKind.PREMIUM_REQUIRED: "https://www.spotify.com/premium/",
    IssueKind.USER_NOT_REGISTERED: "https://developer.spotify.com/dashboard",
}


@pytest.mark.parametrize("kind", list(LINKS))
async def test_issue_helpers(
    hass: HomeAssistant, init_integration: MockConfigEntry, kind: IssueKind
) -> None:
    """Each issue is raised for one entry, with a link to the fix."""
    async_create_issue(hass, init_integration, kind)
    issue = get_issue(hass, kind, init_integration.entry_id)
    assert issue is not None
    assert issue.translation_key == kind
    assert issue.learn_more_url == LINKS[kind]
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.is_fixable is ISSUES[kind].reauth
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["account"] == "Robin Emulated"

    async_delete_issue(hass, init_integration.entry_id, kind)
    assert get_issue(hass, kind, init_integration.entry_id) is None


async def test_issues_of_two_accounts_are_separate(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """An issue of one account never hides or clears another's."""
    other = MockConfigEntry(
        domain=DOMAIN, title="Sam Freeman", unique_id=seed.FREE_USER_ID
    )
    other.add_to_hass(hass)
    async_create_issue(hass, init_integration, IssueKind.PREMIUM_REQUIRED)
    async_create_issue(hass, other, IssueKind.PREMIUM_REQUIRED)

    async_delete_issue(hass, other.entry_id, IssueKind.PREMIUM_REQUIRED)

    assert get_issue(hass, IssueKind.PREMIUM_REQUIRED, init_integration.entry_id)
    assert get_issue(hass, IssueKind.PREMIUM_REQUIRED, other.entry_id) is None


@pytest.mark.parametrize("kind", list(IssueKind))
def test_every_issue_is_translated(kind: str) -> None:
    """Each issue has a title and either a description or a confirm step."""
    strings = STRINGS["issues"][kind]
    # A shared cause (one app's pause) names every account it stops.
    assert "{account}" in strings["title"] or "{accounts}" in strings["title"]
    if ISSUES[kind].reauth:
        confirm = strings["fix_flow"]["step"]["confirm"]
        assert confirm["title"]
        assert confirm["description"]
    else:
        assert strings["description"]


def _texts(node: object) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in _texts(value)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("british", ["authoris", "e-mail", "colour", "behaviour"])
def test_strings_are_american_english(british: str) -> None:
    """Home Assistant's user-facing texts are written in American English."""
    assert not [text for text in _texts(STRINGS) if british in text.lower()]
