"""The playback coordinator of one Spotify account: it polls, and nothing else.

Each poll asks GET /me/player, brings the device list along when it is due, and
names the context; the polling policy (polling.py) says when the next poll comes and
what it may spend, the error boundary (errors.py) what a failure means. While a
command waits for its confirmation (confirmation.py), polls leave the state the
command showed alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
import time
from typing import TYPE_CHECKING, Any

from homeassistant.core import callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .api import SpotifyError
from .const import (
    CONF_PLAYING_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_PLAYING_INTERVAL,
    MIN_PLAYING_INTERVAL,
)
from .errors import async_poll_failure
from .playback import SpotifyPlaybackData, playback_position
from .polling import IDLE_INTERVAL, RETRY_AFTER_MARGIN
from .refresh_timer import RefreshTimer

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .api import SpotifyClient
    from .confirmation import CommandConfirmation
    from .context_names import ContextNames
    from .devices import DeviceList
    from .long_rate_limit import LongRateLimitPause
    from .polling import PollingPolicy


class SpotifyPlaybackCoordinator(DataUpdateCoordinator[SpotifyPlaybackData]):
    """Keep the playback state of one Spotify account current."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        *,
        client: SpotifyClient,
        policy: PollingPolicy,
        devices: DeviceList,
        context_names: ContextNames,
        confirmation: CommandConfirmation,
        pause: LongRateLimitPause,
    ) -> None:
        """Poll through `client`; nothing is fetched before the first refresh."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=timedelta(seconds=IDLE_INTERVAL),
        )
        self.client = client
        self.policy = policy
        self.rate_limited_until: datetime | None = None
        self._devices = devices
        self._context_names = context_names
        self._confirmation = confirmation
        self._pause = pause
        # Exact refresh when the item ends before the next routine poll.
        self._track_end = RefreshTimer(
            hass, entry, f"{DOMAIN} track end refresh", self.async_refresh
        )

    async def async_shutdown(self) -> None:
        """Stop polling and the exact refreshes (runs on unload)."""
        await super().async_shutdown()
        self._track_end.cancel()
        self._confirmation.cancel()

    async def _async_update_data(self) -> SpotifyPlaybackData:
        """Fetch the player; keep the last state through rate limits and blips."""
        self._track_end.cancel()
        confirming = self._confirmation.take_due()
        if confirming:
            self.policy.reset_cadence()
        if self._confirmation.holds_shown_state():
            # Spotify would still report the state from before the command; the
            # confirmation asks in a moment, so this poll sends nothing.
            return self.data
        try:
            data = await self._async_fetch(charged=not confirming)
        except SpotifyError as err:
            return self._failed(err)
        self.policy.poll_succeeded()
        self.rate_limited_until = None
        self._pause.async_end()
        if self._confirmation.holds_shown_state():
            # A command went out while this request was under way: the answer may
            # predate it, so keep showing the expected state until the confirmation.
            data = self.data
        self._schedule(data)
        return data

    async def _async_fetch(self, *, charged: bool) -> SpotifyPlaybackData:
        playback = await self.client.get_playback_state()
        if charged:
            self.policy.spend(1)
        data = SpotifyPlaybackData(playback=playback)
        if playback is not None:
            position, updated_at = playback_position(
                playback, dt_util.utcnow(), self.data
            )
            data = replace(
                data,
                position_ms=position,
                position_updated_at=updated_at,
                context_name=await self._context_names.async_name(playback),
            )
        if (device := data.device) is not None and device.id:
            self._devices.note_active(device.id)
        if self.policy.devices_due(
            data.activity,
            self._devices.fetched_at,
            playing_interval=self._playing_interval(),
            now=time.monotonic(),
            device=device.name if device else None,
        ):
            await self._devices.async_fetch_in_background()
        return data

    def _failed(self, err: SpotifyError) -> SpotifyPlaybackData:
        """Act on a failed poll as the error boundary says (errors.py).

        Stop: polling ends until the entry is reloaded (or reauth finishes), so no
        budget is spent on answers that cannot change. A short rate limit keeps
        the last state until Retry-After ends; a long pause makes the entity
        unavailable. Other failures keep the last state through short outages and
        try again soon (polling.py's back-off).
        """
        failure = async_poll_failure(
            self.hass, self.config_entry, err, paused=self._pause.active
        )
        if failure.stop:
            self.update_interval = None
            self._track_end.cancel()
            raise failure.error from err
        if failure.wait is not None:
            self.rate_limited_until = dt_util.utcnow() + timedelta(seconds=failure.wait)
            self._pause.active = failure.long_pause
            if failure.long_pause or self.data is None:
                raise failure.error from err
            LOGGER.debug("Rate limited by Spotify, next poll in %.0f s", failure.wait)
            self._schedule(self.data, not_before=failure.wait + RETRY_AFTER_MARGIN)
            return self.data
        retry_in = self.policy.poll_failed()
        if self.data is not None:
            self._schedule(self.data, retry_in=retry_in)
        if self.data is None or self.policy.failures_exhausted:
            raise failure.error from err
        LOGGER.debug("Keeping the last state (failure %s): %s", self.failures, err)
        return self.data

    def _schedule(
        self,
        data: SpotifyPlaybackData,
        *,
        not_before: float = 0.0,
        retry_in: float | None = None,
    ) -> None:
        """Set the next routine poll and, when the item ends sooner, an exact one."""
        next_poll = self.policy.next_poll(
            data.activity,
            playing_interval=self._playing_interval(),
            now=time.monotonic(),
            seconds_left=data.seconds_left(dt_util.utcnow()),
            not_before=not_before,
            retry_in=retry_in,
            device=data.device.name if data.device else None,
        )
        self.update_interval = timedelta(seconds=next_poll.routine)
        if next_poll.urgent is not None:
            self._track_end.schedule(next_poll.urgent)

    def _playing_interval(self) -> float:
        value = self.config_entry.options.get(
            CONF_PLAYING_INTERVAL, DEFAULT_PLAYING_INTERVAL
        )
        return float(min(max(value, MIN_PLAYING_INTERVAL), MAX_PLAYING_INTERVAL))

    @property
    def failures(self) -> int:
        """Failed polls in a row."""
        return self.policy.failures

    @callback
    def async_show(self, data: SpotifyPlaybackData) -> None:
        """Publish a command's expected state without touching the poll schedule."""
        self.data = data
        self.async_update_listeners()

    def diagnostics(self) -> dict[str, Any]:
        """Scheduling state for the diagnostics download (no personal data)."""
        return {
            "activity": self.data.activity if self.data else None,
            "update_interval": self.update_interval.total_seconds()
            if self.update_interval
            else None,
            "rate_limited_until": self.rate_limited_until.isoformat()
            if self.rate_limited_until
            else None,
            "rate_limit_remaining": self.client.rate_limit_gate.remaining,
            "contexts_cached": len(self._context_names),
            **self.policy.diagnostics(time.monotonic()),
        }
