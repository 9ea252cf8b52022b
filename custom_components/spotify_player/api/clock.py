"""The clock of the rate-limit gate and the request counter."""

from __future__ import annotations

import time


def monotonic() -> float:
    """Return time.monotonic(), looked up per call so a clock patched later applies."""
    return time.monotonic()
