"""The one path to personal data: check the purpose, the grant and consent, read, log, release.

API calls, staff pages and background jobs all come through ``register_query``. The access-log
entries (one per released subject) are written in the same transaction as the read; the answer
exists only after that transaction commits, so nothing leaves without its entry.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.core import clock
from civic.exchange import fetch, sql
from civic.exchange.actors import Actor
from civic.exchange.errors import (
    BadSubjects,
    NoConsent,
    NotGranted,
    SubjectNotFound,
    UnknownField,
    UnknownPurpose,
    UnknownRegister,
)
from civic.exchange.models import AccessLogEntry, Consent, Grant, LegalGround, Purpose
from civic.exchange.pseudonyms import pseudonym
from civic.identity.models import Agency
from civic.identity.selectors import may_represent
from civic.identity.services import representation_refusal_record
from civic.registers.catalogue import REGISTERS, Register

MAX_SUBJECTS = 20


def grants_active(*, actor: Actor, purpose: Purpose, register: str | None = None):
    now = clock.now()
    grants = Grant.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now),
        purpose=purpose,
        valid_from__lte=now,
        revoked_at__isnull=True,
    )
    if register:
        grants = grants.filter(register=register)
    if actor.kind == AccessLogEntry.ActorKind.API_CLIENT:
        return grants.filter(api_client_id=actor.api_client_pk)
    if actor.kind == AccessLogEntry.ActorKind.STAFF:
        return grants.filter(staff_role__in=actor.roles, agency__code=actor.agency)
    if actor.kind == AccessLogEntry.ActorKind.JOB:
        return grants.filter(job=actor.id, agency__code=actor.agency)
    if actor.kind == AccessLogEntry.ActorKind.RESIDENT:
        return grants.filter(residents=True)
    return grants.none()


def _granted_attributes(actor: Actor, purpose: Purpose, register: str) -> set[str]:
    """The union of the attributes the actor's active grants allow (one fixed statement)."""
    table = Grant._meta.db_table
    if actor.kind == AccessLogEntry.ActorKind.API_CLIENT:
        grantee, params = "api_client_id = %s", [actor.api_client_pk]
    elif actor.kind == AccessLogEntry.ActorKind.STAFF:
        if not actor.roles:
            return set()
        marks = ", ".join(["%s"] * len(actor.roles))
        grantee = f"staff_role IN ({marks}) AND agency_id = (SELECT id FROM identity_agency WHERE code = %s)"  # noqa: S608
        params = [*sorted(actor.roles), actor.agency]
    elif actor.kind == AccessLogEntry.ActorKind.JOB:
        grantee, params = (
            "job = %s AND agency_id = (SELECT id FROM identity_agency WHERE code = %s)",
            [actor.id, actor.agency],
        )
    elif actor.kind == AccessLogEntry.ActorKind.RESIDENT:
        # Which subjects a resident may read is checked by the caller: their own, or a
        # represented person's.
        grantee, params = "residents = %s", [True]
    else:
        return set()
    now = sql.moment(clock.now())
    rows = sql.fetch(
        f"SELECT attributes FROM {table} WHERE purpose_id = %s AND register = %s AND revoked_at IS NULL "  # noqa: S608
        f"AND valid_from <= %s AND (valid_until IS NULL OR valid_until > %s) AND {grantee}",
        [purpose.pk, register, now, now, *params],
    )
    granted: set[str] = set()
    for (attributes,) in rows:
        granted.update(json.loads(attributes) if isinstance(attributes, str) else attributes)
    return granted


def _public_attributes(register: Register) -> set[str]:
    from civic.registers.catalogue import Classification

    return {
        f"{record.key}.{a.name}"
        for record in register.records
        for a in record.attributes
        if a.classification == Classification.PUBLIC
    }


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


def _authorise(
    actor: Actor, purpose: Purpose, register: str, fields: list[str], subjects: list[str]
) -> None:
    if actor.kind == AccessLogEntry.ActorKind.RESIDENT:
        if (
            actor.on_behalf_of
            and may_represent(representative=actor.id, person=actor.on_behalf_of) is None
        ):
            representation_refusal_record(
                actor=actor.id, person=actor.on_behalf_of, where=f"exchange:{register}"
            )
            raise NotGranted(_("You may not act for this person."), items=[actor.on_behalf_of])
        own = {actor.id, actor.on_behalf_of} - {""}
        if REGISTERS[register].subject != "person":
            # Residents may read public registers (their address's details), nothing else there.
            public = _public_attributes(REGISTERS[register])
            if not set(fields) <= public:
                raise NotGranted(
                    _("A resident may read only the public data of this register."),
                    items=sorted(set(fields) - public),
                )
        elif not set(subjects) <= own:
            raise NotGranted(
                _("A resident may read only their own data, or data of someone they act for."),
                items=[s for s in subjects if s not in own],
            )
        if purpose.code == settings.OWN_DATA_PURPOSE:
            return
    granted = _granted_attributes(actor, purpose, register)
    if not granted:
        raise NotGranted(
            _("You hold no grant for purpose “%(purpose)s” on register “%(register)s”.")
            % {"purpose": purpose.code, "register": register},
            items=[purpose.code],
        )
    refused = [f for f in fields if f not in granted]
    if refused:
        raise NotGranted(
            _(
                "Your grant for purpose “%(purpose)s” does not cover %(fields)s; nothing was released."
            )
            % {"purpose": purpose.code, "fields": ", ".join(f"“{f}”" for f in refused)},
            items=refused,
        )


