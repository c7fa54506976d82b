"""Counts, never rows: the exchange's aggregate query path, for statistics and open data.

``aggregate_read`` answers one of a few fixed counting questions (``AGGREGATES``) about the
population on a day: the same purpose and grant checks as a lookup (the grant must cover every
attribute the count reads), then one grouped statement in the database, so that no row about a
person ever reaches Python. The release is logged as ONE access-log entry of kind ``counts``
whose subject is ``counts:`` and a hash of the question and the counts: the same counts
released again (a dataset regenerated with nothing changed) are not logged twice, so the log
holds one entry per dataset version. The entry is written in the read's transaction, like any
other: nothing leaves before it is committed.

Disclosure control (small counts) is the publisher's job (civic.opendata.disclosure): the
exchange releases exact counts to a purpose granted to read them, and no identifier.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from civic.core import clock, tracing
from civic.exchange import sql
from civic.exchange.actors import Actor
from civic.exchange.authorisation import authorise
from civic.exchange.entries import log_entries_write
from civic.exchange.errors import UnknownField, UnknownPurpose
from civic.exchange.models import AccessLogEntry, Purpose
from civic.exchange.processing_limits import (
    OBJECTABLE,
    limits_stop_purpose,
    restriction_allows,
    stopped_among,
)
from civic.exchange.query import _purpose_get
from civic.registers import models as m
from civic.registers.retention import cutoff as years_before

#: Age bands of the population counts, as (label, lowest age); the last band is open.
AGE_BANDS: tuple[tuple[str, int], ...] = (
    ("0-14", 0),
    ("15-24", 15),
    ("25-44", 25),
    ("45-64", 45),
    ("65+", 65),
)
#: Households of this size or more are counted together.
LARGEST_HOUSEHOLD = 6


def _table(model) -> str:
    return f'"{model._meta.db_table}"'


def _living(excluded: int = 0) -> str:
    """Residents on a day: an open residence and a living person, as currently recorded
    (the same rows as a population read's, exchange.population.statements); without the
    ``excluded`` person ids given as parameters after the day's four."""
    residence, person, record = _table(m.Residence), _table(m.Person), _table(m.PersonRecord)
    address, neighbourhood = _table(m.Address), _table(m.Neighbourhood)
    return (
        f"FROM {residence} r JOIN {person} p ON p.id = r.person_id "
        f"JOIN {record} pr ON pr.person_id = p.id AND pr.recorded_to IS NULL "
        "AND pr.valid_from <= %s AND (pr.valid_to IS NULL OR pr.valid_to > %s) "
        "AND pr.date_of_death IS NULL "
        f"JOIN {address} a ON a.id = r.address_id "
        f"JOIN {neighbourhood} n ON n.id = a.neighbourhood_id "
        "WHERE r.recorded_to IS NULL AND r.valid_from <= %s "
        "AND (r.valid_to IS NULL OR r.valid_to > %s)"
        + (f" AND p.id NOT IN ({', '.join(['%s'] * excluded)})" if excluded else "")
    )


def _population(day: dt.date, excluded: list[int]) -> list[tuple]:
    # The age band in the database, from dates: a person is ``age`` or older on ``day`` when
    # born on or before the day ``age`` years earlier. Portable across both engines.
    bands = AGE_BANDS[::-1]
    cases = " ".join("WHEN pr.birth_date <= %s THEN %s" for _label, _age in bands[:-1])
    params: list = []
    for label, age in bands[:-1]:
        params += [sql.day(years_before(day, age)), label]
    band = f"CASE {cases} ELSE %s END"
    params.append(bands[-1][0])
    statement = (
        f"SELECT n.code, {band} AS band, pr.sex, COUNT(*) {_living(len(excluded))} "
        "GROUP BY n.code, band, pr.sex"
    )
    the_day = sql.day(day)
    rows = sql.fetch(statement, [*params, *[the_day] * 4, *excluded])
    return [(code, band_, sex, count) for code, band_, sex, count in rows]


def _households(day: dt.date, excluded: list[int]) -> list[tuple]:
    statement = (
        "SELECT code, size, COUNT(*) FROM ("  # noqa: S608
        f"SELECT n.code AS code, r.address_id, COUNT(*) AS size {_living(len(excluded))} "
        "GROUP BY n.code, r.address_id) households GROUP BY code, size"
    )
    counted: dict[tuple, int] = {}
    for code, size, count in sql.fetch(statement, [*[sql.day(day)] * 4, *excluded]):
        label = f"{LARGEST_HOUSEHOLD}+" if size >= LARGEST_HOUSEHOLD else str(size)
        counted[(code, label)] = counted.get((code, label), 0) + count
    return [(*key, count) for key, count in sorted(counted.items())]


#: NACE Rev. 2 sections (the SBI's first level) by the first two digits of an activity code.
NACE_SECTIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 3),
    ("B", 5, 9),
    ("C", 10, 33),
    ("D", 35, 35),
    ("E", 36, 39),
    ("F", 41, 43),
    ("G", 45, 47),
    ("H", 49, 53),
    ("I", 55, 56),
    ("J", 58, 63),
    ("K", 64, 66),
    ("L", 68, 68),
    ("M", 69, 75),
    ("N", 77, 82),
    ("O", 84, 84),
    ("P", 85, 85),
    ("Q", 86, 88),
    ("R", 90, 93),
    ("S", 94, 96),
    ("T", 97, 98),
    ("U", 99, 99),
)


