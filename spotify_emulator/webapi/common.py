"""What every area of the Web API shares: authentication, query parsing and paging."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from spotify_emulator.errors import (
    APP_OWNER_PREMIUM_REQUIRED,
    NO_TOKEN,
    USER_NOT_REGISTERED,
    ApiError,
    bad_request,
)
from spotify_emulator.shapes import Shapes

if TYPE_CHECKING:
    from spotify_emulator.catalogue import Playlist
    from spotify_emulator.shapes import JSON
    from spotify_emulator.tokens import AccessToken
    from spotify_emulator.users import User
    from spotify_emulator.world import World

SCOPE_PLAYBACK_READ = "user-read-playback-state"
SCOPE_PLAYBACK_MODIFY = "user-modify-playback-state"
SCOPE_RECENTLY_PLAYED = "user-read-recently-played"
SCOPE_PLAYLIST_PRIVATE = "playlist-read-private"
SCOPE_LIBRARY_READ = "user-library-read"
SCOPE_LIBRARY_MODIFY = "user-library-modify"
SCOPE_FOLLOW_READ = "user-follow-read"
SCOPE_TOP_READ = "user-top-read"


class Area:
    """One area of the Web API: its handlers share these helpers."""

    def __init__(self, world: World) -> None:
        """Serve `world`."""
        self.world = world

    def authenticate(self, request: web.Request, scope: str | None = None) -> User:
        """Check the bearer token, the allow-list and a scope; return the user."""
        header = request.headers.get("Authorization")
        if not header:
            raise ApiError(401, NO_TOKEN)
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            # Spotify treats another scheme as a malformed request, not as a 401.
            raise ApiError(400, "Only valid bearer authentication supported")
        info = self.world.tokens.access_token_info(token.strip())
        if info is None:
            raise ApiError(401, "Invalid access token")
        if self.world.tokens.is_expired(info):
            raise ApiError(401, "The access token expired")
        app = self.world.apps.get(info.client_id)
        if (
            app is not None
            and app.allowed_users is not None
            and info.user_id not in app.allowed_users
        ):
            raise ApiError(403, USER_NOT_REGISTERED)
        dev_mode = self.world.config.development_mode
        if dev_mode and app is not None and not app.owner_premium:
            raise ApiError(403, APP_OWNER_PREMIUM_REQUIRED)
        if scope is not None and scope not in info.scopes:
            raise ApiError(403, "Insufficient client scope")
        return self.world.user(info.user_id)

    def token_info(self, request: web.Request) -> AccessToken | None:
        """Return the access token a request carries, if it is a known one."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.world.tokens.access_token_info(token.strip())

    def premium(self, request: web.Request) -> User:
        """Authenticate a player command: scope, then Premium."""
        user = self.authenticate(request, SCOPE_PLAYBACK_MODIFY)
        if not user.is_premium:
            raise ApiError(
                403, "Player command failed: Premium required", "PREMIUM_REQUIRED"
            )
        return user

    def shapes(self, request: web.Request) -> Shapes:
        """Return a shape builder for this request's origin."""
        return Shapes(
            self.world.catalogue,
            str(request.url.origin()),
            strip_dev_mode_fields=self.world.config.strip_dev_mode_fields,
            development_mode=self.world.config.development_mode,
        )

    def owner_name(self, playlist: Playlist) -> str | None:
        """Return the display name of a playlist's owner."""
        owner = self.world.users.get(playlist.owner_id)
        return owner.display_name if owner is not None else None

    def listed_playlist(self, shapes: Shapes, playlist: Playlist) -> JSON:
        """Return a playlist as lists show it (simplified, with its owner's name)."""
        return shapes.simplified_playlist(playlist, self.owner_name(playlist))


def no_content() -> web.Response:
    """Return 204 No Content."""
    return web.Response(status=204)


def query_int(request: web.Request, name: str) -> int | None:
    """Return an integer query parameter (None when absent or empty)."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"Invalid {name}") from None


def query_int_or(request: web.Request, name: str, default: int) -> int:
    """Return an integer query parameter, `default` when absent."""
    value = query_int(request, name)
    return default if value is None else value


def required(request: web.Request, name: str) -> str:
    """Return a query parameter that must be there (it may be empty)."""
    raw = request.query.get(name)
    if raw is None:
        raise bad_request(f"Required parameter {name} missing")
    return raw


def required_int(request: web.Request, name: str) -> int:
    """Return an integer query parameter that must be there."""
    value = query_int(request, name)
    if value is None:
        raise bad_request(f"Required parameter {name} missing")
    return value


def paging(
    request: web.Request,
    *,
    default: int = 20,
    maximum: int = 50,
    max_offset: int | None = None,
) -> tuple[int, int]:
    """Return (limit, offset) of an offset-paged request, checked."""
    limit = query_int_or(request, "limit", default)
    offset = query_int_or(request, "offset", 0)
    if not 1 <= limit <= maximum:
        raise bad_request("Invalid limit")
    if offset < 0 or (max_offset is not None and offset > max_offset):
        raise bad_request("Invalid offset")
    return limit, offset


def include_episodes(request: web.Request) -> bool:
    """Whether additional_types asks for episodes (without, they answer as null)."""
    types = request.query.get("additional_types", "").split(",")
    return "episode" in {t.strip() for t in types}


def device_id(request: web.Request) -> str | None:
    """Return the device a player command addresses (None: the active one)."""
    return request.query.get("device_id") or None


async def json_body(request: web.Request) -> dict[str, Any]:
    """Return the JSON object a request carries ({} when it carries nothing)."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise bad_request("Malformed json") from None
    if not isinstance(data, dict):
        raise bad_request("Malformed json")
    return data
