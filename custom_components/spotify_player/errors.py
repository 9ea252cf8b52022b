"""The one error boundary: what each Spotify error means in Home Assistant.

`ERROR_TABLE` maps every Spotify client error to one outcome: its translation key
(the same for setup, polling, actions and the config flow), whether the user must
sign in again or a repair issue explains what only they can fix, and whether trying
again later can help. Setup (`setup_error`), polling (`async_poll_failure`), actions
(`spotify_errors`) and the config flow (`error_outcome(...).key` as abort reason)
all read it, so the same cause always reads, and acts, the same way. A new Spotify
error gets a row here, and nowhere else.

Background fetches (the device list a poll brings along, context names, up next)
follow one rule, `async_background_fetch`: they never fail what they serve. A
Spotify error keeps the last value and is logged at debug level; its outcome is the
poll's to report, which asks the same account on its own request. Only a 404 or a
plain 403 about the object itself is final, so that object is not asked for again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from dataclasses import dataclass
import math
from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api import (
    SpotifyAppOwnerPremiumRequiredError,
    SpotifyAuthenticationError,
    SpotifyConnectionError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyInsufficientScopeError,
    SpotifyMalformedResponseError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyPlaylistItemsForbiddenError,
    SpotifyPremiumRequiredError,
    SpotifyRateLimitedError,
    SpotifyServerError,
    SpotifyTokenRejectedError,
    SpotifyUserNotRegisteredError,
)
from .const import DOMAIN, LOGGER
from .household import shared_app
from .issues import IssueKind, async_create_issue
from .long_rate_limit import is_long_rate_limit, pause_until
from .polling import RETRY_AFTER_MARGIN
from .subscription import async_note_premium

if TYPE_CHECKING:
    from collections.abc import Iterator

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

REASON_VOLUME_CONTROL_DISALLOW: Final = "VOLUME_CONTROL_DISALLOW"
# Spotify's only signal for a restricted device is the message (reason is "UNKNOWN").
MESSAGE_RESTRICTION_VIOLATED: Final = "restriction violated"

type Placeholders = Callable[[SpotifyError], dict[str, str]]
type Report = Callable[[HomeAssistant, ConfigEntry, SpotifyError], object]


@dataclass(frozen=True, kw_only=True, slots=True)
class ErrorOutcome:
    """What one kind of Spotify error means in Home Assistant.

    `key`: translation key of the exception and abort reason of the config flow.
    `reauth`: only signing in again helps (setup and polls raise ConfigEntryAuthFailed,
    actions start the reauth flow). `issue`: the repair issue that tells the user what
    to do. `retry`: whether trying again later can help (setup: ConfigEntryNotReady
    rather than ConfigEntryError; polls: keep the state and try again rather than
    stop polling). `validation`: the request can never work as asked (a
    ServiceValidationError, not a HomeAssistantError).
    """

    key: str
    retry: bool
    reauth: bool = False
    issue: Report | None = None
    validation: bool = False
    placeholders: Placeholders | None = None

    def values(self, err: SpotifyError) -> dict[str, str] | None:
        """Placeholders of the translated message."""
        return self.placeholders(err) if self.placeholders else None


def _message(err: SpotifyError) -> dict[str, str]:
    return {"error": err.message}


def _wait(err: SpotifyError) -> float:
    return err.retry_after if isinstance(err, SpotifyRateLimitedError) else 0.0


def _retry_after(err: SpotifyError) -> dict[str, str]:
    # Whole seconds, rounded up, so retrying after the shown time always works.
    return {"retry_after": str(max(1, math.ceil(_wait(err))))}


def _pause_until(err: SpotifyError) -> dict[str, str]:
    return {"until": pause_until(_wait(err))}


def _report_pause(hass: HomeAssistant, entry: ConfigEntry, err: SpotifyError) -> None:
    # One repair for every account of the app (household.py).
    if (app := shared_app(hass, entry.entry_id)) is not None:
        app.pause.async_report(_wait(err))


def _issue(kind: IssueKind) -> Report:
    return lambda hass, entry, _err: async_create_issue(hass, entry, kind)


def _premium_refused(
    hass: HomeAssistant, entry: ConfigEntry, _err: SpotifyError
) -> None:
    async_note_premium(hass, entry, premium=False)


def _is_long(err: SpotifyError) -> bool:
    return isinstance(err, SpotifyRateLimitedError) and is_long_rate_limit(err)


def _volume_refused(err: SpotifyError) -> bool:
    return err.reason == REASON_VOLUME_CONTROL_DISALLOW


def _restricted(err: SpotifyError) -> bool:
    return MESSAGE_RESTRICTION_VIOLATED in err.message.lower()


LONG_PAUSE: Final = ErrorOutcome(
    key="rate_limit_pause", retry=True, issue=_report_pause, placeholders=_pause_until
)

# (error class, extra condition, outcome): the first matching row wins, so the most
# specific classes come first. The last row catches every other SpotifyError.
ERROR_TABLE: Final[
    tuple[
        tuple[type[SpotifyError], Callable[[SpotifyError], bool] | None, ErrorOutcome],
        ...,
    ]
] = (
    (
        SpotifyAuthenticationError,
        None,
        ErrorOutcome(key="authentication_failed", retry=False, reauth=True),
    ),
    # A 401 again with a token refreshed a moment ago: the grant is alive.
    (SpotifyTokenRejectedError, None, ErrorOutcome(key="token_rejected", retry=True)),
    # No retry grants a permission: signing in again asks for every scope.
    (
        SpotifyInsufficientScopeError,
        None,
        ErrorOutcome(key="missing_scope", retry=False, reauth=True),
    ),
    (
        SpotifyUserNotRegisteredError,
        None,
        ErrorOutcome(
            key="user_not_registered",
            retry=False,
            issue=_issue(IssueKind.USER_NOT_REGISTERED),
        ),
    ),
    (
        SpotifyAppOwnerPremiumRequiredError,
        None,
        ErrorOutcome(
            key="app_owner_premium",
            retry=False,
            issue=_issue(IssueKind.APP_OWNER_PREMIUM),
        ),
    ),
    (
        SpotifyPremiumRequiredError,
        None,
        ErrorOutcome(
            key="premium_required",
            retry=False,
            issue=_premium_refused,
        ),
    ),
    (SpotifyRateLimitedError, _is_long, LONG_PAUSE),
    (
        SpotifyRateLimitedError,
        None,
        ErrorOutcome(key="rate_limited", retry=True, placeholders=_retry_after),
    ),
    # Development Mode never lists this playlist's items: nothing to retry.
    (
        SpotifyPlaylistItemsForbiddenError,
        None,
        ErrorOutcome(key="playlist_items_forbidden", retry=False, validation=True),
    ),
    (
        SpotifyForbiddenError,
        _volume_refused,
        ErrorOutcome(key="volume_control_disallowed", retry=False),
    ),
    (
        SpotifyForbiddenError,
        _restricted,
        ErrorOutcome(key="restricted_device", retry=False),
    ),
    (
        SpotifyNoActiveDeviceError,
        None,
        ErrorOutcome(key="no_active_device", retry=True),
    ),
    (
        SpotifyNotFoundError,
        None,
        ErrorOutcome(key="not_found", retry=False, placeholders=_message),
    ),
    (
        SpotifyServerError,
        None,
        ErrorOutcome(key="server_error", retry=True, placeholders=_message),
    ),
    (
        SpotifyConnectionError,
        None,
        ErrorOutcome(key="cannot_connect", retry=True, placeholders=_message),
    ),
    (
        SpotifyMalformedResponseError,
        None,
        ErrorOutcome(key="malformed_response", retry=True),
    ),
    (
        SpotifyError,
        None,
        ErrorOutcome(key="api_error", retry=True, placeholders=_message),
    ),
)


def error_outcome(err: SpotifyError) -> ErrorOutcome:
    """Return the outcome of the first row of ERROR_TABLE that matches `err`."""
    for kind, condition, outcome in ERROR_TABLE:
        if isinstance(err, kind) and (condition is None or condition(err)):
            return outcome
    raise AssertionError("the last row matches every SpotifyError")  # pragma: no cover


def translate_spotify_error(err: SpotifyError) -> HomeAssistantError:
    """Return the translated error an action raises for a Spotify error."""
    outcome = error_outcome(err)
    cls = ServiceValidationError if outcome.validation else HomeAssistantError
    return cls(
        translation_domain=DOMAIN,
        translation_key=outcome.key,
        translation_placeholders=outcome.values(err),
    )


def async_report_spotify_error(
    hass: HomeAssistant, entry: ConfigEntry, err: SpotifyError, *, reauth: bool = True
) -> ErrorOutcome:
    """Raise the repair issue the error calls for; start reauth when it calls for it.

    Setup and polls pass `reauth=False`: their ConfigEntryAuthFailed starts it.
    """
    outcome = error_outcome(err)
    if outcome.issue is not None:
        outcome.issue(hass, entry, err)
    if outcome.reauth and reauth:
        async_start_reauth(hass, entry)
    return outcome


def async_start_reauth(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Ask the user to sign in again (the one place that starts it by hand).

    Setup and polls raise ConfigEntryAuthFailed instead, which Home Assistant turns
    into the same flow.
    """
    entry.async_start_reauth(hass)


