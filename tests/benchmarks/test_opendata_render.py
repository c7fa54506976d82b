"""The open-data benchmark's page: ``--only`` re-measures one database, so each row must say
its own size and date, and a row of an older run (without its own) the section's."""

from __future__ import annotations

from benchmarks.opendata.section import render


def _row(**about: object) -> dict:
    return {
        **about,
        "regenerate": {"seconds": [2.0], "peak_mib": 3.0, "outcome": {}},
        "search": {"p50_ms": 30, "p95_ms": 400, "by_kind_p95_ms": {"deep": 600}},
        "datasets": 10_004,
    }


def test_each_row_says_its_own_residents_and_date_and_an_old_row_the_sections():
    results = {
        "machine": "old machine",
        "date": "2026-12-05 00:07 UTC",
        "residents": 20_000,  # an older run's, for the whole section
        "sqlite": _row(),
        "postgres": _row(residents=1_000_000, machine="new machine", date="2026-12-05 19:00 UTC"),
    }
    page = render(results)

    assert "| SQLite | 20,000 |" in page
    assert "| PostgreSQL | 1,000,000 |" in page
    assert "SQLite: old machine, 2026-12-05 00:07 UTC, a 20,000-resident demo." in page
    assert "PostgreSQL: new machine, 2026-12-05 19:00 UTC, a 1,000,000-resident demo." in page
