"""Benchmarks: `python -m benchmarks` runs them all; each module runs alone with `-m`."""
