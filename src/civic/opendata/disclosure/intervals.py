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
    # scipy is imported where it is used, here and below: at the top it cost every civic
    # process 0.4 s of its start, as Django's URL check imports every view and so this module.
    from scipy.sparse import csr_matrix

    out: dict[Cell, tuple[int, int]] = {}
    for group in _groups(withheld):
        a, b = _equations(table, group, withheld)
        # Sparse once per group: HiGHS takes a sparse matrix, and a dense one is converted on
        # every call (twice per withheld count), which dominated a large table's audit.
        a = csr_matrix(a)
        for k, cell in enumerate(group):
            out[cell] = _range(a, b, k, len(group))
    return out


#: Random directions asked for a witness table before any count is asked about on its own.
WITNESSES = 4
#: Two values of a count in feasible tables this far apart are two values (not rounding).
APART = 1e-6


def pinned(table: CountTable, withheld: set[Cell]) -> list[Cell]:
    """The withheld counts that have only one possible value, in order.

    The same answer as asking ``ranges`` about every count, far quicker on a large table. One
    programme finds the counts that can be more than 0 at all (the others are pinned at 0), and
    a table that fits what is published with each of them above 0; a few programmes in random
    directions give other such tables. A count that differs between two of them has more than
    one possible value (by the network argument above, whole tables reach its least and most).
    Only the counts that never differed are asked about on their own, least and most."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    out: list[Cell] = []
    rng = np.random.default_rng(0)
    for group in _groups(withheld):
        a, b = _equations(table, group, withheld)
        a = csr_matrix(a)
        size = len(group)
        spread, can_be_positive = _positive(a, b, size)
        low, high = spread.copy(), spread.copy()
        for _ in range(WITNESSES):
            found = linprog(rng.standard_normal(size), A_eq=a, b_eq=b, bounds=(0, None),
                            method="highs")  # fmt: skip
            if found.status == 0:
                low, high = np.minimum(low, found.x), np.maximum(high, found.x)
        for k, cell in enumerate(group):
            if not can_be_positive[k]:
                out.append(cell)  # 0 in every table that fits
            elif high[k] - low[k] <= APART:
                least, most = _range(a, b, k, size)
                if least == most:
                    out.append(cell)
    return sorted(out)


def _positive(a, b, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A table fitting what is published in which every count that can be above 0 is, and which
    counts can: maximise the sum of t, with t at most each count and at most 1/(n+1) (the mean
    of n whole tables, each with one of the counts at 1 or more, puts every such count there)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, hstack, identity

    delta = 1.0 / (size + 1)
    equations = hstack([a, csr_matrix((a.shape[0], size))], format="csr")
    below = hstack([-identity(size, format="csr"), identity(size, format="csr")], format="csr")
    objective = np.concatenate([np.zeros(size), -np.ones(size)])
    found = linprog(objective, A_ub=below, b_ub=np.zeros(size), A_eq=equations, b_eq=b,
                    bounds=[(0, None)] * size + [(0, delta)] * size, method="highs")  # fmt: skip
    if found.status != 0:
        raise ValueError(f"the published table has no solution: {found.message}")
    return found.x[:size], found.x[size:] > delta / 2


def _range(a, b, k: int, size: int) -> tuple[float, float]:
    from scipy.optimize import linprog

    bounds = []
    for sense in (1.0, -1.0):
        objective = np.zeros(size)
        objective[k] = sense
        found = linprog(objective, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        if found.status == 3:  # unbounded above: no margin limits it
            bounds.append(float("inf"))
        elif found.status != 0:
            raise ValueError(f"the published table has no solution: {found.message}")
        else:
            bounds.append(sense * found.fun)
    return round(bounds[0]), bounds[1] if bounds[1] == float("inf") else round(bounds[1])
