"""Spotify's Development Mode rules of 2026, through the integration and the emulator.

The emulator applies them by default (config.development_mode): the app owner needs
Premium, the daily quota belongs to the developer account, profiles carry no
`product`. Browsing and enqueueing a followed playlist are tested with the media
browser and the media player (test_browse_media.py, test_media_player.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.components.media_player import (
    ATTR_MEDIA_VOLUME_LEVEL,
    SERVICE_VOLUME_SET,
    MediaPlayerEntityFeature as Feature,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    SERVICE_MEDIA_PAUSE,
    SERVICE_MEDIA_PLAY,
    STATE_PAUSED,
    STATE_PLAYING,
    STATE_UNAVAILABLE,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest

from custom_components.spotify_player.features import ALWAYS, START
from custom_components.spotify_player.issues import IssueKind
from custom_components.spotify_player.playback import Activity
from custom_components.spotify_player.polling import (
    IDLE_INTERVAL,
    PAUSED_INTERVAL,
    POLICIES,
)
from custom_components.spotify_player.subscription import CONF_PREMIUM
from spotify_emulator import FaultKind, seed
from tests.helpers import (
    USER,
    api_requests,
    call_player,
    features,
    get_issue,
    pause_issue,
    poll_interval,
    rate_limited,
    setup_integration,
    state,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from spotify_emulator import World
    from tests.helpers import Tick

FREE_ENTITY_ID = "media_player.sam_freeman"


# App owner without Premium


async def test_app_owner_without_premium(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """Setup stops with a repair issue; it goes once the owner has Premium again."""
    emulator_world.apps[seed.CLIENT_ID].owner_premium = False
    entry = mock_config_entry
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "app_owner_premium"
    issue = get_issue(hass, IssueKind.APP_OWNER_PREMIUM, entry.entry_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "account": "Robin Emulated",
        "dashboard_url": "https://developer.spotify.com/dashboard",
    }
    # No retry: one request, not one per back-off step.
    start = len(emulator_world.request_log)
    await hass.async_block_till_done()
    assert api_requests(emulator_world, start) == []

    emulator_world.apps[seed.CLIENT_ID].owner_premium = True
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert get_issue(hass, IssueKind.APP_OWNER_PREMIUM, entry.entry_id) is None


async def test_app_owner_loses_premium_while_running(
    hass: HomeAssistant,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """A command refused for the owner's sake says so and raises the issue."""
    emulator_world.apps[seed.CLIENT_ID].owner_premium = False
    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PAUSE)
    assert err.value.translation_key == "app_owner_premium"
    assert (
        get_issue(hass, IssueKind.APP_OWNER_PREMIUM, init_integration.entry_id)
        is not None
    )


# Long rate limits


