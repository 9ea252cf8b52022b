"""A faithful local Spotify emulator (accounts service, Web API and a simulated world).

Run it::

    python -m spotify_emulator --host 127.0.0.1 --port 8099 [--manual-clock]
        [--no-development-mode] [--daily-quota N]

It prints the accounts URL, the Web API URL, the client id and secret. Point the
integration at it with SPOTIFY_PLAYER_ACCOUNTS_URL=<url> and
SPOTIFY_PLAYER_API_URL=<url>/v1.

In-process (tests)::

    world = seed.seeded_world(clock=ManualClock(start=time.time()))
    async with EmulatorServer(world, port=0) as server:
        grant = world.issue_tokens(seed.PREMIUM_USER_ID)  # no browser dance
        ...                                               # server.url, server.api_url
        world.advance(600)                                # walks through track ends

Accounts: GET /authorize (consent page, or an immediate redirect when
config.auto_approve), POST /api/token (authorization_code with optional PKCE S256,
refresh_token; Basic or form client authentication).

Web API under /v1: see `webapi.WebApi.routes`. Player commands need Premium and an
active, unrestricted device; errors and paging look like Spotify's. Development Mode
(config.development_mode, on by default) adds the 2026 rules: playlist items only for
playlists the user owns or collaborates on, 403 for every call when the app's owner
(App.owner_premium) lacks Premium, profiles without product/email/country/followers, a
daily quota per developer account (App.developer) ending in 429 QUOTA_EXCEEDED until
UTC midnight, and the deprecated `tracks`/`track` beside `items`/`item`.

Control API under /_emulator/ (JSON; every action is also a World method):

* POST /_emulator/reset {"seed"?}                 World.reset()
* GET /_emulator/clock, POST /_emulator/clock/advance {"seconds"}   World.advance()
* GET, PATCH /_emulator/config {field: value}     World.config (token_lifetime,
  rotate_refresh_tokens, auto_approve, deny_authorization, authorize_as,
  rate_limit_budget, rate_limit_window, quota_exceeded, strip_dev_mode_fields,
  development_mode, daily_quota ...)
* PATCH /_emulator/apps/{client_id} {"owner_premium"?, "developer"?}   App fields
* GET /_emulator/users, GET /_emulator/users/{id}/playback
* POST /_emulator/users/{id}/playback/{action}    skip, previous, pause, resume, stop,
  device {"device_id"|"name"}, ad {"duration_ms"?}, episode {"uri"?}, volume,
  queue {"uri"}, shuffle {"state"}, smart_shuffle {"state"}, repeat {"state"},
  seek {"position_ms"}
* POST /_emulator/tokens {"user_id", "scopes"?}   World.issue_tokens()
* POST /_emulator/tokens/expire, /_emulator/tokens/revoke {"user_id"?}
* GET, POST, DELETE /_emulator/faults             World.faults.add(kind, path_prefix=,
  method=, count=, status=, body=, headers=, delay=); kinds: status, delay, malformed,
  reset, expired_token, revoked_refresh_token
* GET /_emulator/requests[?clear=1], DELETE       World.request_log
* GET /_emulator/images/{id}.png?size=N           generated cover art
"""

from __future__ import annotations

from . import seed
from .clock import Clock, ManualClock, RealClock
from .config import EmulatorConfig
from .errors import PlayerError
from .faults import Fault, FaultKind
from .order import RepeatState
from .requestlog import RequestLog, RequestLogEntry
from .server import EmulatorServer, build_app
from .tokens import DEFAULT_SCOPES, TokenGrant
from .users import Device
from .world import World

__all__ = [
    "DEFAULT_SCOPES",
    "Clock",
    "Device",
    "EmulatorConfig",
    "EmulatorServer",
    "Fault",
    "FaultKind",
    "ManualClock",
    "PlayerError",
    "RealClock",
    "RepeatState",
    "RequestLog",
    "RequestLogEntry",
    "TokenGrant",
    "World",
    "build_app",
    "seed",
]
