"""The accounts service: /authorize (consent) and /api/token."""

from __future__ import annotations

import base64
import binascii
import html
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlencode

from aiohttp import web

from .tokens import KNOWN_SCOPES, TokenError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .users import App
    from .world import World


# The consent page looks like a login page, so a demo shows what Spotify's does.
_STYLE = (
    "body{margin:0;background:#121212;color:#fff;font:15px/1.5 system-ui,sans-serif}"
    "main{max-width:420px;margin:48px auto;padding:32px;background:#1f1f1f;"
    "border-radius:8px}.brand{color:#1ed760;font-weight:700;margin:0}"
    "h1{font-size:24px;margin:8px 0 16px}ul{color:#b3b3b3;padding-left:20px}"
    "label{display:block;margin:16px 0}select{margin-left:8px}"
    "button{display:block;width:100%;margin-top:12px;padding:12px;border:0;"
    "border-radius:24px;background:#1ed760;font-weight:700;cursor:pointer}"
    "button.cancel{background:transparent;color:#fff;border:1px solid #878787}"
)


def _error_page(message: str) -> web.Response:
    body = (
        "<!doctype html><html><head><title>Error</title></head><body>"
        "<h1>Oops! Something went wrong</h1>"
        f"<p>{html.escape(message)}</p></body></html>"
    )
    return web.Response(status=400, text=body, content_type="text/html")


# Token replies must not be cached by anything in between (RFC 6749, section 5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _token_error(error: str, description: str) -> web.Response:
    return web.json_response(
        {"error": error, "error_description": description},
        status=400,
        headers=NO_STORE,
    )


def _redirect(redirect_uri: str, params: dict[str, str]) -> NoReturn:
    separator = "&" if "?" in redirect_uri else "?"
    raise web.HTTPFound(redirect_uri + separator + urlencode(params))


