"""The shape a population read returns: one row per resident, column-wise in NumPy arrays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np


@dataclass
class Population:
    """One row per resident, households as indexes into ``addresses``."""

    personal_numbers: np.ndarray  # str
    household: np.ndarray  # int, index into addresses
    addresses: list[str]  # address identifiers, one per household
    birth_date: np.ndarray  # datetime64[D]
    income: np.ndarray  # float, last year's gross income, 0 when unknown
    income_known: np.ndarray  # bool: the income register has last year for this person
    vehicles: np.ndarray  # int
    #: Family ties (when read): up to two living parents' personal numbers per resident and the
    #: current partner's, "" for none. Parents may live anywhere, partners too.
    parents: np.ndarray | None = None  # str, shape (n, 2)
    partner: np.ndarray | None = None  # str
    #: (When family ties are read) the other living parents of each resident's living
    #: children, wherever the child lives, by resident number: two adults at one address who
    #: are parents of the same child are partners even when the child lives elsewhere.
    co_parents: dict[str, tuple[str, ...]] | None = None
    trace_id: str = ""

    def __len__(self) -> int:
        return len(self.personal_numbers)


def _columns(
    rows: list[tuple],
    incomes: dict,
    owned: dict,
    trace_id: str,
    family: tuple[dict, dict, dict] | None = None,
) -> Population:
    households: dict[int, int] = {}
    addresses: list[str] = []
    household = np.empty(len(rows), dtype=np.int64)
    for i, (address_id, identifier, *_rest) in enumerate(rows):
        index = households.get(address_id)
        if index is None:
            index = households[address_id] = len(addresses)
            addresses.append(identifier)
        household[i] = index
    person_ids = [row[2] for row in rows]
    income = np.array([incomes.get(pk, 0) or 0 for pk in person_ids], dtype=np.float64)
    parents = partner = co_parents = None
    if family is not None:
        parents = np.full((len(rows), 2), "", dtype="U9")
        for i, pk in enumerate(person_ids):
            known = family[0].get(pk, [])[:2]
            parents[i, : len(known)] = known
        partner = np.array([family[1].get(pk, "") for pk in person_ids], dtype="U9")
        co_parents = {
            row[3]: tuple(sorted(family[2][row[2]])) for row in rows if row[2] in family[2]
        }
    return Population(
        personal_numbers=np.array([row[3] for row in rows], dtype="U9"),
        household=household,
        addresses=addresses,
        birth_date=np.array([_date(row[4]) for row in rows], dtype="datetime64[D]"),
        income=income,
        income_known=np.array([pk in incomes for pk in person_ids], dtype=bool),
        vehicles=np.array([owned.get(pk, 0) for pk in person_ids], dtype=np.int64),
        parents=parents,
        partner=partner,
        co_parents=co_parents,
        trace_id=trace_id,
    )


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _concatenate(parts: list[Population]) -> Population:
    if not parts:
        return _columns([], {}, {}, "")
    offsets = np.cumsum([0, *[len(p.addresses) for p in parts[:-1]]])
    return Population(
        personal_numbers=np.concatenate([p.personal_numbers for p in parts]),
        household=np.concatenate([p.household + o for p, o in zip(parts, offsets, strict=True)]),
        addresses=[a for p in parts for a in p.addresses],
        birth_date=np.concatenate([p.birth_date for p in parts]),
        income=np.concatenate([p.income for p in parts]),
        income_known=np.concatenate([p.income_known for p in parts]),
        vehicles=np.concatenate([p.vehicles for p in parts]),
        parents=None if parts[0].parents is None else np.concatenate([p.parents for p in parts]),
        partner=None if parts[0].partner is None else np.concatenate([p.partner for p in parts]),
        co_parents=None
        if parts[0].co_parents is None
        else {k: v for p in parts for k, v in (p.co_parents or {}).items()},
        trace_id=parts[0].trace_id,
    )
