"""The one path to personal data: check the purpose, the grant and consent, read, log, release.

API calls, staff pages and background jobs all come through ``register_query``. The access-log
entries (one per released subject) are written in the same transaction as the read; the answer
exists only after that transaction commits, so nothing leaves without its entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.core import clock, memo, traces, tracing
from civic.exchange import fetch, limits, sql, watch
from civic.exchange.actors import Actor
from civic.exchange.authorisation import (
    authorise,
    consent_check,
)
from civic.exchange.entries import log_entries_write
from civic.exchange.errors import (
    BadSubjects,
    SubjectNotFound,
    UnknownField,
    UnknownPurpose,
    UnknownRegister,
)
from civic.exchange.linked import linked_entries_write, persons_named_in_records
from civic.exchange.models import AccessLogEntry, Purpose
from civic.exchange.processing_limits import limits_check
from civic.exchange.staff_checks import staff_checks_pass
from civic.identity.models import Agency
from civic.registers.catalogue import REGISTERS, Register

MAX_SUBJECTS = 20


def _check_fields(register: Register, fields: list[str]) -> list[str]:
    if not fields:
        raise UnknownField(
            _("Name the fields you need in “fields”; there is no default."), items=[]
        )
    known = set(register.attribute_names())
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise UnknownField(
            ngettext(
                "Register “%(register)s” has no field %(fields)s.",
                "Register “%(register)s” has no fields %(fields)s.",
                len(unknown),
            )
            % {"register": register.key, "fields": ", ".join(f"“{f}”" for f in unknown)},
            items=unknown,
        )
    return sorted(set(fields))


def _check_subjects(register: str, subjects: list[str]) -> list[str]:
    if not subjects:
        raise BadSubjects(_("Name at least one subject."), items=[])
    if len(subjects) > MAX_SUBJECTS:
        raise BadSubjects(
            _("Ask for at most %(max)s subjects at a time; %(count)s were given.")
            % {"max": MAX_SUBJECTS, "count": len(subjects)},
            items=[],
        )
    cleaned: list[str] = []
    for subject in subjects:
        try:
            value = fetch.subject_clean(register, subject)
        except fetch.MalformedSubject as error:
            raise BadSubjects(str(error), items=[str(subject)]) from None
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def _preflight(
    actor: Actor, register: str, fields: list[str], purpose: str
) -> tuple[Register, list[str], Purpose]:
    """The checks that need no subject: register, fields, purpose, and (for staff, clients and
    jobs) that a grant covers the fields."""
    catalogue = REGISTERS.get(register)
    if catalogue is None:
        raise UnknownRegister(
            _("There is no register called “%(register)s”.") % {"register": register},
            items=[register],
        )
    fields = _check_fields(catalogue, list(fields))
    the_purpose = _purpose_get(purpose)
    if the_purpose is None:
        raise UnknownPurpose(
            _("There is no purpose called “%(purpose)s”.") % {"purpose": purpose}, items=[purpose]
        )
    if actor.kind != AccessLogEntry.ActorKind.RESIDENT:
        authorise(actor, the_purpose, register, fields, [])
    if actor.kind == AccessLogEntry.ActorKind.STAFF:
        staff_checks_pass(user_id=actor.id)
    return catalogue, fields, the_purpose


def _purpose_get(code: str) -> Purpose | None:
    """The purpose and its controller's code, from the process's memo (core.memo) or in one
    fixed statement."""
    return memo.remembered(("purpose", code), lambda: _purpose_read(code))


def _purpose_read(code: str) -> Purpose | None:
    rows = sql.fetch(
        f"SELECT p.id, p.code, p.name, p.name_nl, p.legal_ground, p.legal_basis, p.confidential, "  # noqa: S608
        f"p.embargo_days, a.id, a.code FROM {Purpose._meta.db_table} p "
        f"JOIN {Agency._meta.db_table} a ON a.id = p.controller_id WHERE p.code = %s",
        [code],
    )
    if not rows:
        return None
    pk, code, name, name_nl, ground, basis, confidential, embargo, agency_pk, agency_code = rows[0]
    return Purpose(
        id=pk,
        code=code,
        name=name,
        name_nl=name_nl,
        legal_ground=ground,
        legal_basis=basis,
        confidential=bool(confidential),
        embargo_days=embargo,
        controller=Agency(id=agency_pk, code=agency_code),
    )


def purpose_controller(code: str) -> str | None:
    """The code of the agency that controls the purpose, or None if there is no such purpose."""
    purpose = _purpose_get(code)
    return purpose.controller.code if purpose else None


def register_query(
    *,
    actor: Actor,
    register: str,
    subjects: list[str],
    fields: list[str],
    purpose: str,
    case: str = "",
    valid_at: dt.date | None = None,
    known_at: dt.datetime | None = None,
    trace_id: str = "",
    kind: str = AccessLogEntry.Kind.LOOKUP,
    rows_about: str = "",
    history: bool = False,
) -> dict[str, Any]:
    """Read ``fields`` of ``subjects`` for ``purpose``; refuse the whole request or log and release it all.

    ``history``: every version the register recorded, not those of one moment (fetch.records_read);
    only the subject-access export asks for it, not the HTTP API.

    ``rows_about`` (a personal number): of the records naming holders (a vehicle's owners, a
    business's roles), release and log only the rows about that person (a subject-access
    export); the other holders' rows are neither released nor logged as released."""
    # The query's span and its steps carry codes and counts, never a subject (core.traces).
    with traces.span(
        "exchange.query", {"civic.actor.kind": actor.kind, "civic.subjects": len(subjects)}
    ):
        return _query(
            actor=actor,
            register=register,
            subjects=subjects,
            fields=fields,
            purpose=purpose,
            case=case,
            valid_at=valid_at,
            known_at=known_at,
            trace_id=trace_id,
            kind=kind,
            rows_about=rows_about,
            history=history,
        )


