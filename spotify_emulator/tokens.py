"""Authorization codes, access and refresh tokens, driven by the world clock."""

from __future__ import annotations

import base64
import calendar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .clock import Clock
    from .config import EmulatorConfig


# Scopes the integration asks for; issue_tokens() grants these unless told otherwise.
DEFAULT_SCOPES = frozenset(
    {
        "user-read-playback-state",
        "user-modify-playback-state",
        "user-read-currently-playing",
        "user-read-private",
        "playlist-read-private",
        "playlist-read-collaborative",
        "user-library-read",
        "user-library-modify",
        "user-follow-read",
        "user-top-read",
        "user-read-recently-played",
        "user-read-playback-position",
    }
)
# Every scope Spotify knows; /authorize refuses anything else with error=invalid_scope.
KNOWN_SCOPES = DEFAULT_SCOPES | {
    "user-read-email",
    "playlist-modify-private",
    "playlist-modify-public",
    "user-follow-modify",
    "ugc-image-upload",
    "app-remote-control",
    "streaming",
    "user-personalized",
}


class TokenError(Exception):
    """An OAuth error answered as HTTP 400 {"error", "error_description"}."""

    def __init__(self, error: str, description: str) -> None:
        """Store the OAuth error code and its description."""
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


@dataclass(frozen=True, kw_only=True, slots=True)
class TokenGrant:
    """What the token endpoint hands out."""

    # Kept out of repr so a failing assertion or a log line never shows them.
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_in: int
    scope: str
    token_type: str = "Bearer"  # noqa: S105 - not a secret

    def as_json(self) -> dict[str, Any]:
        """Return the token endpoint's JSON body."""
        body: dict[str, Any] = {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_in": self.expires_in,
            "scope": self.scope,
        }
        if self.refresh_token is not None:
            body["refresh_token"] = self.refresh_token
        return body


@dataclass(kw_only=True, slots=True)
class Authorization:
    """What a user let a client do; codes and tokens each carry one."""

    client_id: str
    user_id: str
    scopes: frozenset[str]


@dataclass(kw_only=True, slots=True)
class AuthorizationCode(Authorization):
    """A code handed to the redirect URI, exchangeable once."""

    redirect_uri: str
    issued_at: float
    code_challenge: str | None
    used: bool = False


@dataclass(kw_only=True, slots=True)
class AccessToken(Authorization):
    """A bearer token for the Web API."""

    expires_at: float
    forced_expired: bool = False


@dataclass(kw_only=True, slots=True)
class RefreshToken(Authorization):
    """A refresh token; it dies six months after the original authorization."""

    authorized_at: float
    pkce: bool
    revoked: bool = False


def months_later(timestamp: float, months: int) -> float:
    """Return the time `months` calendar months (UTC) later, clamping the day."""
    start = datetime.fromtimestamp(timestamp, UTC)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day).timestamp()


