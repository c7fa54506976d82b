"""Retention and field encryption (issue 16): a retention run over a large jurisdiction, and
what field encryption costs the exchange's query rate (docs/benchmarks.md, "Privacy store")."""
