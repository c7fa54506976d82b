"""What a dataset defined in code is: its metadata in the standards' terms (CKAN, DCAT-AP, the
EU vocabularies) and a ``build`` that makes its table. A table of counts goes through
disclosure control before it is returned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from civic.exchange.selectors import Actor
from civic.opendata.disclosure import TOTAL, CountTable, disclosure_check, suppress

#: The job that reads the registers' counts for the catalogue, of the statistics purpose's
#: controller.
JOB = "open-data"


@dataclass(frozen=True)
class Column:
    """A column of a published table: a Table Schema field."""

    name: str
    type: str  # Table Schema type: string, integer, number, date
    title: str
    description: str = ""


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Any]]
    release: str = ""  # the exchange's release id, for counts read through it
    withheld: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "fields": [
                {"name": c.name, "type": c.type, "title": c.title, "description": c.description}
                for c in self.columns
            ],
            "rows": self.rows,
        }


@dataclass(frozen=True)
class Context:
    """What a build needs: who reads, under which purpose, on which day, and the threshold."""

    actor: Actor
    purpose: str
    on: dt.date
    threshold: int


@dataclass(frozen=True)
class Definition:
    name: str  # CKAN's name: lower case, digits, -, _
    title: dict[str, str]
    notes: dict[str, str]
    theme: str  # EU data theme (data-theme authority table)
    frequency: str  # EU frequency authority table
    build: Callable[[Context], Table]
    tags: tuple[str, ...] = ()
    licence: str = "CC_BY_4_0"
    hvd_category: str = ""  # EU High-Value Datasets category, where the dataset is one
    extra: dict[str, Any] = field(default_factory=dict)


def protected_table(
    *,
    row_labels: list[str],
    column_labels: list[tuple[str, ...]],
    counts: dict[tuple, int],
    threshold: int,
) -> CountTable:
    """A two-way table of counts (rows × columns, a column possibly a combination of
    dimensions, joined by ``|``), suppressed and checked on its own."""
    table = CountTable(
        rows=list(row_labels),
        columns=["|".join(c) for c in column_labels],
        counts=[[counts.get((r, *c), 0) for c in column_labels] for r in row_labels],
    )
    suppress(table, threshold=threshold)
    disclosure_check(table, threshold=threshold)  # raises DisclosureRefused: not published
    return table


def published_rows(table: CountTable, *, width: int) -> tuple[list[list[Any]], int]:
    """The table as long rows with its margins, ``[row, *column, count]``: ``"total"`` in the
    dimensions of a margin and None for a withheld count; and how many are withheld."""
    rows = []
    for row, column, value in table.published():
        parts = [TOTAL] * width if column == TOTAL else column.split("|")
        rows.append([row, *parts, value])
    return rows, len(table.suppressed)


def protected_rows(
    *,
    row_labels: list[str],
    column_labels: list[tuple[str, ...]],
    counts: dict[tuple, int],
    threshold: int,
) -> tuple[list[list[Any]], int]:
    """``protected_table`` as ``published_rows``."""
    table = protected_table(
        row_labels=row_labels, column_labels=column_labels, counts=counts, threshold=threshold
    )
    return published_rows(table, width=len(column_labels[0]) if column_labels else 1)