async def test_quota_exhausted_until_the_reset(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Unavailable while Spotify pauses the app; back by itself after the reset."""
    emulator_world.config.daily_quota = emulator_world.quota.used("developer") + 2
    for _ in range(60):
        await tick(1)
        if state(hass).state == STATE_UNAVAILABLE:
            break
    assert state(hass).state == STATE_UNAVAILABLE
    now = emulator_world.clock.now()
    reset = (now // 86_400 + 1) * 86_400  # the next UTC midnight
    until = dt_util.as_local(datetime.fromtimestamp(reset, UTC))
    issue = pause_issue(hass)
    assert issue is not None
    assert issue.translation_placeholders == {
        "accounts": "Robin Emulated",
        "until": until.strftime("%Y-%m-%d %H:%M"),
    }

    # Nothing is sent while the pause lasts; a command says until when.
    start = len(emulator_world.request_log)
    with pytest.raises(HomeAssistantError) as err:
        await init_integration.runtime_data.commands.async_pause()
    assert err.value.translation_key == "rate_limit_pause"
    assert err.value.translation_placeholders == {
        "until": until.strftime("%Y-%m-%d %H:%M")
    }
    await tick(reset - now - 60)
    assert api_requests(emulator_world, start) == []
    assert state(hass).state == STATE_UNAVAILABLE

    await tick(61)
    assert api_requests(emulator_world, start)
    # Twelve hours on, the seeded playlist has ended: the entity shows that.
    assert state(hass).state == STATE_PAUSED
    assert not emulator_world.playback(USER).is_playing
    assert pause_issue(hass) is None


async def test_quota_exhausted_at_setup(
    hass: HomeAssistant, emulator_world: World, mock_config_entry: MockConfigEntry
) -> None:
    """Setup is retried later, and the repair already says until when."""
    emulator_world.config.daily_quota = 0
    entry = mock_config_entry
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    issue = pause_issue(hass)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["until"]


async def test_long_retry_after_makes_the_entity_unavailable(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Any Retry-After beyond 10 minutes counts; a shorter one keeps the state."""
    for retry_after in (600, 3600):
        emulator_world.faults.add(
            FaultKind.STATUS, path_prefix="/v1/me/player", **rate_limited(retry_after)
        )
        if retry_after == 600:
            await tick(15)
            assert state(hass).state == STATE_PLAYING
            assert pause_issue(hass) is None
            await tick(601)
    await tick(15)
    assert state(hass).state == STATE_UNAVAILABLE
    assert pause_issue(hass) is not None
    # A refresh asked for in the pause's last minutes keeps it unavailable.
    await tick(3100)
    await init_integration.runtime_data.coordinator.async_refresh()
    assert state(hass).state == STATE_UNAVAILABLE
    await tick(502)
    assert state(hass).state == STATE_PLAYING
    assert pause_issue(hass) is None


# Free accounts


@pytest.mark.parametrize("user", [seed.FREE_USER_ID])
async def test_free_account_refusal_is_remembered(
    hass: HomeAssistant, emulator_world: World, init_integration: MockConfigEntry
) -> None:
    """Without `product` the first refusal keeps only starting, also after restart.

    A refused account that upgrades gets its controls back from one play through
    the entity, as a user would press it (not through the commands module).
    """
    entry = init_integration
    assert entry.runtime_data.user.product is None
    assert features(hass, FREE_ENTITY_ID) & Feature.PLAY

    with pytest.raises(HomeAssistantError) as err:
        await call_player(hass, SERVICE_MEDIA_PLAY, FREE_ENTITY_ID)
    assert err.value.translation_key == "premium_required"
    assert features(hass, FREE_ENTITY_ID) == ALWAYS | START
    assert entry.data[CONF_PREMIUM] is False

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert features(hass, FREE_ENTITY_ID) == ALWAYS | START

    # After an upgrade, the next command that works brings the controls back.
    emulator_world.user(seed.FREE_USER_ID).product = "premium"
    await call_player(hass, SERVICE_MEDIA_PLAY, FREE_ENTITY_ID)
    assert entry.data[CONF_PREMIUM] is True
    assert features(hass, FREE_ENTITY_ID) & Feature.PAUSE
    assert get_issue(hass, IssueKind.PREMIUM_REQUIRED, entry.entry_id) is None


# Slower cadences and the daily count


async def test_idle_slows_down_after_ten_minutes(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Idle: every 2 minutes, every 5 after 10; a command brings the pace back."""
    emulator_world.stop_playback(USER)
    await tick(15)
    assert poll_interval(init_integration) == IDLE_INTERVAL
    await tick(POLICIES[Activity.IDLE].slow_after or 0)
    await tick(IDLE_INTERVAL)
    assert poll_interval(init_integration) == POLICIES[Activity.IDLE].slow_interval

    start = len(emulator_world.request_log)
    for _ in range(60):
        await tick(60)
    assert len(api_requests(emulator_world, start)) <= 15

    await call_player(hass, SERVICE_MEDIA_PLAY)
    await tick(1.1)
    assert state(hass).state == STATE_PLAYING
    assert poll_interval(init_integration) == 15


async def test_paused_slows_down_after_thirty_minutes(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Paused: every minute, every 3 after 30; a change seen by a poll resets it."""
    emulator_world.pause(USER)
    await tick(15)
    assert poll_interval(init_integration) == PAUSED_INTERVAL
    for _ in range(31):
        await tick(60)
    assert poll_interval(init_integration) == POLICIES[Activity.PAUSED].slow_interval

    # A command that leaves it paused still brings the normal pace back.
    await call_player(hass, SERVICE_VOLUME_SET, **{ATTR_MEDIA_VOLUME_LEVEL: 0.5})
    await tick(1.1)
    assert state(hass).state == STATE_PAUSED
    assert poll_interval(init_integration) == PAUSED_INTERVAL
    for _ in range(31):
        await tick(60)
    assert poll_interval(init_integration) == POLICIES[Activity.PAUSED].slow_interval

    emulator_world.resume(USER)  # from another app
    await tick(POLICIES[Activity.PAUSED].slow_interval)
    assert state(hass).state == STATE_PLAYING
    assert poll_interval(init_integration) == 15
    emulator_world.pause(USER)
    await tick(15)
    assert poll_interval(init_integration) == PAUSED_INTERVAL


async def test_requests_of_the_last_day_in_diagnostics(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """The client counts its requests over a rolling 24 hours."""
    window = init_integration.runtime_data.client.stats.last_24h
    first = window.count()
    assert first == len(api_requests(emulator_world))
    await tick(3600)
    within = window.count()
    assert within == len(api_requests(emulator_world))
    await tick(timedelta(hours=23, minutes=1).total_seconds())
    later = len(api_requests(emulator_world))
    assert window.count() == later - first  # setup's requests left the window


async def test_app_owner_loses_premium_while_polling(
    hass: HomeAssistant,
    tick: Tick,
    emulator_world: World,
    init_integration: MockConfigEntry,
) -> None:
    """Polls refused for the owner's sake raise the issue and stop spending requests."""
    emulator_world.apps[seed.CLIENT_ID].owner_premium = False
    await tick(15)

    assert state(hass).state == STATE_UNAVAILABLE
    assert (
        get_issue(hass, IssueKind.APP_OWNER_PREMIUM, init_integration.entry_id)
        is not None
    )
    start = len(emulator_world.request_log)
    for _ in range(20):
        await tick(30)
    assert api_requests(emulator_world, start) == []
