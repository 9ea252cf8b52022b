"""The order a context plays in: its items, shuffled or not, wrapping on repeat."""

from __future__ import annotations

from enum import StrEnum
import random


class RepeatState(StrEnum):
    """repeat_state values."""

    OFF = "off"
    TRACK = "track"
    CONTEXT = "context"


class PlayOrder:
    """The items of a context (or of a URI list) and the order they play in.

    `sequence` lists indexes into `items` in playing order and `position` is where in
    it playback stands (-1: before the first). Shuffled, the current item comes first
    and the rest follow in an order fixed by the context and the load.
    """

    def __init__(self) -> None:
        """Start empty."""
        self.items: list[str] = []
        self.sequence: list[int] = []
        self.position = -1
        self._loads = 0

    def load(
        self, items: list[str], offset: int, *, shuffle: bool, context_uri: str | None
    ) -> str:
        """Take new items, standing at `offset` (an index into them); return its URI."""
        self.items = list(items)
        self._loads += 1
        self._arrange(offset, shuffle=shuffle, context_uri=context_uri)
        return self.items[offset]

    def reshuffle(self, *, shuffle: bool, context_uri: str | None) -> None:
        """Arrange the items again (shuffled or not); the current one stays put."""
        current = (
            self.sequence[self.position]
            if 0 <= self.position < len(self.sequence)
            else None
        )
        self._arrange(current, shuffle=shuffle, context_uri=context_uri)

    def following(self, repeat: RepeatState, pos: int | None = None) -> int | None:
        """Return the position after `pos` (default: the current one), or None."""
        pos = self.position if pos is None else pos
        if not self.sequence:
            return None
        if pos + 1 < len(self.sequence):
            return pos + 1
        if repeat is RepeatState.CONTEXT:
            return 0
        return None

    def preceding(self, repeat: RepeatState, *, from_queue: bool) -> int | None:
        """Return the position to go back to; None at the start.

        After an item from the user queue that is the current position itself.
        """
        if not self.sequence:
            return None
        if from_queue:
            return self.position if self.position >= 0 else None
        if self.position > 0:
            return self.position - 1
        if repeat is RepeatState.CONTEXT:
            return len(self.sequence) - 1
        return None

    def upcoming(self, count: int, repeat: RepeatState) -> list[str]:
        """Return the URIs of up to `count` positions after the current one."""
        result: list[str] = []
        pos = self.position
        for _ in range(min(count, len(self.sequence))):
            nxt = self.following(repeat, pos)
            if nxt is None:
                break
            result.append(self.uri_at(nxt))
            pos = nxt
        return result

    def move_to(self, pos: int) -> str:
        """Stand at `pos`; return the URI there."""
        self.position = pos
        return self.uri_at(pos)

    def uri_at(self, pos: int) -> str:
        """Return the URI at a position."""
        return self.items[self.sequence[pos]]

    def _arrange(
        self, current: int | None, *, shuffle: bool, context_uri: str | None
    ) -> None:
        count = len(self.items)
        if shuffle and count:
            rest = [i for i in range(count) if i != current]
            seed = f"{context_uri}:{self._loads}"
            random.Random(seed).shuffle(rest)  # noqa: S311 - reproducible order
            self.sequence = ([current] if current is not None else []) + rest
            self.position = 0 if current is not None else -1
        else:
            self.sequence = list(range(count))
            self.position = current if current is not None else -1
