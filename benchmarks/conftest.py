"""Benchmarks share the test suite's emulator and config-entry fixtures."""

from tests.conftest import *  # noqa: F403
