"""Population-wide reads for rules as code: the registers column-wise, a chunk of addresses at
a time, into NumPy arrays, with one access-log entry per resident checked.

A proactive run asks for everyone living at the addresses with ids in ``[first, last]``: who
lives there today, their birth date, their family ties (living parents, wherever they live, and
the current partner: the rules form benefit units and offer a child's benefit to its parents
from them), last year's income and the vehicles they own, each only when a rule set reads it. The same
purpose, grant and log-before-release rules hold as for a lookup; only the shape differs (one
set-based statement for the residents of a chunk, then their income and vehicles by person id,
500 at a time, instead of one lookup per person), so that a million residents cost minutes,
not hours. Every released resident gets its entry in the same transaction as the read, written
in one statement.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from civic.core import clock, traces, tracing
from civic.exchange import sql
from civic.exchange.actors import Actor
from civic.exchange.authorisation import authorise
from civic.exchange.entries import log_entries_write
from civic.exchange.errors import UnknownPurpose
from civic.exchange.models import AccessLogEntry
from civic.exchange.query import _purpose_get
from civic.registers import models as m

#: What a population read releases, per part read; grants must cover each. ``family`` (the
#: family ties) is part of the persons register.
POPULATION_FIELDS: dict[str, list[str]] = {
    "persons": ["identity.birth_date", "residence.address"],
    "family": ["parentage.parent", "partnership.partner"],
    "income": ["income.amount", "income.year"],
    "vehicles": ["ownership.owner"],
}
ALL_REGISTERS = tuple(POPULATION_FIELDS)


def read_register(part: str) -> str:
    """The register a part of a population read is in (``family``: the persons register)."""
    return "persons" if part == "family" else part


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


def _table(model) -> str:
    return f'"{model._meta.db_table}"'


def _statements() -> dict[str, str]:
    residence, person, record = _table(m.Residence), _table(m.Person), _table(m.PersonRecord)
    address, income, ownership = _table(m.Address), _table(m.Income), _table(m.VehicleOwnership)
    # Residents today: an open residence and a living person, both as currently recorded.
    living = (
        f"FROM {residence} r JOIN {person} p ON p.id = r.person_id "
        f"JOIN {record} pr ON pr.person_id = p.id AND pr.recorded_to IS NULL "
        "AND pr.valid_from <= %s AND (pr.valid_to IS NULL OR pr.valid_to > %s) "
        "AND pr.date_of_death IS NULL "
        "WHERE r.address_id BETWEEN %s AND %s AND r.recorded_to IS NULL "
        "AND r.valid_from <= %s AND (r.valid_to IS NULL OR r.valid_to > %s)"
    )
    return {
        "residents": (
            f"SELECT r.address_id, a.identifier, p.id, p.personal_number, pr.birth_date "
            f"{living.replace('WHERE', f'JOIN {address} a ON a.id = r.address_id WHERE', 1)} "
            "ORDER BY r.address_id, pr.birth_date, p.id"
        ),
        # By the residents' person ids (``{people}``: one mark per id), not by evaluating who
        # lives there again: the same persons, each looked up in its index.
        "income": (
            f"SELECT i.person_id, SUM(i.amount) FROM {income} i "  # noqa: S608
            "WHERE i.person_id IN ({people}) "
            "AND i.year = %s AND i.recorded_to IS NULL GROUP BY i.person_id"
        ),
        "vehicles": (
            f"SELECT o.owner_id, COUNT(*) FROM {ownership} o "  # noqa: S608
            "WHERE o.owner_id IN ({people}) "
            "AND o.recorded_to IS NULL AND o.valid_from <= %s "
            "AND (o.valid_to IS NULL OR o.valid_to > %s) GROUP BY o.owner_id"
        ),
        # Living parents (a dead parent is offered nothing), by the residents' ids.
        "parents": (
            f"SELECT pa.child_id, pp.personal_number FROM {_table(m.Parentage)} pa "  # noqa: S608
            f"JOIN {person} pp ON pp.id = pa.parent_id "
            f"JOIN {record} pr ON pr.person_id = pa.parent_id "
            "WHERE pa.child_id IN ({people}) AND pa.recorded_to IS NULL "
            "AND pa.valid_from <= %s AND (pa.valid_to IS NULL OR pa.valid_to > %s) "
            "AND pr.recorded_to IS NULL AND pr.date_of_death IS NULL "
            "AND pr.valid_from <= %s AND (pr.valid_to IS NULL OR pr.valid_to > %s) "
            "ORDER BY pa.child_id, pp.personal_number"
        ),
        # The other living parents of the residents' living children (anywhere), by the
        # residents' ids: co-parents are partners wherever their child lives.
        "co_parents": (
            f"SELECT pa.parent_id, pp.personal_number FROM {_table(m.Parentage)} pa "  # noqa: S608
            f"JOIN {_table(m.Parentage)} pb ON pb.child_id = pa.child_id "
            "AND pb.parent_id <> pa.parent_id "
            f"JOIN {person} pp ON pp.id = pb.parent_id "
            f"JOIN {record} cr ON cr.person_id = pa.child_id "
            f"JOIN {record} br ON br.person_id = pb.parent_id "
            "WHERE pa.parent_id IN ({people}) AND pa.recorded_to IS NULL "
            "AND pa.valid_from <= %s AND (pa.valid_to IS NULL OR pa.valid_to > %s) "
            "AND pb.recorded_to IS NULL "
            "AND pb.valid_from <= %s AND (pb.valid_to IS NULL OR pb.valid_to > %s) "
            "AND cr.recorded_to IS NULL AND cr.date_of_death IS NULL "
            "AND cr.valid_from <= %s AND (cr.valid_to IS NULL OR cr.valid_to > %s) "
            "AND br.recorded_to IS NULL AND br.date_of_death IS NULL "
            "AND br.valid_from <= %s AND (br.valid_to IS NULL OR br.valid_to > %s)"
        ),
        "partners": (
            f"SELECT ps.person_id, pp.personal_number FROM {_table(m.Partnership)} ps "  # noqa: S608
            f"JOIN {person} pp ON pp.id = ps.partner_id "
            "WHERE ps.person_id IN ({people}) AND ps.recorded_to IS NULL "
            "AND ps.valid_from <= %s AND (ps.valid_to IS NULL OR ps.valid_to > %s)"
        ),
        "addresses": f"SELECT id FROM {address} ORDER BY id",  # noqa: S608
    }


#: Person ids per income or vehicle statement (SQLite caps the parameters of one statement),
#: and the list lengths a statement is made for: a shorter list is padded with its last id
#: (a repeated id changes nothing), so that a few statement texts serve every chunk.
PEOPLE_BATCH = 500
_PEOPLE_SHAPES = (8, 64, PEOPLE_BATCH)


_SQL: dict[str, str] = {}


def _sql(name: str) -> str:
    if not _SQL:
        _SQL.update(_statements())
    return _SQL[name]


def _rows_by_people(name: str, people: list[int], params: list) -> list[tuple]:
    rows: list[tuple] = []
    for start in range(0, len(people), PEOPLE_BATCH):
        batch = people[start : start + PEOPLE_BATCH]
        shape = next(n for n in _PEOPLE_SHAPES if n >= len(batch))
        batch = batch + batch[-1:] * (shape - len(batch))
        statement = _sql(name).replace("{people}", ", ".join(["%s"] * shape), 1)
        rows.extend(sql.fetch(statement, [*batch, *params]))
    return rows


def _by_people(name: str, people: list[int], params: list) -> dict:
    """``name`` (income or vehicles) for these person ids: person id -> value."""
    return dict(_rows_by_people(name, people, params))


def _family(people: list[int], day) -> tuple[dict, dict, dict]:
    """Living parents (person id -> [personal numbers]), current partners (person id ->
    personal number) and co-parents (person id -> {personal numbers}) of these residents."""
    parents: dict[int, list[str]] = {}
    # The padding repeats the last id; a repeated row is one tie, not two.
    for child, parent in dict.fromkeys(_rows_by_people("parents", people, [day] * 4)):
        parents.setdefault(child, []).append(parent)
    partners = _by_people("partners", people, [day, day])
    co_parents: dict[int, set[str]] = {}
    for parent, other in _rows_by_people("co_parents", people, [day] * 8):
        co_parents.setdefault(parent, set()).add(other)
    return parents, partners, co_parents


def address_ranges(size: int) -> list[tuple[int, int]]:
    """The address ids split into ranges of ``size`` addresses: the chunks of a run."""
    ids = [row[0] for row in sql.fetch(_sql("addresses"), [])]
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def _authorised(actor: Actor, purpose: str, registers: tuple[str, ...]):
    the_purpose = _purpose_get(purpose)
    if the_purpose is None:
        raise UnknownPurpose(f"There is no purpose called “{purpose}”.", items=[purpose])
    for part in registers:
        authorise(actor, the_purpose, read_register(part), POPULATION_FIELDS[part], [])
    return the_purpose


def population_read(
    *,
    actor: Actor,
    purpose: str,
    first_address: int,
    last_address: int,
    on: dt.date | None = None,
    case: str = "",
    kind: str = AccessLogEntry.Kind.CHECK,
    registers: tuple[str, ...] = ALL_REGISTERS,
) -> Population:
    """Everyone living at addresses ``first_address..last_address`` on ``on``, column-wise,
    each released resident logged (one entry each, one statement) before the arrays return."""
    if "persons" not in registers:
        registers = ("persons", *registers)
    with traces.span("exchange.population_read", {"civic.actor.kind": actor.kind}):
        return _read(actor, purpose, first_address, last_address, on, case, kind, registers)


def _read(
    actor: Actor,
    purpose: str,
    first_address: int,
    last_address: int,
    on: dt.date | None,
    case: str,
    kind: str,
    registers: tuple[str, ...],
) -> Population:
    with traces.span("exchange.check"):
        the_purpose = _authorised(actor, purpose, registers)
    traces.annotate({"civic.purpose": the_purpose.code, "civic.registers": list(registers)})
    on = on or clock.today()
    day = sql.day(on)
    living = [day, day, first_address, last_address, day, day]
    trace_id = tracing.trace_id() or uuid.uuid4().hex  # the chunk's trace, its log lines
    # As in query.register_query: the release span closes once the entries are committed.
    with contextlib.ExitStack() as releasing:
        with transaction.atomic():
            with traces.span("exchange.register_read") as reading:
                rows = sql.fetch(_sql("residents"), living)
                people = sorted({row[2] for row in rows})
                # Only the registers the purpose needs are read (and logged): data minimisation.
                incomes = (
                    _by_people("income", people, [on.year - 1]) if "income" in registers else {}
                )
                owned = (
                    _by_people("vehicles", people, [day, day]) if "vehicles" in registers else {}
                )
                family = _family(people, day) if "family" in registers else None
                if reading is not None:
                    reading.set_attribute("civic.subjects", len(rows))
            with traces.span("exchange.access_log_append", {"civic.entries": len(rows)}):
                log_entries_write(
                    actor=actor,
                    purpose=the_purpose,
                    register="persons",
                    subjects=[row[3] for row in rows],
                    fields=[f for r in registers for f in POPULATION_FIELDS[r]],
                    case=case,
                    kind=kind,
                    trace_id=trace_id,
                    at=clock.now(),
                )
            releasing.enter_context(traces.span("exchange.release"))
        return _columns(rows, incomes, owned, trace_id, family)


def population_of(
    *,
    actor: Actor,
    purpose: str,
    personal_numbers: list[str],
    on: dt.date | None = None,
    case: str = "",
    kind: str = AccessLogEntry.Kind.CHECK,
    registers: tuple[str, ...] = ALL_REGISTERS,
) -> Population:
    """The households of these people (everyone at their addresses), read as above: a life
    event re-checks the household concerned, not only the person the event is about."""
    person, residence = _table(m.Person), _table(m.Residence)
    on = on or clock.today()
    if not personal_numbers:
        return _columns([], {}, {}, "")
    marks = ", ".join(["%s"] * len(personal_numbers))
    day = sql.day(on)
    address_ids = sorted(
        {
            row[0]
            for row in sql.fetch(
                f"SELECT r.address_id FROM {residence} r JOIN {person} p ON p.id = r.person_id "  # noqa: S608
                f"WHERE p.personal_number IN ({marks}) AND r.recorded_to IS NULL "
                "AND r.valid_from <= %s AND (r.valid_to IS NULL OR r.valid_to > %s)",
                [*personal_numbers, day, day],
            )
        }
    )
    parts = [
        population_read(
            actor=actor,
            purpose=purpose,
            first_address=a,
            last_address=a,
            on=on,
            case=case,
            kind=kind,
            registers=registers,
        )
        for a in address_ids
    ]
    return _concatenate(parts)


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


def neighbourhoods_of(first_address: int, last_address: int) -> dict[str, str]:
    """The neighbourhood (its name) of each address with an id in ``[first, last]``, by
    address identifier: for figures per neighbourhood (the addresses register holds no
    personal data; nothing is logged)."""
    address, neighbourhood = _table(m.Address), _table(m.Neighbourhood)
    return dict(
        sql.fetch(
            f"SELECT a.identifier, n.name FROM {address} a "  # noqa: S608
            f"JOIN {neighbourhood} n ON n.id = a.neighbourhood_id "
            "WHERE a.id BETWEEN %s AND %s",
            [first_address, last_address],
        )
    )
