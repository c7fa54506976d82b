"""Reading the base registers for the exchange: the one module that touches register tables.

Each record type of the catalogue maps to a model, the path from a row to its subject's
identifier, and the path to each attribute's value (references become the other register's
identifier: a personal number, an address identifier). Rows are read for up to 20 subjects at
once, one query per record type, as true on ``valid_at`` and known at ``known_at``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q

from civic.core import clock
from civic.core.numbers import business_number_clean, personal_number_clean
from civic.exchange import sql
from civic.registers import models as m
from civic.registers import sealing


@dataclass(frozen=True)
class Source:
    model: type[Model]
    subject_path: str
    many: bool = False
    time: str = "bitemporal"  # bitemporal | valid (no record time) | none
    paths: dict[str, str] = field(default_factory=dict)  # attribute -> ORM path, if not its name
    #: For parentage: which attribute names pick which side the subject is on.
    directions: dict[str, str] = field(default_factory=dict)


SOURCES: dict[tuple[str, str], Source] = {
    ("persons", "person"): Source(m.Person, "personal_number", time="none"),
    ("persons", "identity"): Source(
        m.PersonRecord, "person__personal_number", paths={"person": "person__personal_number"}
    ),
    ("persons", "residence"): Source(
        m.Residence,
        "person__personal_number",
        paths={"person": "person__personal_number", "address": "address__identifier"},
    ),
    ("persons", "partnership"): Source(
        m.Partnership,
        "person__personal_number",
        many=True,
        paths={"person": "person__personal_number", "partner": "partner__personal_number"},
    ),
    ("persons", "parentage"): Source(
        m.Parentage,
        "",
        many=True,
        paths={"parent": "parent__personal_number", "child": "child__personal_number"},
        directions={"child": "parent__personal_number", "parent": "child__personal_number"},
    ),
    ("addresses", "address"): Source(
        m.Address, "identifier", time="valid", paths={"neighbourhood": "neighbourhood__code"}
    ),
    ("addresses", "neighbourhood"): Source(m.Neighbourhood, "address__identifier", time="none"),
    ("businesses", "business"): Source(m.Business, "registration_number", time="none"),
    ("businesses", "registration"): Source(
        m.BusinessRecord,
        "business__registration_number",
        paths={"business": "business__registration_number", "address": "address__identifier"},
    ),
    ("businesses", "role"): Source(
        m.BusinessRole,
        "business__registration_number",
        many=True,
        paths={"business": "business__registration_number", "person": "person__personal_number"},
    ),
    ("income", "income"): Source(
        m.Income, "person__personal_number", many=True, paths={"person": "person__personal_number"}
    ),
    ("vehicles", "vehicle"): Source(m.Vehicle, "plate", time="none"),
    ("vehicles", "ownership"): Source(
        m.VehicleOwnership,
        "vehicle__plate",
        many=True,
        paths={"vehicle": "vehicle__plate", "owner": "owner__personal_number"},
    ),
}

#: Registers whose facts span periods (a tax year): without a valid_at, every period known.
ALL_PERIODS_BY_DEFAULT = {"income"}

ANCHORS: dict[str, tuple[type[Model], str]] = {
    "persons": (m.Person, "personal_number"),
    "income": (m.Person, "personal_number"),
    "addresses": (m.Address, "identifier"),
    "businesses": (m.Business, "registration_number"),
    "vehicles": (m.Vehicle, "plate"),
}

PLATE = re.compile(r"^[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,2}$")
ADDRESS_ID = re.compile(r"^\d{16}$")


class MalformedSubject(ValueError):
    pass


def subject_clean(register: str, value: str) -> str:
    """The subject identifier in its stored form; raises MalformedSubject saying why."""
    text = str(value).strip()
    try:
        if register in {"persons", "income"}:
            return personal_number_clean(text)
        if register == "businesses":
            return business_number_clean(text)
    except ValueError as error:
        raise MalformedSubject(str(error)) from None
    if register == "addresses" and ADDRESS_ID.match(text):
        return text
    if register == "vehicles" and PLATE.match(text.upper()):
        return text.upper()
    raise MalformedSubject(f"“{value}” is not a {register} identifier")


def subjects_missing(register: str, subjects: list[str]) -> list[str]:
    model, column = ANCHORS[register]
    statement = sql.records_statement(model, column, (column,), len(subjects), "none", False)
    found = {row[0] for row in sql.fetch(statement, list(subjects))}
    return [s for s in subjects if s not in found]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def records_read(
    *,
    register: str,
    subjects: list[str],
    fields: list[str],
    valid_at: dt.date | None,
    known_at: dt.datetime | None,
    history: bool = False,
) -> dict[str, dict[str, Any]]:
    """``{subject: {record: row or [rows]}}`` with exactly the attributes in ``fields``. With
    ``history``: every version the register ever recorded, ended and superseded ones too, so
    every record type that has time is a list (oldest valid first) and ``valid_at`` and
    ``known_at`` do not apply (a person's access export: everything held about them)."""
    known_at = known_at or clock.now()
    wanted: dict[str, list[str]] = defaultdict(list)
    for name in fields:
        record, attribute = name.split(".", 1)
        wanted[record].append(attribute)
    out: dict[str, dict[str, Any]] = {s: {} for s in subjects}
    for record, attributes in wanted.items():
        source = SOURCES[(register, record)]
        day = valid_at
        if day is None and register not in ALL_PERIODS_BY_DEFAULT:
            day = clock.today()
        links = (
            [source.subject_path]
            if not source.directions
            else sorted(
                {source.directions[a] for a in attributes if a in source.directions}
                or set(source.directions.values())
            )
        )
        many = source.many or (history and source.time != "none")
        for subject in subjects:
            out[subject][record] = [] if many else None
        paths = tuple(source.paths.get(a, a) for a in attributes)
        # Encrypted columns open with their row's id (the associated data): read it too.
        sealed = [a for a in attributes if a in sealing.sealed_columns(source.model)]
        if sealed:
            paths += ("id",)
        for link in links:
            statement = sql.records_statement(
                source.model, link, paths, len(subjects), source.time, day is not None, history
            )
            for link_value, *values in sql.fetch(
                statement, sql.records_params(subjects, source.time, day, known_at, history)
            ):
                if sealed:
                    row_id = values.pop()
                    values = [
                        sealing.value_open(source.model, a, v, row_id) if a in sealed else v
                        for a, v in zip(attributes, values, strict=True)
                    ]
                value = {a: _jsonable(v) for a, v in zip(attributes, values, strict=True)}
                if many:
                    out[link_value][record].append(value)
                else:
                    out[link_value][record] = value
    return out


#: Registers whose subject is not a person but whose records name persons who hold it: the
#: record type, and the attribute naming the holder (GDPR export: "what do I hold?").
HELD_BY = {
    "vehicles": ("ownership", "owner"),
    "businesses": ("role", "person"),
}


def subjects_held_by(*, register: str, personal_number: str, history: bool = False) -> list[str]:
    """The subjects of ``register`` (plates, registration numbers) whose records name the
    person as holder today (an owner, a representative), as the register knows it now; with
    ``history``, in any version ever recorded (a car sold, a role ended, a row corrected)."""
    record, attribute = HELD_BY[register]
    source = SOURCES[(register, record)]
    holder = source.paths.get(attribute, attribute)
    if history:
        rows = source.model.objects.filter(**{holder: personal_number})
        return sorted(set(rows.values_list(source.subject_path, flat=True)))
    today, now = clock.today(), clock.now()
    rows = source.model.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today),
        Q(recorded_to__isnull=True) | Q(recorded_to__gt=now),
        valid_from__lte=today,
        recorded_from__lte=now,
        **{holder: personal_number},
    )
    return sorted(set(rows.values_list(source.subject_path, flat=True)))


