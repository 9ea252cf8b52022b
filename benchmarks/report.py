"""Print benchmark figures in one readable format."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the value below which `fraction` of the sorted values fall."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def latency_summary(seconds: Sequence[float]) -> str:
    """Describe latencies in milliseconds: mean, p50, p95 and max."""
    ms = [value * 1000 for value in seconds]
    return (
        f"mean {statistics.fmean(ms):.2f} ms, p50 {percentile(ms, 0.5):.2f} ms, "
        f"p95 {percentile(ms, 0.95):.2f} ms, max {max(ms):.2f} ms"
    )


def report(name: str, **figures: object) -> None:
    """Print one benchmark's figures on one line each."""
    print(f"\n[{name}]")
    for key, value in figures.items():
        print(f"  {key.replace('_', ' ')}: {value}")
