"""The check a table of counts must pass before it is published, independent of how it was
suppressed: a dataset that fails it keeps its last good version online (services)."""

from __future__ import annotations

from civic.opendata.disclosure.intervals import pinned
from civic.opendata.disclosure.suppression import THRESHOLD, recoverable
from civic.opendata.disclosure.tables import CountTable


class DisclosureRefused(Exception):
    """A table would disclose: a small count is published, or a withheld one can be solved for."""


def disclosure_check(table: CountTable, *, threshold: int = THRESHOLD) -> None:
    """Raise DisclosureRefused naming the first problem, or return."""
    for row, column, value in table.published():
        if value is not None and 0 < value < threshold:
            raise DisclosureRefused(
                f"the count of {row} × {column} ({value}) is under {threshold} and published"
            )
    solvable = recoverable(table.suppressed)
    if solvable:
        row, column = table.label(*solvable[0])
        raise DisclosureRefused(
            f"the withheld count of {row} × {column} can be solved for from the margins"
        )
    narrowed = pinned(table, table.suppressed)
    if narrowed:
        row, column = table.label(*narrowed[0])
        raise DisclosureRefused(
            f"the withheld count of {row} × {column} has one possible value (counts are whole "
            "and never negative)"
        )
