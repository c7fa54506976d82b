"""What the exchange holds and logged about one person, for their access or portability export
(GDPR arts. 15 and 20): their register records with their history (every version the
registers recorded: ended, superseded and corrected ones too), read through the exchange under
the subject-access purpose (so the reads are checked against its grants and logged like any
other), the vehicles and businesses they hold or held (found by their number, then read the
same way, with only their own ownership and role rows released), their consents, and the access-log
entries of their data tracker. Nothing about another person: the records say what the
registers hold about this person (a child's number as held about the parent, not a co-owner's
role), and the log entries leave out whose pseudonyms acted or were read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q

from civic.core import clock
from civic.exchange import fetch
from civic.exchange.actors import Actor
from civic.exchange.errors import SubjectNotFound
from civic.exchange.models import AccessLogEntry, Consent, Grant, Purpose
from civic.exchange.pseudonyms import person_pseudonym
from civic.exchange.query import MAX_SUBJECTS, register_query
from civic.registers.catalogue import REGISTERS

#: Registers whose subject is a person, read by the personal number; then the addresses
#: the person's records refer to.
PERSON_REGISTERS = ("persons", "income")
#: Registers whose subject is a thing the person holds (a vehicle they own, a business they
#: own or represent), found by the holder's number (exchange.fetch.HELD_BY).
HELD_REGISTERS = ("vehicles", "businesses")
LOG_FIELDS = (
    "at",
    "actor_kind",
    "on_behalf_of",
    "agency",
    "purpose",
    "legal_ground",
    "legal_basis",
    "register",
    "fields",
    "case",
    "kind",
    "trace_id",
    "position",
    "leaf_hash",
)


def _granted(purpose: Purpose, actor: Actor, register: str) -> list[str]:
    """The attributes of ``register`` the subject-access job may read: what its grants name."""
    names: set[str] = set()
    for grant in Grant.objects.filter(
        purpose=purpose, register=register, job=actor.id, revoked_at__isnull=True
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=clock.now())):
        names.update(grant.attributes)
    return sorted(names & set(REGISTERS[register].attribute_names()))


def subject_records(*, personal_number: str, case: str = "") -> dict[str, Any]:
    """The person's records in every register the subject-access purpose is granted, every
    version the register holds (``history``), as the exchange releases them (logged under that
    purpose, with ``case`` if a request's case)."""
    code = settings.SUBJECT_ACCESS_PURPOSE
    purpose = Purpose.objects.select_related("controller").filter(code=code).first()
    if purpose is None:
        return {}
    actor = Actor.job(code, agency=purpose.controller.code)
    out: dict[str, Any] = {}
    for register in PERSON_REGISTERS:
        fields = _granted(purpose, actor, register)
        if not fields:
            continue
        try:
            answer = register_query(
                actor=actor,
                register=register,
                subjects=[personal_number],
                fields=fields,
                purpose=code,
                case=case,
                history=True,
            )
        except SubjectNotFound:
            continue  # the register holds nothing about the person
        out[register] = answer["results"][0]["records"]
    addresses = sorted(_addresses_in(out.get("persons", {})))
    fields = _granted(purpose, actor, "addresses")
    if addresses and fields:
        out["addresses"] = {}
        # Every address ever lived at: more than one query's worth for a much-moved person.
        for start in range(0, len(addresses), MAX_SUBJECTS):
            answer = register_query(
                actor=actor,
                register="addresses",
                subjects=addresses[start : start + MAX_SUBJECTS],
                fields=fields,
                purpose=code,
                case=case,
                history=True,
            )
            out["addresses"].update({row["subject"]: row["records"] for row in answer["results"]})
    for register in HELD_REGISTERS:
        held = _held(purpose, actor, register, personal_number=personal_number, case=case)
        if held:
            out[register] = held
    return out


def _held(
    purpose: Purpose, actor: Actor, register: str, *, personal_number: str, case: str
) -> dict[str, Any]:
    """{subject: records} of what the person holds or held in ``register``, read through the
    exchange (logged per subject, and in the person's tracker as named in its records); of the
    holders' rows only the person's own (a co-owner's role or an earlier owner is not theirs).
    Without a grant of the holder attribute nothing is read: the rows could not be told apart."""
    fields = _granted(purpose, actor, register)
    record, attribute = fetch.HELD_BY[register]
    if f"{record}.{attribute}" not in fields:
        return {}
    subjects = fetch.subjects_held_by(
        register=register, personal_number=personal_number, history=True
    )
    out: dict[str, Any] = {}
    for start in range(0, len(subjects), MAX_SUBJECTS):
        answer = register_query(
            actor=actor,
            register=register,
            subjects=subjects[start : start + MAX_SUBJECTS],
            fields=fields,
            purpose=purpose.code,
            case=case,
            rows_about=personal_number,
            history=True,
        )
        out.update({row["subject"]: row["records"] for row in answer["results"]})
    return out


def subject_consents(*, personal_number: str) -> list[dict[str, Any]]:
    """Every consent the person gave, oldest first, withdrawn ones included (with when)."""
    rows = (
        Consent.objects.filter(subject=person_pseudonym(personal_number))
        .select_related("purpose__controller")
        .order_by("given_at", "pk")
    )
    return [
        {
            "purpose": consent.purpose.code,
            "purpose_name": consent.purpose.name,
            "controller": consent.purpose.controller.code,
            "given_at": consent.given_at.isoformat(),
            "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
        }
        for consent in rows
    ]


def _addresses_in(records: dict[str, Any]) -> set[str]:
    found = set()
    for rows in records.values():
        for row in rows if isinstance(rows, list) else [rows]:
            if isinstance(row, dict) and row.get("address"):
                found.add(row["address"])
    return found


def subject_log(*, personal_number: str) -> list[dict[str, Any]]:
    """Every entry of the person's data tracker, oldest first: uses of their data, and what
    they did acting for someone else (that person's pseudonym left out). An entry of a
    confidential purpose appears once its embargo has passed, as in the tracker."""
    me = person_pseudonym(personal_number)
    visible = Q(visible_from__lte=clock.now())
    about_me = AccessLogEntry.objects.filter(visible, subject=me)
    for_others = (
        AccessLogEntry.objects.filter(visible, actor=me)
        .exclude(on_behalf_of="")
        .exclude(subject=me)
    )
    rows = list(about_me.values("id", *LOG_FIELDS)) + [
        {**row, "acting_for_someone_else": True} for row in for_others.values("id", *LOG_FIELDS)
    ]
    rows.sort(key=lambda row: (row["at"], row["id"]))
    return [
        {
            "at": row["at"].isoformat(),
            "actor_kind": row["actor_kind"],
            "acting_for_someone": bool(row["on_behalf_of"]),
            "acting_for_someone_else": row.get("acting_for_someone_else", False),
            "agency": row["agency"],
            "purpose": row["purpose"],
            "legal_ground": row["legal_ground"],
            "legal_basis": row["legal_basis"],
            "register": row["register"],
            "fields": row["fields"].split(",") if row["fields"] else [],
            "case": row["case"],
            "kind": row["kind"],
            "trace_id": row["trace_id"],
            "position": row["position"],
            "leaf_hash": row["leaf_hash"],
        }
        for row in rows
    ]
