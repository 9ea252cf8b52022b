"""Accounts linked through one Spotify app share its rate limit and its quota.

A household links several Spotify accounts through one app, and Spotify counts its
rate-limit window per app (the daily Development Mode quota even per developer
account). So the config entries of one app (one client id) share one `SharedApp`:
one rate-limit gate, one long-pause state with one repair, and one 24-hour request
count. A 429 met by any of them closes the gate for all until Spotify's time, so
no account of the app sends a request inside the window: not a poll, a command, a
wake-up or a setup retry. Each account keeps its own hourly budget and slow-downs
(polling.py). Entries of different apps never share anything.

The state lives in hass.data under an opaque key (a hash of the client id, which is
never stored, logged or shown). It is created by the first entry of the app and
dropped when the last one has gone and no window is closed: a closed window
outlives the entries that met it, so a reload or a setup retry inside it sends
nothing either.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import hashlib
import math
from typing import TYPE_CHECKING, Final

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.config_entry_oauth2_flow import LocalOAuth2Implementation
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .api import RateLimitGate, RequestWindow
from .const import DOMAIN
from .long_rate_limit import LongRateLimitPause

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.helpers.config_entry_oauth2_flow import (
        AbstractOAuth2Implementation,
    )

DATA_APPS: Final = f"{DOMAIN}_apps"


def app_key(implementation: AbstractOAuth2Implementation) -> str:
    """Return an opaque key of the app of an implementation (its client id, hashed)."""
    credential = (
        implementation.client_id
        if isinstance(implementation, LocalOAuth2Implementation)
        else implementation.domain
    )
    return hashlib.sha256(credential.encode()).hexdigest()[:12]


class SharedApp:
    """What the accounts of one Spotify app share."""

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        """Start open, with nothing counted and no account."""
        self._hass = hass
        self.key = key
        self.gate = RateLimitGate()
        self.requests = RequestWindow()
        self.accounts: dict[str, str] = {}
        """Entry id -> name of the accounts that use the app now."""
        self.pause = LongRateLimitPause(
            hass, key, lambda: sorted(self.accounts.values())
        )
        self.paused_until: datetime | None = None
        self._listeners: list[CALLBACK_TYPE] = []
        self._end_timer: CALLBACK_TYPE | None = None
        self.gate.add_listener(self._closed)
        # The state may outlive every entry (a closed window): its timer must not
        # outlive Home Assistant.
        self._stop_listener: CALLBACK_TYPE | None = hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._stopping
        )

    def paused(self, now: datetime) -> datetime | None:
        """Until when Spotify refuses the app's requests (None: not paused)."""
        if self.paused_until is not None and self.paused_until > now:
            return self.paused_until
        return None

    @callback
    def async_listen(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener` when a pause starts or ends; return the remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def _closed(self, seconds: float) -> None:
        # Whole seconds, rounded up: at the time shown the gate is open.
        until = dt_util.utcnow().replace(microsecond=0) + timedelta(
            seconds=math.ceil(seconds) + 1
        )
        if self.paused_until is not None and self.paused_until >= until:
            return
        self.paused_until = until
        self._cancel_timer()
        self._end_timer = async_track_point_in_utc_time(self._hass, self._ended, until)
        self._notify()

    @callback
    def _ended(self, _now: datetime) -> None:
        self._end_timer = None
        if not self.accounts:
            _async_drop(self._hass, self)
        self._notify()

    @callback
    def _stopping(self, _event: Event) -> None:
        self._stop_listener = None
        self._cancel_timer()

    @callback
    def async_release(self) -> None:
        """Forget the state: stop its timer and its stop listener."""
        self._cancel_timer()
        if self._stop_listener is not None:
            self._stop_listener()
            self._stop_listener = None

    def _cancel_timer(self) -> None:
        if self._end_timer is not None:
            self._end_timer()
            self._end_timer = None

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()


@callback
def async_join_app(
    hass: HomeAssistant,
    entry: ConfigEntry,
    implementation: AbstractOAuth2Implementation,
) -> SharedApp:
    """Add an entry to its app's shared state (created if first); leaves on unload."""
    apps: dict[str, SharedApp] = hass.data.setdefault(DATA_APPS, {})
    key = app_key(implementation)
    if (app := apps.get(key)) is None:
        app = apps[key] = SharedApp(hass, key)
    app.accounts[entry.entry_id] = entry.title

    @callback
    def _leave() -> None:
        app.accounts.pop(entry.entry_id, None)
        if not app.accounts and app.gate.remaining == 0:
            _async_drop(hass, app)

    entry.async_on_unload(_leave)
    return app


@callback
def _async_drop(hass: HomeAssistant, app: SharedApp) -> None:
    """No account uses the app and no window is closed: nothing waits any more."""
    app.pause.async_end()
    app.async_release()
    apps: dict[str, SharedApp] = hass.data.get(DATA_APPS, {})
    if apps.get(app.key) is app:
        del apps[app.key]


def shared_app(hass: HomeAssistant, entry_id: str) -> SharedApp | None:
    """Return the shared state of the app an entry uses (None before its setup)."""
    apps: dict[str, SharedApp] = hass.data.get(DATA_APPS, {})
    return next((app for app in apps.values() if entry_id in app.accounts), None)