def rows_about_only(
    register: str, records: dict[str, dict[str, Any]], personal_number: str
) -> dict[str, dict[str, Any]]:
    """``records`` without the rows of a holder record type that name someone else (a
    co-owner's role, an earlier owner of the vehicle): what is released is about one person."""
    if register not in HELD_BY:
        return records
    record, attribute = HELD_BY[register]
    for record_set in records.values():
        rows = record_set.get(record)
        if isinstance(rows, list):
            record_set[record] = [row for row in rows if row.get(attribute) == personal_number]
    return records


def persons_search(
    *,
    family_name: str | None = None,
    birth_date: dt.date | None = None,
    address: str | None = None,
    limit: int = 20,
) -> list[str]:
    """Personal numbers of people living today matching a name and birth date, or an address."""
    today, now = clock.today(), clock.now()
    current = Q(recorded_to__isnull=True) | Q(recorded_to__gt=now)
    if address:
        rows = m.Residence.objects.filter(
            current,
            Q(valid_to__isnull=True) | Q(valid_to__gt=today),
            valid_from__lte=today,
            recorded_from__lte=now,
            address__identifier=address,
        )
        return list(
            rows.order_by("person_id").values_list("person__personal_number", flat=True)[:limit]
        )
    rows = m.PersonRecord.objects.filter(
        current, recorded_from__lte=now, family_name__iexact=family_name, birth_date=birth_date
    )
    return list(
        rows.order_by("person_id").values_list("person__personal_number", flat=True)[:limit]
    )
