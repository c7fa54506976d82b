"""The legal units the rules judge, formed from the registers' family ties.

* ``household``: everyone living at one address, the people who share its costs (housing
  allowance, the taxes on the home, parking permits count them all);
* ``benefit_unit``: partners and their minor children living with them (income support, the
  AIO supplement, the school clothing grant, remission of municipal taxes). Partners are a
  married or registered couple, or two adults at one address who are parents of the same child
  (co-parents). An adult child, an adult sibling or a lodger at the address is a unit of their
  own;
* ``person``: the resident alone (health care allowance);
* ``child``: one child, whose benefit is offered to each of its living parents wherever they
  live (child benefit); one grant per child and year, however many parents accept.

Each rule set names its unit in data/rule_sets.json. Pure NumPy and Python over the columns a
population read returns; no database work here.
"""

from __future__ import annotations

import numpy as np

UNITS = ("household", "benefit_unit", "person", "child")


def benefit_units(
    *,
    household: np.ndarray,
    personal_numbers: np.ndarray,
    adult: np.ndarray,
    parents: np.ndarray | None,
    partner: np.ndarray | None,
    co_parents: dict[str, tuple[str, ...]] | None = None,
) -> np.ndarray:
    """An index per resident: the benefit unit they belong to, within their address. Without
    family ties (``parents`` None) every adult is a unit of their own with the address's
    minors, which is what the registers can say without them. ``co_parents`` (resident ->
    the other living parents of their living children, wherever the children live) joins
    co-parents at one address whose child lives elsewhere."""
    count = len(personal_numbers)
    root = np.arange(count)

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = int(root[i])
        return i

    def join(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            root[max(a, b)] = min(a, b)

    where = {str(n): i for i, n in enumerate(personal_numbers)}

    def here(number: str, i: int) -> int | None:
        j = where.get(number) if number else None
        return j if j is not None and household[j] == household[i] else None

    if parents is None or partner is None:
        # No ties read: minors join the first adult at their address.
        first_adult: dict[int, int] = {}
        for i in np.flatnonzero(adult):
            first_adult.setdefault(int(household[i]), int(i))
        for i in np.flatnonzero(~adult):
            j = first_adult.get(int(household[i]))
            if j is not None:
                join(int(i), j)
        return _compact([find(i) for i in range(count)])
    for i in range(count):
        if adult[i]:
            j = here(str(partner[i]), i)
            if j is not None and adult[j]:
                join(i, j)
        known = [where.get(str(p)) for p in parents[i] if p]
        known = [j for j in known if j is not None and adult[j]]
        # Co-parents living together (wherever their child lives) are partners.
        for a, j in enumerate(known):
            for k in known[a + 1 :]:
                if household[j] == household[k]:
                    join(j, k)
        if adult[i] and co_parents:
            for other in co_parents.get(str(personal_numbers[i]), ()):
                j = here(other, i)
                if j is not None and adult[j]:
                    join(i, j)
        # A minor lives in the unit of a parent at its address.
        if not adult[i]:
            at_home = [j for j in known if household[j] == household[i]]
            if at_home:
                join(i, at_home[0])
    return _compact([find(i) for i in range(count)])


def _compact(roots: list[int]) -> np.ndarray:
    if not roots:
        return np.zeros(0, dtype=np.int64)
    _unique, index = np.unique(np.asarray(roots), return_inverse=True)
    return index.astype(np.int64)
