"""Accounts service: /authorize and the token lifecycle."""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from spotify_emulator import World, seed
from spotify_emulator.tokens import s256_challenge

if TYPE_CHECKING:
    import aiohttp

    from spotify_emulator import EmulatorServer

REDIRECT = seed.REDIRECT_URIS[0]
SCOPES = "user-read-playback-state user-modify-playback-state"


def _basic() -> dict[str, str]:
    raw = f"{seed.CLIENT_ID}:{seed.CLIENT_SECRET}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


async def _authorize(
    http: aiohttp.ClientSession, emulator: EmulatorServer, **overrides: str
) -> aiohttp.ClientResponse:
    params = {
        "client_id": seed.CLIENT_ID,
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "state": "xyz",
        "scope": SCOPES,
        **overrides,
    }
    return await http.get(
        f"{emulator.url}/authorize?{urlencode(params)}", allow_redirects=False
    )


def _redirect_params(resp: aiohttp.ClientResponse) -> dict[str, str]:
    location = resp.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def _code(
    http: aiohttp.ClientSession, emulator: EmulatorServer, **overrides: str
) -> str:
    resp = await _authorize(http, emulator, **overrides)
    assert resp.status == 302
    params = _redirect_params(resp)
    assert params["state"] == "xyz"
    return params["code"]


async def _token(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    data: dict[str, str],
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    async with http.post(
        f"{emulator.url}/api/token", data=data, headers=headers or {}
    ) as resp:
        return resp.status, await resp.json()


async def _me(
    http: aiohttp.ClientSession, emulator: EmulatorServer, token: str
) -> tuple[int, dict[str, Any]]:
    async with http.get(
        f"{emulator.api_url}/me", headers={"Authorization": f"Bearer {token}"}
    ) as resp:
        return resp.status, await resp.json()


async def test_token_lifecycle(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Code -> tokens -> expiry -> refresh -> revocation -> invalid_grant."""
    code = await _code(http, emulator)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    status, body = await _token(http, emulator, data, _basic())
    assert status == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == " ".join(sorted(SCOPES.split()))
    access, refresh = body["access_token"], body["refresh_token"]

    assert (await _me(http, emulator, access))[0] == 200

    # Codes are single-use.
    status, body = await _token(http, emulator, data, _basic())
    assert (status, body["error"]) == (400, "invalid_grant")
    assert body["error_description"] == "Invalid authorization code"

    # The access token expires with the clock.
    emulator_world.advance(3600)
    status, body = await _me(http, emulator, access)
    assert status == 401
    assert body == {"error": {"status": 401, "message": "The access token expired"}}

    # Refreshing leaves out refresh_token by default; the old one keeps working.
    refresh_data = {"grant_type": "refresh_token", "refresh_token": refresh}
    status, body = await _token(http, emulator, refresh_data, _basic())
    assert status == 200
    assert "refresh_token" not in body
    assert (await _me(http, emulator, body["access_token"]))[0] == 200
    status, body = await _token(http, emulator, refresh_data, _basic())
    assert status == 200

    # Revocation.
    assert emulator_world.revoke_refresh_tokens(seed.PREMIUM_USER_ID) == 1
    status, body = await _token(http, emulator, refresh_data, _basic())
    assert status == 400
    assert body == {
        "error": "invalid_grant",
        "error_description": "Refresh token revoked",
    }

    status, body = await _token(
        http, emulator, {**refresh_data, "refresh_token": "nope"}, _basic()
    )
    assert body == {
        "error": "invalid_grant",
        "error_description": "Invalid refresh token",
    }


async def test_refresh_rotation_revokes_old_token(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """With rotation on, each refresh hands out a new token and kills the old one."""
    emulator_world.config.rotate_refresh_tokens = True
    first = emulator_world.issue_tokens(seed.PREMIUM_USER_ID).refresh_token
    assert first is not None
    form = {
        "grant_type": "refresh_token",
        "refresh_token": first,
        "client_id": seed.CLIENT_ID,
        "client_secret": seed.CLIENT_SECRET,
    }
    status, body = await _token(http, emulator, form)
    assert status == 200
    second = body["refresh_token"]
    assert second != first
    status, body = await _token(http, emulator, form)
    assert body["error_description"] == "Refresh token revoked"
    status, body = await _token(http, emulator, {**form, "refresh_token": second})
    assert status == 200


async def test_refresh_token_dies_six_months_after_authorization(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Rotation keeps the original authorization time; six months later it is over.

    Six calendar months: from 1 March 12:00 UTC that is 1 September 12:00 UTC, 184
    days, the date the integration's repair issue names.
    """
    emulator_world.config.rotate_refresh_tokens = True
    refresh = emulator_world.issue_tokens(seed.PREMIUM_USER_ID).refresh_token
    assert refresh is not None
    emulator_world.advance(184 * 24 * 3600 - 10)
    status, body = await _token(
        http,
        emulator,
        {"grant_type": "refresh_token", "refresh_token": refresh},
        _basic(),
    )
    assert status == 200
    emulator_world.advance(20)
    status, body = await _token(
        http,
        emulator,
        {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]},
        _basic(),
    )
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_code_expires_after_ten_minutes(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """An authorization code is only good for ten minutes."""
    code = await _code(http, emulator)
    emulator_world.advance(601)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    status, body = await _token(http, emulator, data, _basic())
    assert (status, body["error"]) == (400, "invalid_grant")
    assert body["error_description"] == "Authorization code expired"


async def test_pkce(http: aiohttp.ClientSession, emulator: EmulatorServer) -> None:
    """S256 is checked; a public client may exchange and refresh without a secret."""
    verifier = secrets.token_urlsafe(64)
    challenge = {
        "code_challenge": s256_challenge(verifier),
        "code_challenge_method": "S256",
    }
    code = await _code(http, emulator, **challenge)
    base = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": seed.CLIENT_ID,
    }
    status, body = await _token(http, emulator, {**base, "code_verifier": "wrong"})
    assert body == {
        "error": "invalid_grant",
        "error_description": "code_verifier was incorrect",
    }
    status, body = await _token(http, emulator, {**base, "code_verifier": verifier})
    assert status == 200
    refresh = {
        "grant_type": "refresh_token",
        "refresh_token": body["refresh_token"],
        "client_id": seed.CLIENT_ID,
    }
    status, body = await _token(http, emulator, refresh)
    assert status == 200

    # Without a verifier the code is refused too.
    code = await _code(http, emulator, **challenge)
    status, body = await _token(http, emulator, {**base, "code": code}, _basic())
    assert body["error_description"] == "code_verifier was incorrect"


async def test_redirect_uri_must_match(
    http: aiohttp.ClientSession, emulator: EmulatorServer
) -> None:
    """The token request must repeat the authorize redirect URI."""
    code = await _code(http, emulator)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": seed.REDIRECT_URIS[1],
    }
    _status, body = await _token(http, emulator, data, _basic())
    assert body == {
        "error": "invalid_grant",
        "error_description": "Invalid redirect URI",
    }


