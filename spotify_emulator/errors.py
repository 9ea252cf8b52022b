"""Spotify-shaped Web API errors."""

from __future__ import annotations

from typing import Any

from aiohttp import web

USER_NOT_REGISTERED = (
    "Check settings on developer.spotify.com/dashboard, the user may not be registered."
)
APP_OWNER_PREMIUM_REQUIRED = (
    "Active premium subscription required for the owner of the app"
)
PLAYLIST_FORBIDDEN = "Forbidden"
NO_TOKEN = "No token provided"  # noqa: S105 - an error message


class ApiError(Exception):
    """An error answered as {"error": {"status", "message"[, "reason"]}}."""

    def __init__(
        self,
        status: int,
        message: str,
        reason: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Store what the error response carries."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason
        self.headers = headers or {}

    def response(self) -> web.Response:
        """Return the HTTP response."""
        return error_response(self.status, self.message, self.reason, self.headers)


def error_response(
    status: int,
    message: str,
    reason: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """Return a Spotify Web API error response."""
    error: dict[str, Any] = {"status": status, "message": message}
    if reason is not None:
        error["reason"] = reason
    if status == 401:
        headers = {"WWW-Authenticate": www_authenticate(message), **(headers or {})}
    return web.json_response({"error": error}, status=status, headers=headers)


def www_authenticate(message: str) -> str:
    """Return the challenge Spotify sends with a 401 (RFC 6750)."""
    if message == NO_TOKEN:
        return 'Bearer realm="spotify"'
    return (
        f'Bearer realm="spotify", error="invalid_token", error_description="{message}"'
    )


def bad_request(message: str) -> ApiError:
    """Return a 400 validation error."""
    return ApiError(400, message)


def not_found(message: str = "Resource not found") -> ApiError:
    """Return a 404 for an unknown id."""
    return ApiError(404, message)


class PlayerError(ApiError):
    """A player command failure; the Web API answers it with Spotify's error body."""


def restriction_violated() -> PlayerError:
    """Return Spotify's error for a disallowed command or a restricted device."""
    return PlayerError(403, "Player command failed: Restriction violated", "UNKNOWN")


def no_active_device() -> PlayerError:
    """Return the error Spotify gives when nothing is playing anywhere."""
    return PlayerError(
        404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE"
    )


def device_not_found() -> PlayerError:
    """Return the error for a device id the user does not have (or that sleeps)."""
    return PlayerError(404, "Device not found")
