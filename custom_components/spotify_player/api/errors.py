"""Exceptions raised by the Spotify Web API client, and the parser for error bodies."""

from __future__ import annotations

from typing import Any

import orjson

# Spotify's messages are short; the cap keeps a misbehaving server from filling logs.
_MAX_MESSAGE_LENGTH = 300

REASON_PREMIUM_REQUIRED = "PREMIUM_REQUIRED"
REASON_NO_ACTIVE_DEVICE = "NO_ACTIVE_DEVICE"
REASON_QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
MESSAGE_INSUFFICIENT_SCOPE = "insufficient client scope"
MESSAGE_USER_NOT_REGISTERED = "may not be registered"
MESSAGE_APP_OWNER_PREMIUM = "premium subscription required for the owner of the app"


class SpotifyError(Exception):
    """Base class of every error the client raises."""

    def __init__(
        self, message: str, *, status: int | None = None, reason: str | None = None
    ) -> None:
        """Store the HTTP status, Spotify's `reason` code and a readable message."""
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason

    def __repr__(self) -> str:
        """Show status and reason next to the message."""
        return (
            f"{type(self).__name__}(message={self.message!r}, "
            f"status={self.status!r}, reason={self.reason!r})"
        )


class SpotifyConnectionError(SpotifyError):
    """The request did not complete: timeout, reset, DNS or another transport error."""


class SpotifyMalformedResponseError(SpotifyError):
    """The response was not JSON or did not have the expected shape."""


class SpotifyResponseError(SpotifyError):
    """Spotify answered with an HTTP error status."""


class SpotifyAuthenticationError(SpotifyResponseError):
    """Credentials rejected: 401 after a forced token refresh, or a dead grant."""


class SpotifyTokenRejectedError(SpotifyResponseError):
    """A 401 again on the retry with a freshly refreshed access token.

    The grant is alive (its refresh just worked), so this is a transient to back off
    from. Only a refresh the Accounts service rejects (SpotifyAuthenticationError
    with reason invalid_grant) means the user must sign in again.
    """


class SpotifyForbiddenError(SpotifyResponseError):
    """Spotify refused the request (403), e.g. a restricted device."""


class SpotifyInsufficientScopeError(SpotifyForbiddenError):
    """The token lacks a scope the endpoint needs."""


class SpotifyPremiumRequiredError(SpotifyForbiddenError):
    """The player command needs a Premium account."""


class SpotifyUserNotRegisteredError(SpotifyForbiddenError):
    """The user is not on the allow-list of a Development Mode app."""


class SpotifyAppOwnerPremiumRequiredError(SpotifyForbiddenError):
    """The owner of the Development Mode app has no Premium: every call is refused."""


class SpotifyPlaylistItemsForbiddenError(SpotifyForbiddenError):
    """Development Mode lists only items of playlists the user owns or works on."""


class SpotifyNotFoundError(SpotifyResponseError):
    """The resource does not exist (404)."""


class SpotifyNoActiveDeviceError(SpotifyNotFoundError):
    """A player command found no active device."""


class SpotifyRateLimitedError(SpotifyResponseError):
    """Too many requests; `retry_after` says how many seconds to wait.

    `reason` QUOTA_EXCEEDED means the developer account's daily quota is spent: the
    wait then runs for hours.
    """

    @property
    def quota_exceeded(self) -> bool:
        """Whether Spotify paused the app for its daily quota."""
        return self.reason == REASON_QUOTA_EXCEEDED

    def __init__(
        self,
        message: str,
        *,
        retry_after: float,
        status: int | None = 429,
        reason: str | None = None,
    ) -> None:
        """Store the number of seconds before another request may be sent."""
        super().__init__(message, status=status, reason=reason)
        self.retry_after = retry_after


class SpotifyServerError(SpotifyResponseError):
    """Spotify failed on its side (5xx)."""


def _clean(text: object) -> str | None:
    """Return a trimmed single-line string, or None when there is nothing useful."""
    if not isinstance(text, str):
        return None
    text = " ".join(text.split())
    if not text:
        return None
    return text[:_MAX_MESSAGE_LENGTH]


def parse_error_body(body: bytes | str | None) -> tuple[str | None, str | None]:
    """Extract (message, reason) from a Spotify error body.

    Understands the Web API shape `{"error": {"status", "message", "reason"}}` and
    the Accounts shape `{"error": "invalid_grant", "error_description": "..."}`.
    Anything else yields (None, None): raw bodies are never echoed, they could contain
    anything.
    """
    if not body:
        return None, None
    try:
        data: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    if isinstance(error, dict):
        return _clean(error.get("message")), _clean(error.get("reason"))
    if isinstance(error, str):
        return _clean(data.get("error_description")), _clean(error)
    return None, None


def error_from_response(
    status: int,
    body: bytes | str | None,
    *,
    retry_after: float | None = None,
) -> SpotifyResponseError:
    """Build the exception matching an HTTP error status and Spotify's error body."""
    message, reason = parse_error_body(body)
    text = message or f"HTTP {status}"
    lowered = text.lower()
    kwargs: dict[str, Any] = {"status": status, "reason": reason}
    if status == 401:
        return SpotifyAuthenticationError(text, **kwargs)
    if status == 403:
        if reason == REASON_PREMIUM_REQUIRED:
            return SpotifyPremiumRequiredError(text, **kwargs)
        if MESSAGE_INSUFFICIENT_SCOPE in lowered:
            return SpotifyInsufficientScopeError(text, **kwargs)
        if MESSAGE_USER_NOT_REGISTERED in lowered:
            return SpotifyUserNotRegisteredError(text, **kwargs)
        if MESSAGE_APP_OWNER_PREMIUM in lowered:
            return SpotifyAppOwnerPremiumRequiredError(text, **kwargs)
        return SpotifyForbiddenError(text, **kwargs)
    if status == 404:
        if reason == REASON_NO_ACTIVE_DEVICE:
            return SpotifyNoActiveDeviceError(text, **kwargs)
        return SpotifyNotFoundError(text, **kwargs)
    if status == 429:
        return SpotifyRateLimitedError(
            text, retry_after=retry_after if retry_after is not None else 0.0, **kwargs
        )
    if status >= 500:
        return SpotifyServerError(text, **kwargs)
    return SpotifyResponseError(text, **kwargs)
