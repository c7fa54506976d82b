"""Interval disclosure: a withheld count that no linear equation of the margins determines can
still be pinned by what every count is, a whole number and never negative. Two withheld zeros
on a line whose total is published as 0 are both 0, and with them the rest of their cycle may
follow. The auditor, like an attacker, asks for each withheld count the least and the most it
can be: a linear programme over the withheld counts, each line of the table with its margins
an equation, every count at least 0 (SciPy's HiGHS). The margins' equations are those of a
network (totally unimodular), so the programme's bounds are whole numbers reached by whole
tables: a count whose least and most are equal is disclosed.

Each connected group of withheld counts (joined through the lines they share) is a programme
of its own: a line's withheld counts all belong to one group, and the rest of it is published.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from civic.opendata.disclosure.tables import CountTable

Cell = tuple[int, int]


def _groups(cells: set[Cell]) -> list[list[Cell]]:
    """The withheld counts, in groups joined through shared rows and columns."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in cells:
        parent[find(("r", i))] = find(("c", j))
    groups: dict[tuple[str, int], list[Cell]] = {}
    for cell in sorted(cells):
        groups.setdefault(find(("r", cell[0])), []).append(cell)
    return list(groups.values())


def _equations(table: CountTable, group: list[Cell], withheld: set[Cell]):
    """A x = b over the group's counts: each of its lines, cells minus the line's total."""
    index = {cell: k for k, cell in enumerate(group)}
    rows, columns = table.shape
    lines = {("r", i) for i, _j in group} | {("c", j) for _i, j in group}
    a, b = [], []
    for kind, n in sorted(lines):
        members = [(n, j) for j in range(columns)] if kind == "r" else [(i, n) for i in range(rows)]
        total_at = members[-1]  # the line's margin is its last cell
        row, constant = np.zeros(len(group)), 0.0
        for cell in members:
            sign = -1.0 if cell == total_at else 1.0
            if cell in index:
                row[index[cell]] += sign
            elif cell not in withheld:
                constant -= sign * table.value(*cell)
        a.append(row)
        b.append(constant)
    return np.array(a), np.array(b)


def ranges(table: CountTable, withheld: set[Cell]) -> dict[Cell, tuple[int, int]]:
    """The least and the most each withheld count can be, given what is published."""
    out: dict[Cell, tuple[int, int]] = {}
    for group in _groups(withheld):
        a, b = _equations(table, group, withheld)
        for k, cell in enumerate(group):
            bounds = []
            for sense in (1.0, -1.0):
                objective = np.zeros(len(group))
                objective[k] = sense
                found = linprog(objective, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
                if found.status == 3:  # unbounded above: no margin limits it
                    bounds.append(float("inf"))
                elif found.status != 0:
                    raise ValueError(f"the published table has no solution: {found.message}")
                else:
                    bounds.append(sense * found.fun)
            out[cell] = (
                round(bounds[0]),
                bounds[1] if bounds[1] == float("inf") else round(bounds[1]),
            )
    return out


def pinned(table: CountTable, withheld: set[Cell]) -> list[Cell]:
    """The withheld counts that have only one possible value, in order."""
    return sorted(cell for cell, (low, high) in ranges(table, withheld).items() if low == high)
