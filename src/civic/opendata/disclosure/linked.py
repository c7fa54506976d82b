"""Disclosure across tables of the same population: a withheld count that no margin of its own
table gives away may still be solved for with another published table.

Households by size and residents by neighbourhood are such a pair: in a neighbourhood whose
households of six or more number 0 (a published zero), its residents are exactly 1 × the
one-person households + 2 × the two-person ones + … + 5 × the five-person ones. With the
residents' total published, that is one more equation over the households' withheld counts,
and with the row's own total two withheld counts become two equations in two unknowns.

Every table's lines (cells summing to their margins) and every such link are equations over
the withheld counts of all the tables; a withheld count is determined exactly when every
solution of the equations gives it the same value, i.e. when the null space of the equations
is zero in its coordinate. Counts being whole and never negative may pin more: those are found
with a mixed-integer programme (``linked_pinned``) and protected the same way. No framework
imports but NumPy and SciPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civic.opendata.disclosure.checks import DisclosureRefused
from civic.opendata.disclosure.suppression import THRESHOLD, suppress
from civic.opendata.disclosure.tables import CountTable

#: A cell of one of the tables (with margins): (table name, i, j).
TableCell = tuple[str, int, int]


@dataclass(frozen=True)
class Link:
    """One exact equation across tables: the sum of coefficient × count over ``terms`` is 0."""

    terms: tuple[tuple[TableCell, float], ...]


def _table_lines(name: str, table: CountTable) -> list[list[tuple[TableCell, float]]]:
    """Each row and column of ``table``: its cells minus its margin make 0."""
    rows, columns = table.shape
    lines = []
    for i in range(rows):
        lines.append([((name, i, j), -1.0 if j == columns - 1 else 1.0) for j in range(columns)])
    for j in range(columns):
        lines.append([((name, i, j), -1.0 if i == rows - 1 else 1.0) for i in range(rows)])
    return lines


def linked_recoverable(tables: dict[str, CountTable], links: list[Link]) -> list[TableCell]:
    """The withheld cells of ``tables`` that their published counts and ``links`` determine."""
    unknown = sorted((name, i, j) for name, table in tables.items() for i, j in table.suppressed)
    if not unknown:
        return []
    index = {cell: k for k, cell in enumerate(unknown)}
    lines = [line for name, table in tables.items() for line in _table_lines(name, table)]
    lines += [list(link.terms) for link in links]
    equations = []
    for line in lines:  # published counts are constants: only the withheld ones are unknowns
        row = np.zeros(len(unknown))
        for cell, coefficient in line:
            if cell in index:
                row[index[cell]] += coefficient
        if row.any():
            equations.append(row)
    if not equations:
        return []
    matrix = np.array(equations)
    _u, singular, vt = np.linalg.svd(matrix)
    tolerance = max(matrix.shape) * np.finfo(float).eps * (singular[0] if len(singular) else 0)
    rank = int((singular > tolerance).sum())
    null = vt[rank:]  # rows spanning the solutions' freedom
    return [cell for cell, k in index.items() if not np.any(np.abs(null[:, k]) > 1e-9)]


def linked_pinned(tables: dict[str, CountTable], links: list[Link]) -> list[TableCell]:
    """The withheld cells with one possible value once counts are whole and never negative:
    for each, the least and the most it can be over whole tables that publish the same
    (a mixed-integer programme, SciPy's HiGHS; the links' coefficients are not those of a
    network, so the linear relaxation would not do)."""
    # Imported here, as in intervals.py: at the top, SciPy cost every civic process's start.
    from scipy.optimize import Bounds, LinearConstraint, milp

    unknown = sorted((name, i, j) for name, table in tables.items() for i, j in table.suppressed)
    if not unknown:
        return []
    index = {cell: k for k, cell in enumerate(unknown)}
    lines = [line for name, table in tables.items() for line in _table_lines(name, table)]
    lines += [list(link.terms) for link in links]
    rows, constants = [], []
    for line in lines:
        row, constant = np.zeros(len(unknown)), 0.0
        for cell, coefficient in line:
            if cell in index:
                row[index[cell]] += coefficient
            else:
                constant -= coefficient * tables[cell[0]].value(cell[1], cell[2])
        if row.any():
            rows.append(row)
            constants.append(constant)
    if not rows:
        return []
    equations = LinearConstraint(np.array(rows), constants, constants)
    whole = np.ones(len(unknown))
    # Without the links the tables' equations are a network's, whose bounds are whole
    # already (suppress audits those): whole numbers can only pin more through a link, so
    # the counts a link names are the ones to ask about.
    linked_cells = {cell for link in links for cell, _c in link.terms if cell in index}
    out = []
    for cell in sorted(linked_cells):
        k = index[cell]
        found = []
        for sense in (1.0, -1.0):
            objective = np.zeros(len(unknown))
            objective[k] = sense
            answer = milp(objective, constraints=equations, integrality=whole, bounds=Bounds(0))
            found.append(None if answer.status != 0 else round(sense * answer.fun))
        if found[0] is not None and found[0] == found[1]:
            out.append(cell)
    return out


def household_links(
    residents: CountTable, households: CountTable, *, sizes: list[int], open_size: str
) -> list[Link]:
    """The exact links between a residents table (rows: areas, its row margins: the areas'
    residents) and a households-by-size table (rows: the same areas; columns: ``sizes`` then
    the open class ``open_size``): one for each area (and the total) whose open class is a
    published zero."""
    h_rows, _h_columns = households.shape
    r_rows, r_columns = residents.shape
    open_column = households.columns.index(open_size)
    where = {label: i for i, label in enumerate(residents.rows)}
    links = []
    for i in range(h_rows):
        area = households.rows[i] if i < len(households.rows) else None
        r = where.get(area) if area is not None else r_rows - 1
        if r is None or (i, open_column) in households.suppressed:
            continue
        if households.value(i, open_column) != 0:
            continue
        terms = [(("residents", r, r_columns - 1), 1.0)]
        terms += [
            (("households", i, j), -float(size))
            for j, size in enumerate(sizes)
            if households.columns[j] == str(size)
        ]
        links.append(Link(tuple(terms)))
    return links


def households_protect(
    residents: CountTable,
    households: CountTable,
    *,
    sizes: list[int],
    open_size: str,
    threshold: int = THRESHOLD,
) -> None:
    """Withhold more of ``households`` (both tables already suppressed on their own) until no
    withheld count of either can be solved for across the two: when the links give something
    away, every area whose link bears on a withheld count has its open class withheld too,
    which breaks the link (its residents in households of six or more are then unknown), and
    the table's own suppression closes what that opens. Raises DisclosureRefused when nothing more can be withheld."""
    tables = {"residents": residents, "households": households}
    open_column = households.columns.index(open_size)
    while True:
        links = household_links(residents, households, sizes=sizes, open_size=open_size)
        solved = set(linked_recoverable(tables, links)) or set(linked_pinned(tables, links))
        if not solved:
            return
        # A link may give a count away through others (it pins one row, whose cells then pin
        # a column): every link that bears on a withheld count is broken, not only the links
        # that name the counts found.
        withheld = {("households", *cell) for cell in households.suppressed}
        withheld |= {("residents", *cell) for cell in residents.suppressed}
        breaking = {
            (cell[1], open_column)
            for link in links
            if any(cell in withheld for cell, _c in link.terms)
            for cell, _c in link.terms
            if cell[0] == "households"
        }
        if not breaking:
            name, i, j = sorted(solved)[0]
            row, column = tables[name].label(i, j)
            raise DisclosureRefused(
                f"the withheld count of {row} × {column} ({name}) can be solved for across tables"
            )
        suppress(households, threshold=threshold, withheld=households.suppressed | breaking)
