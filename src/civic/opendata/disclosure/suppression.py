"""Cell suppression: the threshold rule and the secondary suppression that keeps it.

Primary: every non-zero count (cell or margin) under the threshold is withheld. Secondary: the
published margins are linear equations over the cells, so a withheld cell alone on a line (a
row or a column, margins included) is simply the line's total minus the rest. More generally,
seen as a bipartite graph (the lines are the nodes, the withheld cells the edges, each cell
joining its row and its column), a withheld cell can be solved for exactly when it is a bridge
of that graph; a cell on a cycle is not, since adding and subtracting the same amount around
the cycle keeps every published total. So secondary suppression closes every bridge into a
cycle of four cells, withholding the smallest counts it can; and a count pinned by counts
being whole and never negative (intervals.py) gets one more count withheld beside it. No
framework imports but SciPy's solver.
"""

from __future__ import annotations

from civic.opendata.disclosure.intervals import pinned
from civic.opendata.disclosure.tables import CountTable

#: The threshold rule of statistics offices: no published count under 10, except 0.
THRESHOLD = 10

Cell = tuple[int, int]


def _graph(cells: set[Cell]) -> dict[tuple[str, int], list[Cell]]:
    """The withheld cells as edges between their row (``("r", i)``) and column (``("c", j)``)."""
    graph: dict[tuple[str, int], list[Cell]] = {}
    for i, j in cells:
        graph.setdefault(("r", i), []).append((i, j))
        graph.setdefault(("c", j), []).append((i, j))
    return graph


def recoverable(cells: set[Cell]) -> list[Cell]:
    """The withheld cells that the published margins determine (the bridges), in order.

    One depth-first pass over the graph (Tarjan's bridges): a cell is a bridge when nothing
    below it in the search reaches back above it. Testing each cell with a search of its own
    cost cells × graph per call, and the closing of bridges calls this once per bridge: at
    1,000,000 residents (thousands of cells) that was most of a regeneration's time."""
    graph = _graph(cells)
    order: dict[tuple[str, int], int] = {}  # when the search reached a node
    low: dict[tuple[str, int], int] = {}  # the earliest node reached from below it
    bridges = []
    for root in graph:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        # (node, the cell it was reached by, its next edge to try): no recursion limit to hit
        stack = [(root, None, iter(graph[root]))]
        while stack:
            node, via, edges = stack[-1]
            cell = next(edges, None)
            if cell is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.append(via)
                continue
            if cell == via:  # one cell joins a row and a column: no parallel edges to mind
                continue
            other = ("c", cell[1]) if node[0] == "r" else ("r", cell[0])
            if other in order:
                low[node] = min(low[node], order[other])
            else:
                order[other] = low[other] = len(order)
                stack.append((other, cell, iter(graph[other])))
    return sorted(bridges)


def primary(table: CountTable, *, threshold: int = THRESHOLD) -> set[Cell]:
    return {(i, j) for i, j in table.cells() if 0 < table.value(i, j) < threshold}


def _cost(table: CountTable, withheld: set[Cell], cell: Cell) -> float:
    """What withholding ``cell`` costs the reader: its count (a zero only as a last resort:
    withholding it tells as little and looks odd)."""
    if cell in withheld:
        return 0.0
    value = table.value(*cell)
    return float(value) if value else 1e12


def _close(table: CountTable, withheld: set[Cell], bridge: Cell) -> set[Cell] | None:
    """The cheapest three cells that make a cycle of four with ``bridge``."""
    rows, columns = table.shape
    r, c = bridge
    best: tuple[float, set[Cell]] | None = None
    for r2 in range(rows):
        if r2 == r:
            continue
        for c2 in range(columns):
            if c2 == c:
                continue
            corners = {(r, c2), (r2, c), (r2, c2)}
            cost = sum(_cost(table, withheld, cell) for cell in corners)
            if best is None or cost < best[0]:
                best = (cost, corners)
    return best[1] if best else None


def _bridges_closed(table: CountTable, withheld: set[Cell]) -> set[Cell] | None:
    while bridges := recoverable(withheld):
        closing = _close(table, withheld, bridges[0])
        if closing is None:  # a single cell with no margin to hide in
            return None
        withheld = withheld | closing
    return withheld


def _widen(table: CountTable, withheld: set[Cell], cell: Cell) -> set[Cell] | None:
    """One more count withheld on ``cell``'s row or column, the smallest non-zero one there
    (a pinned count sits among zeros: another count on its line lets it move)."""
    rows, columns = table.shape
    line = [(cell[0], j) for j in range(columns)] + [(i, cell[1]) for i in range(rows)]
    free = [c for c in line if c not in withheld]
    if not free:
        return None
    return withheld | {min(free, key=lambda c: _cost(table, withheld, c))}


def suppress(
    table: CountTable, *, threshold: int = THRESHOLD, withheld: set[Cell] | None = None
) -> CountTable:
    """Withhold the small counts (and ``withheld``, cells withheld for another reason) and
    enough others that none can be solved for, neither from the margins' equations nor with
    whole, non-negative counts (intervals.py); the table is changed in place and returned."""
    cells = primary(table, threshold=threshold) | (withheld or set())
    for _attempt in range(len(table.cells())):
        closed = _bridges_closed(table, cells)
        stuck = pinned(table, closed) if closed is not None else None
        if closed is None or (stuck and (closed := _widen(table, closed, stuck[0])) is None):
            cells = set(table.cells())  # nowhere left to hide a count: withhold everything
            break
        cells = closed
        if not stuck:
            break
    table.suppressed = cells
    return table
