"""The population reads themselves: authorised per part, logged before release."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from django.db import transaction

from civic.core import clock, traces, tracing
from civic.exchange import sql
from civic.exchange.actors import Actor
from civic.exchange.authorisation import authorise
from civic.exchange.entries import log_entries_write
from civic.exchange.errors import UnknownPurpose
from civic.exchange.models import AccessLogEntry
from civic.exchange.population.columns import Population, _columns, _concatenate
from civic.exchange.population.fields import ALL_REGISTERS, POPULATION_FIELDS, read_register
from civic.exchange.population.statements import _by_people, _family, _incomes, _sql, _table
from civic.exchange.processing_limits import stopped_among
from civic.exchange.query import _purpose_get
from civic.registers import models as m


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
                # Who objected to the purpose or is restricted is left out (GDPR arts. 21, 18):
                # neither read on nor released, and so not offered anything proactively.
                stopped = stopped_among(actor, the_purpose, [row[3] for row in rows])
                if stopped:
                    rows = [row for row in rows if row[3] not in stopped]
                people = sorted({row[2] for row in rows})
                # Only the registers the purpose needs are read (and logged): data minimisation.
                incomes = _incomes(people, on.year - 1) if "income" in registers else {}
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
