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
from civic.exchange.models import AccessLogEntry
from civic.exchange.query import _purpose_get
from civic.registers import models as m

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


def _living() -> str:
    """Residents on a day: an open residence and a living person, as currently recorded
    (the same rows as a population read's, exchange.population.statements)."""
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
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _population(day: dt.date) -> list[tuple]:
    # The age band in the database, from dates: a person is ``age`` or older on ``day`` when
    # born on or before the day ``age`` years earlier. Portable across both engines.
    bands = AGE_BANDS[::-1]
    cases = " ".join("WHEN pr.birth_date <= %s THEN %s" for _label, _age in bands[:-1])
    params: list = []
    for label, age in bands[:-1]:
        params += [sql.day(_years_before(day, age)), label]
    band = f"CASE {cases} ELSE %s END"
    params.append(bands[-1][0])
    statement = (
        f"SELECT n.code, {band} AS band, pr.sex, COUNT(*) {_living()} "
        "GROUP BY n.code, band, pr.sex"
    )
    the_day = sql.day(day)
    rows = sql.fetch(statement, [*params, *[the_day] * 4])
    return [(code, band_, sex, count) for code, band_, sex, count in rows]


def _households(day: dt.date) -> list[tuple]:
    statement = (
        "SELECT code, size, COUNT(*) FROM ("  # noqa: S608
        f"SELECT n.code AS code, r.address_id, COUNT(*) AS size {_living()} "
        "GROUP BY n.code, r.address_id) households GROUP BY code, size"
    )
    counted: dict[tuple, int] = {}
    for code, size, count in sql.fetch(statement, [sql.day(day)] * 4):
        label = f"{LARGEST_HOUSEHOLD}+" if size >= LARGEST_HOUSEHOLD else str(size)
        counted[(code, label)] = counted.get((code, label), 0) + count
    return [(*key, count) for key, count in sorted(counted.items())]


@dataclass(frozen=True)
class Aggregate:
    """A counting question: what it groups by, the attributes it reads, and its statement."""

    register: str
    dimensions: tuple[str, ...]
    fields: tuple[str, ...]
    count: Callable[[dt.date], list[tuple]]


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
        cells = sorted(question.count(on))
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