def s256_challenge(verifier: str) -> str:
    """Return the PKCE S256 challenge of a verifier."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def scope_string(scopes: frozenset[str]) -> str:
    """Return scopes the way Spotify lists them (space separated, sorted)."""
    return " ".join(sorted(scopes))


class TokenStore:
    """Holds every code and token the accounts service has handed out."""

    def __init__(self, clock: Clock, config: EmulatorConfig) -> None:
        """Create an empty store."""
        self._clock = clock
        self._config = config
        self.codes: dict[str, AuthorizationCode] = {}
        self.access_tokens: dict[str, AccessToken] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}

    def create_code(
        self,
        *,
        client_id: str,
        user_id: str,
        redirect_uri: str,
        scopes: frozenset[str],
        code_challenge: str | None,
    ) -> str:
        """Create a single-use authorization code."""
        code = "AQ" + secrets.token_urlsafe(96)
        self.codes[code] = AuthorizationCode(
            client_id=client_id,
            user_id=user_id,
            redirect_uri=redirect_uri,
            scopes=scopes,
            issued_at=self._clock.now(),
            code_challenge=code_challenge,
        )
        return code

    def exchange_code(
        self,
        *,
        client_id: str,
        code: str,
        redirect_uri: str | None,
        code_verifier: str | None,
    ) -> TokenGrant:
        """Trade an authorization code for tokens (authorization_code grant)."""
        entry = self.codes.get(code)
        if entry is None or entry.used or entry.client_id != client_id:
            raise TokenError("invalid_grant", "Invalid authorization code")
        if self._clock.now() - entry.issued_at > self._config.code_lifetime:
            raise TokenError("invalid_grant", "Authorization code expired")
        if redirect_uri != entry.redirect_uri:
            raise TokenError("invalid_grant", "Invalid redirect URI")
        if entry.code_challenge is not None and (
            code_verifier is None
            or not hmac.compare_digest(
                s256_challenge(code_verifier), entry.code_challenge
            )
        ):
            raise TokenError("invalid_grant", "code_verifier was incorrect")
        entry.used = True
        return self.issue(
            client_id=client_id,
            user_id=entry.user_id,
            scopes=entry.scopes,
            pkce=entry.code_challenge is not None,
        )

    def issue(
        self,
        *,
        client_id: str,
        user_id: str,
        scopes: frozenset[str],
        pkce: bool = False,
        authorized_at: float | None = None,
    ) -> TokenGrant:
        """Issue a fresh access token and refresh token."""
        refresh = self._new_refresh_token(
            RefreshToken(
                client_id=client_id,
                user_id=user_id,
                scopes=scopes,
                authorized_at=self._clock.now()
                if authorized_at is None
                else authorized_at,
                pkce=pkce,
            )
        )
        return self._grant(client_id, user_id, scopes, refresh)

    def refresh(self, *, client_id: str, refresh_token: str) -> TokenGrant:
        """Use a refresh token (refresh_token grant)."""
        entry = self.refresh_tokens.get(refresh_token)
        if entry is None or entry.client_id != client_id:
            raise TokenError("invalid_grant", "Invalid refresh token")
        if entry.revoked:
            raise TokenError("invalid_grant", "Refresh token revoked")
        if self._clock.now() >= months_later(
            entry.authorized_at, self._config.refresh_token_lifetime_months
        ):
            raise TokenError("invalid_grant", "Refresh token revoked")
        new_refresh: str | None = None
        if self._config.rotate_refresh_tokens:
            entry.revoked = True
            # The new token carries on the same authorization (and its age).
            new_refresh = self._new_refresh_token(replace(entry, revoked=False))
        return self._grant(client_id, entry.user_id, entry.scopes, new_refresh)

    def refresh_token_info(self, refresh_token: str) -> RefreshToken | None:
        """Return what is known about a refresh token."""
        return self.refresh_tokens.get(refresh_token)

    def access_token_info(self, token: str) -> AccessToken | None:
        """Return what is known about an access token."""
        return self.access_tokens.get(token)

    def is_expired(self, token: AccessToken) -> bool:
        """Return whether an access token has expired."""
        return token.forced_expired or self._clock.now() >= token.expires_at

    def expire_access_tokens(self, user_id: str | None = None) -> int:
        """Expire every access token (of one user); return how many."""
        count = 0
        for token in self.access_tokens.values():
            if (
                user_id is None or token.user_id == user_id
            ) and not token.forced_expired:
                token.forced_expired = True
                count += 1
        return count

    def revoke_refresh_tokens(self, user_id: str | None = None) -> int:
        """Revoke every refresh token (of one user); return how many."""
        count = 0
        for token in self.refresh_tokens.values():
            if (user_id is None or token.user_id == user_id) and not token.revoked:
                token.revoked = True
                count += 1
        return count

    def revoke_refresh_token(self, refresh_token: str) -> bool:
        """Revoke one refresh token; return whether it existed."""
        entry = self.refresh_tokens.get(refresh_token)
        if entry is None:
            return False
        entry.revoked = True
        return True

    def _grant(
        self,
        client_id: str,
        user_id: str,
        scopes: frozenset[str],
        refresh_token: str | None,
    ) -> TokenGrant:
        """Issue a fresh access token; return it with `refresh_token`."""
        access = "BQ" + secrets.token_urlsafe(120)
        self.access_tokens[access] = AccessToken(
            client_id=client_id,
            user_id=user_id,
            scopes=scopes,
            expires_at=self._clock.now() + self._config.token_lifetime,
        )
        return TokenGrant(
            access_token=access,
            refresh_token=refresh_token,
            expires_in=self._config.token_lifetime,
            scope=scope_string(scopes),
        )

    def _new_refresh_token(self, entry: RefreshToken) -> str:
        token = "AQ" + secrets.token_urlsafe(96)
        self.refresh_tokens[token] = entry
        return token