@contextmanager
def spotify_errors(hass: HomeAssistant, entry: ConfigEntry) -> Iterator[None]:
    """Translate Spotify errors raised in the block, with their side effects.

    For actions, the media player and the media browser: dead credentials start the
    reauthentication flow at once instead of waiting for the next poll; refusals
    that only the user can fix raise their repair issue.
    """
    try:
        yield
    except SpotifyError as err:
        async_report_spotify_error(hass, entry, err)
        raise translate_spotify_error(err) from err


def setup_error(
    hass: HomeAssistant, entry: ConfigEntry, err: SpotifyError
) -> HomeAssistantError:
    """Return the exception `async_setup_entry` raises for a Spotify error.

    Reauth: ConfigEntryAuthFailed; worth retrying: ConfigEntryNotReady; otherwise
    ConfigEntryError (Home Assistant then stops retrying). The repair issue is raised.
    """
    outcome = async_report_spotify_error(hass, entry, err, reauth=False)
    cls: type[HomeAssistantError]
    if outcome.reauth:
        cls = ConfigEntryAuthFailed
    elif outcome.retry:
        cls = ConfigEntryNotReady
    else:
        cls = ConfigEntryError
    return cls(
        translation_domain=DOMAIN,
        translation_key=outcome.key,
        translation_placeholders=outcome.values(err),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class PollFailure:
    """What a failed poll means for the coordinator.

    `error` is what the poll raises when it cannot keep the last state. `wait`:
    Spotify's Retry-After, when it asked for one. `long_pause`: hours without news,
    so the entity is unavailable rather than stale. `stop`: only the user can fix it
    (reauth, or a repair), so polling stops until the entry is reloaded.
    """

    error: HomeAssistantError
    wait: float | None = None
    long_pause: bool = False
    stop: bool = False


def async_poll_failure(
    hass: HomeAssistant, entry: ConfigEntry, err: SpotifyError, *, paused: bool
) -> PollFailure:
    """Report a failed poll's error (repairs) and say what the poll does next.

    `paused`: a long pause is on, so a short rate limit in its last minutes still
    counts as the pause.
    """
    outcome = async_report_spotify_error(hass, entry, err, reauth=False)
    wait = _wait(err) if isinstance(err, SpotifyRateLimitedError) else None
    long_pause = wait is not None and (paused or outcome is LONG_PAUSE)
    if long_pause:
        outcome = LONG_PAUSE
    values = outcome.values(err)
    if outcome.reauth:
        return PollFailure(
            error=ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key=outcome.key,
                translation_placeholders=values,
            ),
            stop=True,
        )
    return PollFailure(
        error=UpdateFailed(
            retry_after=None if wait is None else wait + RETRY_AFTER_MARGIN,
            translation_domain=DOMAIN,
            translation_key=outcome.key,
            translation_placeholders=values,
        ),
        wait=wait,
        long_pause=long_pause,
        stop=not outcome.retry and outcome.issue is not None,
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class NotFetched:
    """A background fetch that failed; `final`: do not ask for that object again."""

    final: bool


async def async_background_fetch[T](fetch: Awaitable[T], what: str) -> T | NotFetched:
    """Await a background fetch under the rule in this module's docstring."""
    try:
        return await fetch
    except SpotifyError as err:
        LOGGER.debug("Could not fetch %s: %s", what, err)
        # Exact types: a 403 of the account (Premium, allow-list) is no answer about
        # the object.
        return NotFetched(
            final=type(err) in (SpotifyNotFoundError, SpotifyForbiddenError)
        )