@pytest.mark.parametrize(
    ("data", "headers", "description"),
    [
        ({"client_id": "unknown", "client_secret": "x"}, None, "Invalid client"),
        (
            {"client_id": seed.CLIENT_ID, "client_secret": "x"},
            None,
            "Invalid client secret",
        ),
        ({}, {"Authorization": "Basic !!!"}, "Invalid client"),
        (
            {},
            {"Authorization": "Basic " + base64.b64encode(b"nocolon").decode()},
            "Invalid client",
        ),
        ({"client_id": seed.CLIENT_ID}, None, "Invalid client secret"),
    ],
)
async def test_invalid_client(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    data: dict[str, str],
    headers: dict[str, str] | None,
    description: str,
) -> None:
    """Bad client credentials give 400 invalid_client."""
    form = {"grant_type": "refresh_token", "refresh_token": "x", **data}
    status, body = await _token(http, emulator, form, headers)
    assert status == 400
    assert body == {"error": "invalid_client", "error_description": description}


async def test_public_client_needs_pkce_for_codes(
    http: aiohttp.ClientSession, emulator: EmulatorServer
) -> None:
    """Without a secret, a code exchange must carry a code_verifier."""
    code = await _code(http, emulator)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": seed.CLIENT_ID,
    }
    _status, body = await _token(http, emulator, form)
    assert body["error"] == "invalid_client"

    # Any verifier for a code issued without a challenge proves nothing.
    status, body = await _token(http, emulator, {**form, "code_verifier": "guess"})
    assert (status, body["error"]) == (400, "invalid_client")

    # The code is still good for the confidential client it was issued to.
    status, _body = await _token(http, emulator, form, _basic())
    assert status == 200


