"""Fault injection: the next N requests matching method and path prefix misbehave."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class FaultKind(StrEnum):
    """What an injected fault does."""

    STATUS = "status"
    """Answer with `status`, `body` (JSON or text) and `headers`."""
    DELAY = "delay"
    """Sleep `delay` seconds, then answer normally (a hanging request)."""
    MALFORMED = "malformed"
    """Answer 200 with a body that claims to be JSON but is not."""
    EMPTY = "empty"
    """Answer 200 with an empty body (only a 204 means "no content")."""
    RESET = "reset"
    """Drop the TCP connection without writing a response."""
    EXPIRED_TOKEN = "expired_token"  # noqa: S105 - a fault name
    """Answer 401 "The access token expired" whatever token was sent."""
    REVOKED_REFRESH_TOKEN = "revoked_refresh_token"  # noqa: S105 - a fault name
    """Answer the token endpoint with invalid_grant "Refresh token revoked"."""


@dataclass(kw_only=True, slots=True)
class Fault:
    """One armed fault."""

    kind: FaultKind
    path_prefix: str = "/"
    method: str | None = None
    """HTTP method to match (case-insensitive); None matches any."""
    count: int = 1
    """How many matching requests it still affects."""
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        """Return whether a request is affected."""
        if self.count <= 0:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return path.startswith(self.path_prefix)

    def as_json(self) -> dict[str, Any]:
        """Return a JSON-friendly description."""
        data = asdict(self)
        data["kind"] = str(self.kind)
        return data


class FaultInjector:
    """The list of armed faults; the first match wins and is used up."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._faults: list[Fault] = []
        self.hanging = 0
        """Requests sleeping in a DELAY fault right now."""

    def add(
        self,
        kind: FaultKind | str,
        *,
        path_prefix: str = "/",
        method: str | None = None,
        count: int = 1,
        status: int = 500,
        body: Any = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> Fault:
        """Arm a fault for the next `count` matching requests."""
        if count < 1:
            msg = "count must be at least 1"
            raise ValueError(msg)
        fault = Fault(
            kind=FaultKind(kind),
            path_prefix=path_prefix,
            method=method,
            count=count,
            status=status,
            body=body,
            headers=dict(headers or {}),
            delay=delay,
        )
        self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """Return (and use up one shot of) the first fault matching a request."""
        for fault in self._faults:
            if fault.matches(method, path):
                fault.count -= 1
                if fault.count == 0:
                    self._faults.remove(fault)
                return fault
        return None

    @property
    def pending(self) -> list[Fault]:
        """Return the faults still armed."""
        return list(self._faults)

    def clear(self) -> None:
        """Disarm everything."""
        self._faults.clear()