class Accounts:
    """Handlers of the accounts service."""

    def __init__(self, world: World) -> None:
        """Serve `world`."""
        self.world = world

    def routes(self) -> list[web.RouteDef]:
        """Return the route table."""
        return [
            web.get("/authorize", self.authorize),
            web.post("/authorize", self.decide),
            web.post("/api/token", self.token),
        ]

    # ------------------------------------------------------------- authorize

    def _check_client(self, client_id: str, redirect_uri: str) -> App | web.Response:
        app = self.world.apps.get(client_id)
        if app is None:
            return _error_page("INVALID_CLIENT: Invalid client")
        if redirect_uri not in app.redirect_uris:
            return _error_page("INVALID_CLIENT: Invalid redirect URI")
        return app

    async def authorize(self, request: web.Request) -> web.Response:
        """GET /authorize: error page, consent page or an immediate redirect."""
        q = request.query
        client_id = q.get("client_id", "")
        redirect_uri = q.get("redirect_uri", "")
        checked = self._check_client(client_id, redirect_uri)
        if isinstance(checked, web.Response):
            return checked
        state = q.get("state")
        extra = {"state": state} if state is not None else {}
        if q.get("response_type") != "code":
            return _redirect(
                redirect_uri, {"error": "unsupported_response_type", **extra}
            )
        scopes = q.get("scope", "").split()
        if any(s not in KNOWN_SCOPES for s in scopes):
            return _redirect(redirect_uri, {"error": "invalid_scope", **extra})
        challenge = q.get("code_challenge")
        method = q.get("code_challenge_method")
        if challenge is not None and method != "S256":
            return _redirect(redirect_uri, {"error": "invalid_request", **extra})
        if self.world.config.auto_approve:
            approve = not self.world.config.deny_authorization
            return self._finish(
                approve=approve,
                client_id=client_id,
                redirect_uri=redirect_uri,
                state=state,
                scopes=scopes,
                challenge=challenge,
                user_id=self.world.config.authorize_as,
            )
        return self._consent_page(checked, q)

    def _consent_page(self, app: App, query: Mapping[str, str]) -> web.Response:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        options = "".join(
            f'<option value="{html.escape(u.id)}"'
            + (" selected" if u.id == self.world.config.authorize_as else "")
            + f">{html.escape(u.display_name)}</option>"
            for u in self.world.users.values()
        )
        scopes = "".join(
            f"<li>{html.escape(s)}</li>" for s in query.get("scope", "").split()
        )
        body = (
            "<!doctype html><html><head><title>Spotify emulator: authorize</title>"
            f'<meta name="viewport" content="width=device-width"><style>{_STYLE}'
            "</style></head><body><main><p class=brand>Spotify emulator</p>"
            f"<h1>{html.escape(app.name)} wants to access your account</h1>"
            f"<p>It asks for these permissions:</p><ul>{scopes}</ul>"
            f'<form method="post" action="/authorize">{hidden}'
            f'<label>Log in as <select name="user_id">{options}</select></label>'
            '<button name="decision" value="approve">Agree</button>'
            '<button name="decision" value="deny" class=cancel>Cancel</button>'
            "</form></main></body></html>"
        )
        return web.Response(text=body, content_type="text/html")

    async def decide(self, request: web.Request) -> web.Response:
        """POST /authorize: the consent page's Agree / Cancel."""
        form = await request.post()
        fields = {k: str(v) for k, v in form.items()}
        client_id = fields.get("client_id", "")
        redirect_uri = fields.get("redirect_uri", "")
        checked = self._check_client(client_id, redirect_uri)
        if isinstance(checked, web.Response):
            return checked
        user_id = fields.get("user_id") or self.world.config.authorize_as
        if user_id not in self.world.users:
            return _error_page("Unknown user")
        return self._finish(
            approve=fields.get("decision") == "approve",
            client_id=client_id,
            redirect_uri=redirect_uri,
            state=fields.get("state"),
            scopes=fields.get("scope", "").split(),
            challenge=fields.get("code_challenge"),
            user_id=user_id,
        )

    def _finish(
        self,
        *,
        approve: bool,
        client_id: str,
        redirect_uri: str,
        state: str | None,
        scopes: list[str],
        challenge: str | None,
        user_id: str,
    ) -> web.Response:
        extra = {"state": state} if state is not None else {}
        if not approve:
            return _redirect(redirect_uri, {"error": "access_denied", **extra})
        code = self.world.tokens.create_code(
            client_id=client_id,
            user_id=user_id,
            redirect_uri=redirect_uri,
            scopes=frozenset(scopes),
            code_challenge=challenge,
        )
        return _redirect(redirect_uri, {"code": code, **extra})

    # ----------------------------------------------------------------- token

    async def token(self, request: web.Request) -> web.Response:
        """POST /api/token: authorization_code and refresh_token grants."""
        form = await request.post()
        fields = {k: str(v) for k, v in form.items()}
        client = self._client(request, fields)
        if isinstance(client, web.Response):
            return client
        client_id, authenticated = client
        grant_type = fields.get("grant_type")
        try:
            if grant_type == "authorization_code":
                code = fields.get("code", "")
                verifier = fields.get("code_verifier")
                pending = self.world.tokens.codes.get(code)
                # Without the secret only a PKCE code proves who asked for it.
                if not authenticated and (
                    verifier is None
                    or (pending is not None and pending.code_challenge is None)
                ):
                    return _token_error("invalid_client", "Invalid client secret")
                grant = self.world.tokens.exchange_code(
                    client_id=client_id,
                    code=code,
                    redirect_uri=fields.get("redirect_uri"),
                    code_verifier=verifier,
                )
            elif grant_type == "refresh_token":
                refresh = fields.get("refresh_token", "")
                info = self.world.tokens.refresh_token_info(refresh)
                if not authenticated and (info is None or not info.pkce):
                    return _token_error("invalid_client", "Invalid client secret")
                grant = self.world.tokens.refresh(
                    client_id=client_id, refresh_token=refresh
                )
            elif grant_type is None:
                return _token_error(
                    "unsupported_grant_type", "grant_type parameter is missing"
                )
            else:
                return _token_error(
                    "unsupported_grant_type",
                    "grant_type must be authorization_code or refresh_token",
                )
        except TokenError as err:
            return _token_error(err.error, err.description)
        return web.json_response(grant.as_json(), headers=NO_STORE)

    def _client(
        self, request: web.Request, fields: dict[str, str]
    ) -> tuple[str, bool] | web.Response:
        """Return (client_id, secret checked) or an invalid_client answer."""
        header = request.headers.get("Authorization", "")
        secret: str | None
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
            except binascii.Error, UnicodeDecodeError:
                return _token_error("invalid_client", "Invalid client")
            client_id, sep, secret = decoded.partition(":")
            if not sep:
                return _token_error("invalid_client", "Invalid client")
        else:
            client_id = fields.get("client_id", "")
            secret = fields.get("client_secret")
        app = self.world.apps.get(client_id)
        if app is None:
            return _token_error("invalid_client", "Invalid client")
        if secret is None:
            return client_id, False
        if secret != app.client_secret:
            return _token_error("invalid_client", "Invalid client secret")
        return client_id, True
