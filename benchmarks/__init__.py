"""Benchmarks: they print figures and check correctness, never time limits."""
