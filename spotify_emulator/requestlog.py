"""A log of every request the emulator answered, so tests can count calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(frozen=True, kw_only=True, slots=True)
class RequestLogEntry:
    """One answered request (status 0 means the connection was dropped)."""

    time: float
    method: str
    path: str
    status: int
    query: str = ""
    fault: str | None = None
    """The kind of injected fault that answered it, if one did."""
    retry_after: str | None = None
    """The Retry-After header of the answer (a 429's wait)."""

    def as_json(self) -> dict[str, Any]:
        """Return a JSON-friendly description."""
        return {
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "fault": self.fault,
            "retry_after": self.retry_after,
        }


class RequestLog:
    """A list-like log of requests with a few counting helpers."""

    def __init__(self) -> None:
        """Start empty."""
        self._entries: list[RequestLogEntry] = []

    def append(self, entry: RequestLogEntry) -> None:
        """Record one request."""
        self._entries.append(entry)

    def __iter__(self) -> Iterator[RequestLogEntry]:
        """Iterate over a copy so requests arriving meanwhile do not interfere."""
        return iter(list(self._entries))

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self._entries)

    def __getitem__(self, index: int) -> RequestLogEntry:
        """Return one entry."""
        return self._entries[index]

    @property
    def entries(self) -> list[RequestLogEntry]:
        """Return a copy of all entries."""
        return list(self._entries)

    def count(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        path_prefix: str | None = None,
    ) -> int:
        """Count entries matching a method and an exact path or a path prefix."""
        return sum(
            1
            for e in self._entries
            if (method is None or e.method == method.upper())
            and (path is None or e.path == path)
            and (path_prefix is None or e.path.startswith(path_prefix))
        )

    def clear(self) -> list[RequestLogEntry]:
        """Empty the log and return what it held."""
        entries, self._entries = self._entries, []
        return entries