def _query(
    *,
    actor: Actor,
    register: str,
    subjects: list[str],
    fields: list[str],
    purpose: str,
    case: str,
    valid_at: dt.date | None,
    known_at: dt.datetime | None,
    trace_id: str,
    kind: str,
    rows_about: str = "",
    history: bool = False,
) -> dict[str, Any]:
    with traces.span("exchange.check"):  # purpose, grant, consent, subjects: or a refusal
        catalogue, fields, the_purpose = _preflight(actor, register, fields, purpose)
        subjects = _check_subjects(register, list(subjects))
        # The request's trace id (core.tracing) links the access log to the request's log lines.
        trace_id = trace_id or tracing.trace_id() or uuid.uuid4().hex
        if kind == AccessLogEntry.Kind.LOOKUP and register in watch.WALK_OF_REGISTER:
            # What a client named itself; a search's hits were noted as the search it made.
            watch.asked(
                actor=actor,
                walk=watch.WALK_OF_REGISTER[register],
                identifiers=subjects,
                trace_id=trace_id,
            )
        if actor.kind == AccessLogEntry.ActorKind.RESIDENT:
            authorise(actor, the_purpose, register, fields, subjects)
        consent_check(the_purpose, register, subjects)
        # An upheld objection or a restriction (GDPR arts. 21, 18) refuses the whole request.
        limits_check(actor, the_purpose, register, subjects)
        missing = fetch.subjects_missing(register, subjects)
        if missing:
            raise SubjectNotFound(
                ngettext(
                    "Register “%(register)s” has no subject %(subjects)s.",
                    "Register “%(register)s” has no subjects %(subjects)s.",
                    len(missing),
                )
                % {"register": register, "subjects": ", ".join(f"“{s}”" for s in missing)},
                items=missing,
            )
    # Named once they are known ones: what a caller typed never goes into a span.
    traces.annotate({"civic.register": catalogue.key, "civic.purpose": the_purpose.code})
    released = sorted(set(fields) | set(catalogue.always_delivered))
    now = clock.now()
    # Counted against the client's limits last, when nothing but the release can refuse it;
    # past a limit the whole call is refused (429) before anything is read or logged.
    taken = limits.subjects_take(actor, len(subjects))
    # "exchange.release" opens after the append and closes once the transaction has committed:
    # from then on the entries are durable and the answer may leave.
    with contextlib.ExitStack() as releasing:
        try:
            records = _read_and_log(
                releasing,
                actor=actor,
                purpose=the_purpose,
                register=register,
                subjects=subjects,
                released=released,
                valid_at=valid_at,
                known_at=known_at,
                case=case,
                kind=kind,
                trace_id=trace_id,
                at=now,
                rows_about=rows_about,
                history=history,
            )
        except BaseException:
            limits.subjects_give_back(taken)
            raise
        watch.released(actor=actor, taken=taken, trace_id=trace_id)
        return {
            "register": register,
            "purpose": the_purpose.code,
            "valid_at": valid_at.isoformat() if valid_at else None,
            "known_at": None if history else (known_at or now).isoformat(),
            "trace_id": trace_id,
            "results": [{"subject": s, "records": records[s]} for s in subjects],
        }


