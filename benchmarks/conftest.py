"""Benchmarks share the test suite's fixtures; the figures come out after the run.

Each benchmark records its figures with `report.report`. Once every benchmark has
run, the figures are printed as one table per area (after all of Home Assistant's
log output, which pytest keeps captured) and written to one JSON file per run.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
import logging
import os
from pathlib import Path
import platform
import random
import subprocess
import time
from typing import TYPE_CHECKING

import pytest

from tests.conftest import *  # noqa: F403

from .report import RESULTS, tables

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter

RESULTS_DIR = Path(__file__).parent / "results"
_STARTED: list[float] = []


def pytest_sessionstart() -> None:
    """Note when the run started (wall clock; the freezer stops time.monotonic)."""
    _STARTED.append(time.clock_gettime(time.CLOCK_MONOTONIC))


@pytest.fixture(autouse=True)
def _quiet_asyncio() -> None:
    """Silence asyncio: the frozen clock makes every step look slow to it."""
    logging.getLogger("asyncio").setLevel(logging.ERROR)


@pytest.fixture(autouse=True)
def _fixed_refresh_offset() -> None:
    """Fix the fraction of a second Home Assistant adds to coordinator refreshes.

    DataUpdateCoordinator draws it at random (0.05-0.5 s) to spread refreshes out.
    On the benchmarks' quarter-second steps it decided whether polls landed a step
    early, so runs of the same code gave different figures; seeded, they repeat.
    """
    random.seed(0)


def _commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except OSError, subprocess.CalledProcessError:
        return None


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Print the tables and write the run's JSON file."""
    if not RESULTS:
        return
    measured = datetime.now(UTC)
    wall = time.clock_gettime(time.CLOCK_MONOTONIC) - _STARTED[0] if _STARTED else None
    for line in tables():
        terminalreporter.write_line(line)
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{measured:%Y-%m-%dT%H%M%SZ}.json"
    document = {
        "measured": measured.isoformat(timespec="seconds"),
        "commit": _commit(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "wall_time_s": None if wall is None else round(wall, 1),
        "areas": RESULTS,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    terminalreporter.write_line("")
    terminalreporter.write_line(f"figures written to {path}")
    if wall is not None:
        terminalreporter.write_line(f"benchmarks took {wall:.0f} s")
