"""The HTTP side of the Web API client: requests, tokens, the rate-limit gate, paging.

SpotifyClient (client.py) adds one method per endpoint on top.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
import logging
import time
from typing import Any, Final
from urllib.parse import quote

import aiohttp
from aiohttp import hdrs
import orjson
from yarl import URL

from .const import (
    DEFAULT_API_BASE,
    DEFAULT_REQUEST_TIMEOUT,
    MAX_LIBRARY_URIS,
    MAX_PAGE_LIMIT,
)
from .errors import (
    SpotifyConnectionError,
    SpotifyMalformedResponseError,
    SpotifyRateLimitedError,
    SpotifyTokenRejectedError,
    error_from_response,
    parse_error_body,
)
from .model_base import CursorPage, Page, SpotifyModel
from .rate_limit import RateLimitGate, RateLimitInfo, parse_retry_after
from .request_window import RequestWindow

_LOGGER = logging.getLogger(__name__)

type TokenProvider = Callable[[bool], Awaitable[str]]
"""Async callable `(force_refresh) -> access token`.

`force_refresh=True` means Spotify rejected the provider's current token: the
provider must fetch a new one (sharing a refresh already in flight).
"""

_SUCCESS: Final = frozenset({200, 201, 202, 204})
# Decoding errors mashumaro and our hooks can raise for JSON of the wrong shape.
_SHAPE_ERRORS: Final = (ValueError, TypeError, LookupError, AttributeError)


@dataclass(kw_only=True)
class ClientStats:
    """Counters for diagnostics; never holds credentials."""

    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    forced_refreshes: int = 0
    connection_errors: int = 0
    last_rate_limit: RateLimitInfo | None = None
    last_24h: RequestWindow = field(default_factory=RequestWindow)
    app_24h: RequestWindow | None = None
    """The requests of every account of the app, when the app is shared."""


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def _id(value: str) -> str:
    """Quote an id for use as one path segment, so it can never alter the path."""
    return quote(value, safe="")


def _query(**values: str | int | bool | None) -> dict[str, str]:
    """Build query parameters, dropping unset ones; Spotify wants lowercase booleans."""
    query: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            query[key] = "true" if value else "false"
        else:
            query[key] = str(value)
    return query


def _page_query(
    limit: int, offset: int, maximum: int = MAX_PAGE_LIMIT
) -> dict[str, str]:
    """Query of an offset-paged endpoint, `limit` held to what Spotify accepts."""
    return _query(limit=_clamp(limit, 1, maximum), offset=max(0, offset))


def _chunks(uris: Sequence[str]) -> list[str]:
    """Comma-joined groups of at most MAX_LIBRARY_URIS URIs, one per request."""
    return [
        ",".join(uris[start : start + MAX_LIBRARY_URIS])
        for start in range(0, len(uris), MAX_LIBRARY_URIS)
    ]


def _parse[M: SpotifyModel](model: type[M], data: object) -> M:
    """Decode a JSON object into `model`, turning any shape error into our error."""
    if not isinstance(data, dict):
        raise SpotifyMalformedResponseError(
            f"Expected a JSON object for {model.__name__}"
        )
    try:
        return model.from_dict(data)
    except _SHAPE_ERRORS as err:
        raise SpotifyMalformedResponseError(
            f"Unexpected {model.__name__} in Spotify response"
        ) from err


def _unwrap_page(data: object) -> Mapping[str, Any]:
    """Return the page object, unwrapping `{"artists": {...}}`-style envelopes."""
    if isinstance(data, dict):
        if "items" in data:
            return data
        if len(data) == 1:
            (inner,) = data.values()
            if isinstance(inner, dict) and "items" in inner:
                return inner
    raise SpotifyMalformedResponseError("Expected a page of items")


class SpotifyTransport:
    """Sends the Web API requests of one account and decodes their answers.

    The aiohttp session is injected and never closed here. Access tokens come from
    `token_provider`; on a 401 the client forces one refresh and retries once. A 401
    on that retry raises SpotifyTokenRejectedError, a transient: a dead grant shows
    as the provider's SpotifyAuthenticationError instead.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_provider: TokenProvider,
        *,
        api_base: str = DEFAULT_API_BASE,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        rate_limit_gate: RateLimitGate | None = None,
        app_requests: RequestWindow | None = None,
    ) -> None:
        """Initialise the client.

        Accounts of one Spotify app pass the app's `rate_limit_gate` (Spotify counts
        its window per app) and `app_requests`, where each request is counted too.
        """
        self._session = session
        self._token_provider = token_provider
        self._api_base = api_base.rstrip("/")
        self._base_url = URL(self._api_base)
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._gate = rate_limit_gate if rate_limit_gate is not None else RateLimitGate()
        self._stats = ClientStats(app_24h=app_requests)

    @property
    def rate_limit_gate(self) -> RateLimitGate:
        """The gate shared by all requests of this account (and of its app)."""
        return self._gate

    @property
    def stats(self) -> ClientStats:
        """Request counters for diagnostics."""
        return self._stats

    # Transport

    def _url(self, path: str) -> URL:
        return URL(self._api_base + path, encoded=True)

    def _resolve_next(self, next_url: str) -> URL:
        """Map a `next` link onto api_base: only its path and query are used.

        The bearer token therefore never goes to a host other than api_base, whatever
        host the link names.
        """
        try:
            link = URL(next_url)
        except (ValueError, TypeError) as err:
            raise SpotifyMalformedResponseError("Invalid next link") from err
        base_path = self._base_url.raw_path.rstrip("/")
        path = link.raw_path
        if base_path and not path.startswith(base_path + "/"):
            raise SpotifyMalformedResponseError("Next link outside the Web API")
        rest = path[len(base_path) :]
        query = link.raw_query_string
        return URL(self._api_base + rest + (f"?{query}" if query else ""), encoded=True)

    async def _send(
        self,
        method: str,
        url: URL,
        token: str,
        params: Mapping[str, str] | None,
        body: bytes | None,
    ) -> tuple[int, bytes, str | None]:
        """Send one HTTP request; return status, body and the Retry-After header."""
        headers = {
            hdrs.AUTHORIZATION: f"Bearer {token}",
            hdrs.ACCEPT: "application/json",
        }
        if body is not None:
            headers[hdrs.CONTENT_TYPE] = "application/json"
        if self._session.closed:
            # The owner shut the session (Home Assistant stopping) while this account
            # still had work under way; aiohttp would raise RuntimeError.
            self._stats.connection_errors += 1
            raise SpotifyConnectionError(
                f"The HTTP session is closed ({method} {url.path})"
            )
        self._stats.requests += 1
        self._stats.last_24h.add()
        if self._stats.app_24h is not None:
            self._stats.app_24h.add()
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                data=body,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                content = await response.read()
                status = response.status
                retry_after = response.headers.get(hdrs.RETRY_AFTER)
        except TimeoutError as err:
            self._stats.connection_errors += 1
            raise SpotifyConnectionError(
                f"Timeout calling Spotify ({method} {url.path})"
            ) from err
        except aiohttp.ClientError as err:
            self._stats.connection_errors += 1
            raise SpotifyConnectionError(
                f"Error calling Spotify ({method} {url.path}): {type(err).__name__}"
            ) from err
        self._stats.by_status[status] = self._stats.by_status.get(status, 0) + 1
        _LOGGER.debug("%s %s -> %s", method, url.path, status)
        return status, content, retry_after

    async def _request(
        self,
        method: str,
        url: URL,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> tuple[int, bytes]:
        """Send an authorised request; return status and body of a success."""
        self._gate.check()
        body = orjson.dumps(json) if json is not None else None
        token = await self._token_provider(False)
        status, content, retry_after = await self._send(
            method, url, token, params, body
        )
        if status == 401:
            # Another caller may have refreshed while this request was in flight:
            # retry with its token, and force a refresh only when the token that
            # failed is still the current one. Many concurrent 401s thus cost one
            # token request, however late they arrive.
            current = await self._token_provider(False)
            if current != token:
                token = current
            else:
                self._stats.forced_refreshes += 1
                token = await self._token_provider(True)
            self._gate.check()
            status, content, retry_after = await self._send(
                method, url, token, params, body
            )
            if status == 401:
                self._gate.record_success()
                message, reason = parse_error_body(content)
                raise SpotifyTokenRejectedError(
                    message or "Spotify refused a fresh access token",
                    status=status,
                    reason=reason,
                )
        if status in _SUCCESS:
            self._gate.record_success()
            return status, content
        if status == 429:
            message, reason = parse_error_body(content)
            wait = self._gate.record_rate_limited(
                parse_retry_after(retry_after, now=time.time()), reason
            )
            self._stats.last_rate_limit = self._gate.last
            raise SpotifyRateLimitedError(
                message or "Rate limited by Spotify",
                retry_after=wait,
                status=status,
                reason=reason,
            )
        self._gate.record_success()
        raise error_from_response(status, content)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> None:
        """Send a command whose response body is irrelevant."""
        await self._request(method, self._url(path), params=params, json=json)

    async def _get_json(
        self, path_or_url: str | URL, params: Mapping[str, str] | None = None
    ) -> object:
        """GET and decode JSON; an empty or non-JSON body is malformed."""
        url = self._url(path_or_url) if isinstance(path_or_url, str) else path_or_url
        _status, content = await self._request(hdrs.METH_GET, url, params=params)
        return self._decode(content)

    @staticmethod
    def _decode(content: bytes) -> object:
        if not content:
            raise SpotifyMalformedResponseError("Empty response from Spotify")
        try:
            data: object = orjson.loads(content)
        except orjson.JSONDecodeError as err:
            raise SpotifyMalformedResponseError("Spotify response is not JSON") from err
        return data

    async def _get[M: SpotifyModel](
        self, model: type[M], path: str, params: Mapping[str, str] | None = None
    ) -> M:
        return _parse(model, await self._get_json(path, params))

    # Paging

    async def collect[M: SpotifyModel](
        self,
        first_page: Page[M] | CursorPage[M],
        item_type: type[M],
        *,
        max_items: int,
    ) -> list[M]:
        """Return up to `max_items` items, following `next` links from `first_page`."""
        items: list[M] = list(first_page.items[:max_items])
        next_url = first_page.next
        seen: set[str] = set()
        while next_url and len(items) < max_items and next_url not in seen:
            seen.add(next_url)
            page = _unwrap_page(await self._get_json(self._resolve_next(next_url)))
            raw_items = page.get("items")
            raw_next = page.get("next")
            if not isinstance(raw_items, list) or not isinstance(raw_next, str | None):
                raise SpotifyMalformedResponseError("Unexpected page in response")
            if not raw_items:
                break
            items.extend(_parse(item_type, raw) for raw in raw_items if raw is not None)
            next_url = raw_next
        return items[:max_items]