def _check_consent(purpose: Purpose, register: str, subjects: list[str]) -> None:
    if purpose.legal_ground != LegalGround.CONSENT:
        return
    pseudonyms = {pseudonym(register, s): s for s in subjects}
    consenting = set(
        Consent.objects.filter(
            purpose=purpose, subject__in=pseudonyms, withdrawn_at__isnull=True
        ).values_list("subject", flat=True)
    )
    missing = [s for p, s in pseudonyms.items() if p not in consenting]
    if missing:
        raise NoConsent(
            ngettext(
                "Purpose “%(purpose)s” rests on consent, and %(count)s subject has not given it (or withdrew it).",
                "Purpose “%(purpose)s” rests on consent, and %(count)s subjects have not given it (or withdrew it).",
                len(missing),
            )
            % {"purpose": purpose.code, "count": len(missing)},
            items=missing,
        )


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
        _authorise(actor, the_purpose, register, fields, [])
    return catalogue, fields, the_purpose


def _purpose_get(code: str) -> Purpose | None:
    """The purpose and its controller's code, in one fixed statement."""
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
) -> dict[str, Any]:
    """Read ``fields`` of ``subjects`` for ``purpose``; refuse the whole request or log and release it all."""
    catalogue, fields, the_purpose = _preflight(actor, register, fields, purpose)
    subjects = _check_subjects(register, list(subjects))
    if actor.kind == AccessLogEntry.ActorKind.RESIDENT:
        _authorise(actor, the_purpose, register, fields, subjects)
    _check_consent(the_purpose, register, subjects)
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
    released = sorted(set(fields) | set(catalogue.always_delivered))
    trace_id = trace_id or uuid.uuid4().hex
    now = clock.now()
    with transaction.atomic():
        records = fetch.records_read(
            register=register,
            subjects=subjects,
            fields=released,
            valid_at=valid_at,
            known_at=known_at,
        )
        log_entries_write(
            actor=actor,
            purpose=the_purpose,
            register=register,
            subjects=subjects,
            fields=released,
            case=case,
            kind=kind,
            trace_id=trace_id,
            at=now,
        )
    return {
        "register": register,
        "purpose": the_purpose.code,
        "valid_at": valid_at.isoformat() if valid_at else None,
        "known_at": (known_at or now).isoformat(),
        "trace_id": trace_id,
        "results": [{"subject": s, "records": records[s]} for s in subjects],
    }


def log_entries_write(
    *,
    actor: Actor,
    purpose: Purpose,
    register: str,
    subjects: list[str],
    fields: list[str],
    case: str,
    kind: str,
    trace_id: str,
    at: dt.datetime,
) -> None:
    """One entry per released subject; the caller holds the transaction."""
    visible_from = at + dt.timedelta(days=purpose.embargo_days) if purpose.confidential else at
    actor_id = (
        pseudonym("persons", actor.id)
        if actor.kind == AccessLogEntry.ActorKind.RESIDENT
        else actor.id
    )
    on_behalf_of = pseudonym("persons", actor.on_behalf_of) if actor.on_behalf_of else ""
    agency = actor.agency or purpose.controller.code
    fields_text = ",".join(fields)
    entries_insert(
        [
            (
                sql.moment(at),
                actor.kind,
                actor_id,
                on_behalf_of,
                agency,
                purpose.code,
                purpose.legal_ground,
                purpose.legal_basis,
                register,
                pseudonym(register, subject),
                fields_text,
                case,
                kind,
                trace_id,
                sql.moment(visible_from),
            )
            for subject in subjects
        ]
    )


INSERTED_COLUMNS = (
    "at",
    "actor_kind",
    "actor",
    "on_behalf_of",
    "agency",
    "purpose",
    "legal_ground",
    "legal_basis",
    "register",
    "subject",
    "fields",
    "case",
    "kind",
    "trace_id",
    "visible_from",
)
_QUOTED_COLUMNS = ", ".join('"' + c + '"' for c in INSERTED_COLUMNS)
_MARKS = ", ".join(["%s"] * len(INSERTED_COLUMNS))
INSERT_ENTRY = (
    f'INSERT INTO "{AccessLogEntry._meta.db_table}" ({_QUOTED_COLUMNS}, "leaf_hash") '  # noqa: S608
    f"VALUES ({_MARKS}, '')"
)


def entries_insert(rows: list[tuple]) -> None:
    """Write access-log entries (columns in INSERTED_COLUMNS order) in one statement."""
    sql.execute_many(INSERT_ENTRY, rows)


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
    hits = fetch.persons_search(family_name=family_name, birth_date=birth_date, address=address)
    if not hits:
        return {
            "register": "persons",
            "purpose": purpose,
            "trace_id": trace_id or uuid.uuid4().hex,
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
