"""A table of counts with its margins, as statistics offices publish it: the cells, each row's
total, each column's total and the grand total, every one of them a published cell.

No framework imports: the suppression rules are proved on these tables alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The label of a margin (a row's or column's total).
TOTAL = "total"


@dataclass
class CountTable:
    """``counts[i][j]`` is the count of row ``rows[i]`` and column ``columns[j]``. The margins
    are computed from the cells, so the published totals always agree with the table."""

    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    #: Cells withheld: (i, j) positions in the table WITH its margins, where row ``len(rows)``
    #: is the column totals and column ``len(columns)`` the row totals.
    suppressed: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.rows) or any(
            len(line) != len(self.columns) for line in self.counts
        ):
            raise ValueError("the counts do not match the rows and columns")
        if any(value < 0 for line in self.counts for value in line):
            raise ValueError("a count is negative")

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns of the table with its margins."""
        return len(self.rows) + 1, len(self.columns) + 1

    def value(self, i: int, j: int) -> int:
        """The count at (i, j) of the table with its margins."""
        rows, columns = len(self.rows), len(self.columns)
        if i < rows and j < columns:
            return self.counts[i][j]
        if i < rows:
            return sum(self.counts[i])
        if j < columns:
            return sum(line[j] for line in self.counts)
        return sum(sum(line) for line in self.counts)

    def cells(self) -> list[tuple[int, int]]:
        rows, columns = self.shape
        return [(i, j) for i in range(rows) for j in range(columns)]

    def label(self, i: int, j: int) -> tuple[str, str]:
        row = self.rows[i] if i < len(self.rows) else TOTAL
        column = self.columns[j] if j < len(self.columns) else TOTAL
        return row, column

    def published(self) -> list[tuple[str, str, int | None]]:
        """Every cell and margin as (row, column, count), None where suppressed."""
        return [
            (*self.label(i, j), None if (i, j) in self.suppressed else self.value(i, j))
            for i, j in self.cells()
        ]