def _read_and_log(
    releasing: contextlib.ExitStack,
    *,
    actor: Actor,
    purpose: Purpose,
    register: str,
    subjects: list[str],
    released: list[str],
    valid_at: dt.date | None,
    known_at: dt.datetime | None,
    case: str,
    kind: str,
    trace_id: str,
    at: dt.datetime,
    rows_about: str = "",
    history: bool = False,
) -> dict[str, dict[str, Any]]:
    """Read and log in one transaction; the release's span opens in ``releasing`` as it
    commits."""
    with transaction.atomic():
        with traces.span("exchange.register_read", {"civic.fields": len(released)}):
            records = fetch.records_read(
                register=register,
                subjects=subjects,
                fields=released,
                valid_at=valid_at,
                known_at=known_at,
                history=history,
            )
            if rows_about:
                records = fetch.rows_about_only(register, records, rows_about)
        with traces.span("exchange.access_log_append", {"civic.entries": len(subjects)}):
            log_entries_write(
                actor=actor,
                purpose=purpose,
                register=register,
                subjects=subjects,
                fields=released,
                case=case,
                kind=kind,
                trace_id=trace_id,
                at=at,
            )
            linked_entries_write(
                actor=actor,
                purpose=purpose,
                named=persons_named_in_records(register, records, subjects),
                case=case,
                trace_id=trace_id,
                at=at,
            )
        releasing.enter_context(traces.span("exchange.release"))
    return records


def persons_search(
    *,
    actor: Actor,
    fields: list[str],
    purpose: str,
    family_name: str | None = None,
    birth_date: dt.date | None = None,
    address: str | None = None,
    case: str = "",
    trace_id: str = "",
) -> dict[str, Any]:
    """Find living residents by name and birth date or by address; each hit is logged as a search."""
    if not (address or (family_name and birth_date)):
        raise BadSubjects(
            _("Search by family name and birth date, or by address identifier."), items=[]
        )
    _preflight(actor, "persons", fields, purpose)
    trace_id = trace_id or tracing.trace_id() or uuid.uuid4().hex
    if address:
        watch.asked(
            actor=actor, walk="address-identifiers", identifiers=[address], trace_id=trace_id
        )
    else:
        watch.asked(
            actor=actor,
            walk="birth-dates",
            identifiers=[birth_date.isoformat()],
            trace_id=trace_id,
            within=watch.family_name_key(family_name),
        )
    hits = fetch.persons_search(family_name=family_name, birth_date=birth_date, address=address)
    if not hits:
        return {
            "register": "persons",
            "purpose": purpose,
            "trace_id": trace_id,
            "results": [],
        }
    return register_query(
        actor=actor,
        register="persons",
        subjects=hits,
        fields=fields,
        purpose=purpose,
        case=case,
        trace_id=trace_id,
        kind=AccessLogEntry.Kind.SEARCH,
    )
