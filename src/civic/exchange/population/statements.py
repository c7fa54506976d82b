"""The SQL of population reads: one set-based statement for the residents of a chunk of
addresses, then their income, vehicles and family ties by person id, a batch at a time."""

from __future__ import annotations

from civic.exchange import sql
from civic.registers import models as m
from civic.registers import sealing


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
        # Each row, not their sum: the amounts are sealed, and open only here, row by row.
        "income": (
            f"SELECT i.id, i.person_id, i.amount FROM {income} i "  # noqa: S608
            "WHERE i.person_id IN ({people}) AND i.year = %s AND i.recorded_to IS NULL"
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
    """``name`` (vehicles, partners) for these person ids: person id -> value."""
    return dict(_rows_by_people(name, people, params))


def _incomes(people: list[int], year: int) -> dict[int, int]:
    """Each of these persons' total income of ``year`` (person id -> euros), for those the
    register knows an income of. The amounts are encrypted at rest: each row is opened with
    its own id, and the total is made here rather than in the database."""
    totals: dict[int, int] = {}
    for row_id, person_id, amount in _rows_by_people("income", people, [year]):
        clear = sealing.value_open(m.Income, "amount", amount, row_id)
        totals[person_id] = totals.get(person_id, 0) + clear
    return totals


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
