"""The privacy benchmark: a resident's complete access export (docs/benchmarks.md)."""
