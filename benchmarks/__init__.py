"""Benchmarks against the anchors (`make bench`); not part of the test suite."""
