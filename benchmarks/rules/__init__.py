"""Rules benchmarks (issue 14): monthly periods, what-if reform runs."""
