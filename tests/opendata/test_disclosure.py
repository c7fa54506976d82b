"""Disclosure control, proved on generated tables: no published count under 10 (except 0), and
no withheld count can be solved for from the published margins, by linear algebra of our own
rather than the suppression's graph."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.opendata.disclosure import (
    CountTable,
    DisclosureRefused,
    disclosure_check,
    suppress,
)
from civic.opendata.disclosure.suppression import recoverable
from tests.opendata.builders import determined

# Small counts often, as in a neighbourhood's table: most cells near the threshold.
COUNTS = st.one_of(st.integers(0, 12), st.integers(0, 200))


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 7))
    columns = draw(st.integers(1, 7))
    counts = [[draw(COUNTS) for _ in range(columns)] for _ in range(rows)]
    return CountTable(
        rows=[f"r{i}" for i in range(rows)],
        columns=[f"c{j}" for j in range(columns)],
        counts=counts,
    )


def solvable_cells(table: CountTable) -> list[tuple[int, int]]:
    """The withheld cells an attacker determines exactly from what is published: each line of
    the table with its margins is an equation (cells sum to the line's total); a withheld cell is
    determined when its unit vector lies in the row space of the equations over the unknowns."""
    unknown = sorted(table.suppressed)
    if not unknown:
        return []
    index = {cell: k for k, cell in enumerate(unknown)}
    rows, columns = table.shape
    equations = []
    for i in range(rows):  # row i: cells 0..C-1 minus the margin at C equal zero
        line = np.zeros(len(unknown))
        for j in range(columns):
            if (i, j) in index:
                line[index[(i, j)]] = -1.0 if j == columns - 1 else 1.0
        equations.append(line)
    for j in range(columns):
        line = np.zeros(len(unknown))
        for i in range(rows):
            if (i, j) in index:
                line[index[(i, j)]] = -1.0 if i == rows - 1 else 1.0
        equations.append(line)
    return sorted(determined(np.array(equations), unknown))


@settings(max_examples=150, deadline=None)
@given(tables())
def test_no_published_count_is_under_ten_except_zero(table):
    suppress(table)
    published = [value for _row, _column, value in table.published() if value is not None]
    assert all(value == 0 or value >= 10 for value in published)


@settings(max_examples=150, deadline=None)
@given(tables())
def test_no_withheld_count_can_be_solved_for_from_the_margins(table):
    suppress(table)
    assert solvable_cells(table) == []
    # Nor from a line with exactly one withheld cell (the simplest attack), said plainly.
    rows, columns = table.shape
    for i in range(rows):
        assert sum((i, j) in table.suppressed for j in range(columns)) != 1
    for j in range(columns):
        assert sum((i, j) in table.suppressed for i in range(rows)) != 1
    disclosure_check(table)


@settings(max_examples=100, deadline=None)
@given(tables())
def test_the_published_margins_are_those_of_the_table(table):
    suppress(table)
    rows, columns = len(table.rows), len(table.columns)
    for i in range(rows):
        assert table.value(i, columns) == sum(table.counts[i])
    assert table.value(rows, columns) == sum(map(sum, table.counts))


def test_a_lone_small_count_takes_three_others_with_it():
    table = CountTable(rows=["a", "b"], columns=["x", "y"], counts=[[4, 30], [25, 40]])
    suppress(table)
    assert (0, 0) in table.suppressed
    assert len(table.suppressed) >= 4
    assert solvable_cells(table) == []


def test_a_table_with_a_recoverable_cell_is_refused():
    table = CountTable(rows=["a", "b"], columns=["x", "y"], counts=[[4, 30], [25, 40]])
    table.suppressed = {(0, 0)}
    with pytest.raises(DisclosureRefused, match="solved for"):
        disclosure_check(table)


def test_a_table_publishing_a_small_count_is_refused():
    table = CountTable(rows=["a"], columns=["x"], counts=[[3]])
    with pytest.raises(DisclosureRefused, match="under 10"):
        disclosure_check(table)


def _bridge(cells: set[tuple[int, int]], cut: tuple[int, int]) -> bool:
    """Plainly: ``cut`` is a bridge when its row no longer reaches its column without it."""
    rest, seen, todo = cells - {cut}, {("r", cut[0])}, [("r", cut[0])]
    while todo:
        kind, index = todo.pop()
        for i, j in rest:
            if (kind == "r" and i == index) or (kind == "c" and j == index):
                for other in (("r", i), ("c", j)):
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
    return ("c", cut[1]) not in seen


@settings(max_examples=300, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=40))
def test_the_recoverable_cells_are_the_bridges_of_the_withheld_cells_graph(cells):
    # The one-pass search must find what a search per cell finds (it replaced one).
    assert recoverable(cells) == sorted(c for c in cells if _bridge(cells, c))