def test_secrets_stay_out_of_repr(emulator_world: World) -> None:
    """Tokens and the client secret never show in a repr (assertions, logs)."""
    grant = emulator_world.issue_tokens(seed.PREMIUM_USER_ID)
    app = emulator_world.apps[seed.CLIENT_ID]
    assert grant.refresh_token is not None
    for secret in (grant.access_token, grant.refresh_token):
        assert secret not in repr(grant)
    assert seed.CLIENT_SECRET not in repr(app)
    assert seed.CLIENT_ID in repr(app)


@pytest.mark.parametrize("grant_type", [None, "password"])
async def test_unsupported_grant(
    http: aiohttp.ClientSession, emulator: EmulatorServer, grant_type: str | None
) -> None:
    """Only authorization_code and refresh_token grants exist."""
    data = {"grant_type": grant_type} if grant_type else {}
    status, body = await _token(http, emulator, data, _basic())
    assert (status, body["error"]) == (400, "unsupported_grant_type")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_id": "unknown"}, "INVALID_CLIENT: Invalid client"),
        (
            {"redirect_uri": "https://evil.example/cb"},
            "INVALID_CLIENT: Invalid redirect URI",
        ),
    ],
)
async def test_authorize_error_page(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    overrides: dict[str, str],
    message: str,
) -> None:
    """Unknown clients and unregistered redirect URIs get a page, not a redirect."""
    resp = await _authorize(http, emulator, **overrides)
    assert resp.status == 400
    assert "Location" not in resp.headers
    assert message in await resp.text()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "user-read-private not-a-scope"}, "invalid_scope"),
        (
            {"code_challenge": "abc", "code_challenge_method": "plain"},
            "invalid_request",
        ),
    ],
)
async def test_authorize_redirects_errors(
    http: aiohttp.ClientSession,
    emulator: EmulatorServer,
    overrides: dict[str, str],
    error: str,
) -> None:
    """Request errors go back to the redirect URI with the state."""
    resp = await _authorize(http, emulator, **overrides)
    assert resp.status == 302
    assert _redirect_params(resp) == {"error": error, "state": "xyz"}


async def test_authorize_auto_deny(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """The auto-approve switch can also refuse."""
    emulator_world.config.deny_authorization = True
    resp = await _authorize(http, emulator)
    assert _redirect_params(resp) == {"error": "access_denied", "state": "xyz"}


async def test_consent_page(
    http: aiohttp.ClientSession, emulator: EmulatorServer, emulator_world: World
) -> None:
    """Without auto-approve a consent page posts the decision back."""
    emulator_world.config.auto_approve = False
    resp = await _authorize(http, emulator)
    assert resp.status == 200
    page = await resp.text()
    assert 'name="decision" value="approve"' in page
    assert seed.APP_NAME in page

    form = {
        "client_id": seed.CLIENT_ID,
        "redirect_uri": REDIRECT,
        "state": "xyz",
        "scope": SCOPES,
        "user_id": seed.FREE_USER_ID,
    }
    post = f"{emulator.url}/authorize"
    resp = await http.post(
        post, data={**form, "decision": "deny"}, allow_redirects=False
    )
    assert _redirect_params(resp) == {"error": "access_denied", "state": "xyz"}

    resp = await http.post(
        post, data={**form, "decision": "approve"}, allow_redirects=False
    )
    code = _redirect_params(resp)["code"]
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    _, body = await _token(http, emulator, data, _basic())
    _, me = await _me(http, emulator, body["access_token"])
    assert me["id"] == seed.FREE_USER_ID

    resp = await http.post(
        post, data={**form, "user_id": "ghost"}, allow_redirects=False
    )
    assert resp.status == 400
    resp = await http.post(
        post, data={**form, "client_id": "unknown"}, allow_redirects=False
    )
    assert resp.status == 400


def test_issue_tokens_checks_user(emulator_world: World) -> None:
    """issue_tokens refuses unknown users and honours explicit scopes."""
    with pytest.raises(KeyError):
        emulator_world.issue_tokens("ghost")
    grant = emulator_world.issue_tokens(seed.FREE_USER_ID, ["user-read-private"])
    assert grant.scope == "user-read-private"
    assert grant.as_json()["refresh_token"] == grant.refresh_token
