"""Collect benchmark figures, print one table per area, write one JSON file per run.

Benchmarks call `report(area, row, **figures)`; conftest.py prints the tables after
the run (never between Home Assistant's log lines) and writes RESULTS as JSON.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

type Figure = int | float | str | bool | None

# area -> row -> figure -> value, in the order they were reported.
RESULTS: dict[str, dict[str, dict[str, Figure]]] = {}


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the value below which `fraction` of the sorted values fall."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return ordered[index]


def latency_ms(seconds: Sequence[float]) -> dict[str, float]:
    """Mean, p50, p95 and max of latencies, in milliseconds (2 decimals)."""
    ms = [value * 1000 for value in seconds]
    return {
        "mean_ms": round(statistics.fmean(ms), 2),
        "p50_ms": round(percentile(ms, 0.5), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "max_ms": round(max(ms), 2),
    }


def report(area: str, row: str, **figures: Figure) -> None:
    """Record one row of figures of an area."""
    RESULTS.setdefault(area, {}).setdefault(row, {}).update(figures)


def _cell(value: Figure) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return "-" if value is None else str(value)


def tables() -> list[str]:
    """Render RESULTS: one table per area, a row per reported row."""
    lines: list[str] = []
    for area, rows in RESULTS.items():
        columns = list(
            dict.fromkeys(key for figures in rows.values() for key in figures)
        )
        header = ["", *(column.replace("_", " ") for column in columns)]
        body = [
            [row, *(_cell(figures.get(column)) for column in columns)]
            for row, figures in rows.items()
        ]
        if len(columns) > 6:  # too wide: one figure per line instead
            header = ["figure", *rows]
            body = [
                [
                    column.replace("_", " "),
                    *(_cell(f.get(column)) for f in rows.values()),
                ]
                for column in columns
            ]
        widths = [
            max(len(line[i]) for line in [header, *body]) for i in range(len(header))
        ]
        lines += ["", f"== {area} =="]
        for index, line in enumerate([header, *body]):
            lines.append(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(line, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
    return lines
