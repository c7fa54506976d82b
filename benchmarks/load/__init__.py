"""Civic's benchmarks (make bench; docs/benchmarks.md)."""
