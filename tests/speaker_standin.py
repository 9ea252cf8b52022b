"""A real media player standing in for a speaker's own, locally pushing integration.

Sonos, Cast, HEOS and the like show within a second what their speaker plays. This
entity does the same for one of the emulator's devices: it reads the emulator's
public state every FOLLOW_STEP, and shows a change (state, title, content id)
`delay` seconds after it happened. Its position moves on every step, as the real
ones' do: churn that must not count as news. `following = False` freezes it, as
when its integration loses the speaker.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.media_player import MediaPlayerEntity, MediaPlayerState
from homeassistant.core import HassJob, callback
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import setup_test_component_platform

from tests.helpers import USER

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant

    from spotify_emulator import World

STANDIN = "media_player.study_computer_speaker"
FOLLOW_STEP = 0.25

type Shown = tuple[MediaPlayerState, str | None, str | None]


class FollowingSpeaker(MediaPlayerEntity):
    """The emulator's device `device_name` as its own integration would show it."""

    _attr_should_poll = False
    _attr_name = "Study Computer speaker"
    _attr_unique_id = "standin_study_computer"

    def __init__(self, world: World, device_name: str, delay: float) -> None:
        """Follow `device_name` in `world`, `delay` seconds late."""
        self._world = world
        self._device_name = device_name
        self._delay = delay
        self._seen: Shown | None = None
        self._attr_state = MediaPlayerState.IDLE
        self.following = True

    async def async_added_to_hass(self) -> None:
        """Start following."""
        self._seen = self._observe()
        self._show(self._seen)
        self.async_on_remove(
            async_track_time_interval(
                self.hass,
                self._follow,
                timedelta(seconds=FOLLOW_STEP),
                cancel_on_shutdown=True,
            )
        )

    def _observe(self) -> Shown:
        device = self._world.active_device(USER)
        if device is None or device.name != self._device_name:
            return (MediaPlayerState.IDLE, None, None)
        playback = self._world.playback(USER)
        item = playback.current_item()
        state = (
            MediaPlayerState.PLAYING if playback.is_playing else MediaPlayerState.PAUSED
        )
        return (state, item.name if item else None, item.uri if item else None)

    @callback
    def _follow(self, _now: datetime) -> None:
        if not self.following:  # its integration lost the speaker
            return
        seen = self._observe()
        if seen != self._seen:
            self._seen = seen
            show = HassJob(
                callback(lambda _: self._show(seen)), cancel_on_shutdown=True
            )
            async_call_later(self.hass, self._delay, show)
        # Position ticks: churn, written on every step.
        snapshot = self._world.snapshot(USER)
        self._attr_media_position = snapshot.progress_ms // 1000 if snapshot else None
        self._attr_media_position_updated_at = dt_util.utcnow()
        self.async_write_ha_state()

    @callback
    def _show(self, shown: Shown) -> None:
        self._attr_state, self._attr_media_title, self._attr_media_content_id = shown
        self.async_write_ha_state()


async def async_setup_standin(
    hass: HomeAssistant, world: World, device_name: str, delay: float = 0.3
) -> FollowingSpeaker:
    """Add the stand-in to Home Assistant (as the speaker's integration would)."""
    entity = FollowingSpeaker(world, device_name, delay)
    setup_test_component_platform(hass, "media_player", [entity])
    config: dict[str, Any] = {"media_player": {"platform": "test"}}
    assert await async_setup_component(hass, "media_player", config)
    await hass.async_block_till_done()
    return entity