def nace_section(division: str) -> str:
    """The NACE section letter of an activity code's first two digits; "?" for none."""
    number = int(division) if division.isdigit() else -1
    return next((letter for letter, low, high in NACE_SECTIONS if low <= number <= high), "?")


def _businesses(day: dt.date, _excluded: list[int]) -> list[tuple]:
    """Businesses registered on ``day`` (their registration valid then, as currently recorded)
    by the neighbourhood of their address and the NACE section of their main activity."""
    record, address = _table(m.BusinessRecord), _table(m.Address)
    neighbourhood = _table(m.Neighbourhood)
    statement = (
        "SELECT n.code, SUBSTR(b.activity_code, 1, 2) AS division, COUNT(*) "  # noqa: S608
        f"FROM {record} b JOIN {address} a ON a.id = b.address_id "
        f"JOIN {neighbourhood} n ON n.id = a.neighbourhood_id "
        "WHERE b.recorded_to IS NULL AND b.valid_from <= %s "
        "AND (b.valid_to IS NULL OR b.valid_to > %s) GROUP BY n.code, division"
    )
    counted: dict[tuple[str, str], int] = {}
    for code, division, count in sql.fetch(statement, [sql.day(day)] * 2):
        key = (code, nace_section(division or ""))
        counted[key] = counted.get(key, 0) + count
    return [(*key, count) for key, count in sorted(counted.items())]


def _stopped(actor: Actor, purpose: Purpose, day: dt.date) -> list[int]:
    """The person ids of the residents the purpose may not read now (an upheld objection, a
    restriction: GDPR arts. 21, 18), left out of the counts. Nothing to pay while no limit in
    force stops this purpose (without a shared cache the memo cannot say "none anywhere", so
    the database is asked); else one pass over the residents' numbers to find whose pseudonym
    is stopped."""
    if purpose.legal_ground not in OBJECTABLE and restriction_allows(purpose):
        return []
    if not limits_stop_purpose(purpose):
        return []
    residents = sql.fetch(f"SELECT p.id, p.personal_number {_living()}", [sql.day(day)] * 4)
    stopped = stopped_among(actor, purpose, [number for _pk, number in residents])
    return sorted(pk for pk, number in residents if number in stopped)


@dataclass(frozen=True)
class Aggregate:
    """A counting question: what it groups by, the attributes it reads, and its statement."""

    register: str
    dimensions: tuple[str, ...]
    fields: tuple[str, ...]
    count: Callable[[dt.date, list[int]], list[tuple]]
    #: Counts residents: those an objection or restriction stops are left out.
    of_residents: bool = True


AGGREGATES: dict[str, Aggregate] = {
    "population": Aggregate(
        register="persons",
        dimensions=("neighbourhood", "age_band", "sex"),
        fields=("identity.birth_date", "identity.sex", "residence.address"),
        count=_population,
    ),
    "households": Aggregate(
        register="persons",
        dimensions=("neighbourhood", "household_size"),
        fields=("residence.address",),
        count=_households,
    ),
    "businesses": Aggregate(
        register="businesses",
        dimensions=("neighbourhood", "activity_section"),
        fields=("registration.activity_code", "registration.address"),
        count=_businesses,
        of_residents=False,
    ),
}


@dataclass(frozen=True)
class Counts:
    """What an aggregate read releases: counts by the aggregate's dimensions, nothing else."""

    aggregate: str
    on: dt.date
    dimensions: tuple[str, ...]
    cells: tuple[tuple, ...]  # (dimension values..., count)
    release: str  # the access-log entry's subject: ``counts:`` and the release's hash


def _release_id(name: str, on: dt.date, cells: list[tuple]) -> str:
    digest = hashlib.sha256(
        json.dumps([name, on.isoformat(), cells], separators=(",", ":")).encode()
    ).hexdigest()
    return f"counts:{digest[:32]}"


def aggregate_read(
    *, actor: Actor, purpose: str, aggregate: str, on: dt.date | None = None
) -> Counts:
    """The counts of ``aggregate`` on ``on`` (today), for ``purpose``: refused unless a grant
    covers every attribute the count reads; logged once per distinct release."""
    question = AGGREGATES.get(aggregate)
    if question is None:
        raise UnknownField(
            _("There is no aggregate called “%(aggregate)s”.") % {"aggregate": aggregate},
            items=[aggregate],
        )
    the_purpose = _purpose_get(purpose)
    if the_purpose is None:
        raise UnknownPurpose(
            _("There is no purpose called “%(purpose)s”.") % {"purpose": purpose}, items=[purpose]
        )
    authorise(actor, the_purpose, question.register, list(question.fields), [])
    on = on or clock.today()
    with transaction.atomic():
        stopped = _stopped(actor, the_purpose, on) if question.of_residents else []
        cells = sorted(question.count(on, stopped))
        release = _release_id(aggregate, on, [list(cell) for cell in cells])
        already = AccessLogEntry.objects.filter(
            subject=release,
            purpose=the_purpose.code,
            actor=actor.id,
            kind=AccessLogEntry.Kind.COUNTS,
        ).exists()
        if not already:
            log_entries_write(
                actor=actor,
                purpose=the_purpose,
                register=question.register,
                subjects=[release],
                fields=sorted(question.fields),
                case="",
                kind=AccessLogEntry.Kind.COUNTS,
                trace_id=tracing.trace_id() or uuid.uuid4().hex,
                at=clock.now(),
                subjects_are_pseudonyms=True,
            )
    return Counts(
        aggregate=aggregate,
        on=on,
        dimensions=question.dimensions,
        cells=tuple(tuple(cell) for cell in cells),
        release=release,
    )
