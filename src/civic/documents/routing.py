"""Routing a read document: to the person it concerns, to their open case, or else to the queue
of the agency that takes in documents, with each step's reason and how sure it was.

1. **The person.** The resident who sent it from their account (sure: 1.0); else the personal
   number read from the document, if the persons register knows it (0.95 when the register's
   name of that person is in the text as well, 0.6 on the number alone). The person's names,
   address and date of birth are read through the exchange under the ``document-intake``
   purpose, as the job ``document-intake`` of the agency that controls it: logged, and shown
   in the person's "who used my data". Personal-data detection then finds those too.
2. **The case.** A case reference read from the document, when the case is the person's (or,
   with no person yet, the case's subject becomes the person): 1.0. Else the case it was sent
   from (1.0). Else the person's open case whose case type takes documents of this type
   (``CaseType.document_types``): the type's confidence, halved when the person has several.
3. **Else a queue**: the documents of the intake agency to route by hand.

Without the ``document-intake`` purpose (an installation with no set-up, as a backlog run on a
bare database) nothing is looked up and the document is ``unrouted``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from civic.cases.models import Case
from civic.cases.selectors import case_by_reference, open_cases_taking
from civic.documents.personal_data import PersonRecord
from civic.documents.personal_data.register import register_spans
from civic.exchange.actors import Actor
from civic.exchange.errors import QueryRefused
from civic.exchange.query import register_query
from civic.exchange.selectors import purpose_controller_get

PURPOSE = JOB = "document-intake"
PERSON_FIELDS = [
    "identity.given_names",
    "identity.family_name_prefix",
    "identity.family_name",
    "identity.birth_date",
    "residence.address",
]
ADDRESS_FIELDS = ["address.street", "address.house_number", "address.house_letter",
                  "address.postcode", "address.municipality"]  # fmt: skip


@dataclass
class Route:
    """What routing found: the person, their register record, the case, the queue, and the
    steps (``{"step", "value", "by", "confidence"}``) that the caseworker sees."""

    person: str = ""
    record: PersonRecord | None = None
    case: Case | None = None
    queue: str = ""  # agency code
    steps: list[dict[str, Any]] = field(default_factory=list)

    def step(self, step: str, value: str, by: str, confidence: float) -> None:
        self.steps.append(
            {"step": step, "value": value, "by": by, "confidence": round(confidence, 3)}
        )


def intake_agency() -> str | None:
    """The agency that takes in documents (the controller of the ``document-intake`` purpose),
    or None where the installation has no such purpose."""
    return purpose_controller_get(code=PURPOSE)


def _records(actor: Actor, register: str, subject: str, fields: list[str]) -> dict[str, Any]:
    """One subject's records of one register under the intake purpose; empty if the register
    does not know it or the exchange refuses."""
    try:
        rows = register_query(
            actor=actor, register=register, subjects=[subject], fields=fields, purpose=PURPOSE
        )["results"]
    except QueryRefused:
        return {}
    return rows[0]["records"] if rows else {}


def person_record(*, personal_number: str, agency: str) -> PersonRecord | None:
    """The person's names, address and date of birth as the registers hold them, read (and
    logged) under the intake purpose; None if the register does not know the number or the
    exchange refuses."""
    actor = Actor.job(JOB, agency=agency)
    records = _records(actor, "persons", personal_number, PERSON_FIELDS)
    if not records:
        return None
    identity = records.get("identity") or {}
    surname = " ".join(
        p for p in (identity.get("family_name_prefix"), identity.get("family_name")) if p
    )
    address = (records.get("residence") or {}).get("address")
    place = (_records(actor, "addresses", address, ADDRESS_FIELDS) if address else {}).get(
        "address"
    ) or {}
    number = f"{place.get('house_number') or ''}{place.get('house_letter') or ''}"
    birth = identity.get("birth_date")
    return PersonRecord(
        given_names=identity.get("given_names") or "",
        surname=surname,
        street=f"{place.get('street') or ''} {number}".strip(),
        postcode=place.get("postcode") or "",
        city=place.get("municipality") or "",
        birth_date=dt.date.fromisoformat(birth) if isinstance(birth, str) else birth,
    )


def route(
    *,
    sender: str,
    sent_for_case: str,
    document_type: str,
    type_confidence: float | None,
    fields: dict[str, Any],
    text: str,
) -> Route:
    """Where a document goes, from how it came in and what was read from it."""
    found = Route()
    agency = intake_agency()
    if agency is None:
        return found
    if sender:
        found.person = sender
        found.record = person_record(personal_number=sender, agency=agency)
        found.step("person", sender, "sender", 1.0)
    elif fields.get("personal_number"):
        number = fields["personal_number"]
        record = person_record(personal_number=number, agency=agency)
        if record is not None:
            named = any(span.kind == "name" for span in register_spans(text, record))
            found.person, found.record = number, record
            found.step("person", number, "document-number-and-name" if named else
                       "document-number", 0.95 if named else 0.6)  # fmt: skip
    _case(found, sent_for_case, document_type, type_confidence, fields, agency)
    if found.case is None:
        found.queue = agency
        found.step("queue", agency, "no-case", 1.0)
    return found


def _case(found: Route, sent_for_case: str, kind: str, confidence, fields, agency: str) -> None:
    reference = fields.get("case_reference") or ""
    named = case_by_reference(reference=reference) if reference else None
    if named is not None and named.closed_at is None:
        if not found.person:
            found.person = named.subject
            found.record = person_record(personal_number=named.subject, agency=agency)
            found.step("person", named.subject, "case-reference", 0.9)
        if found.person in (named.applicant, named.subject):
            found.case = named
            found.step("case", named.reference, "reference", 1.0)
            return
    if sent_for_case:
        attached = case_by_reference(reference=sent_for_case)
        if attached is not None and found.person in (attached.applicant, attached.subject):
            found.case = attached
            found.step("case", attached.reference, "attached", 1.0)
            return
    if not found.person or not kind or kind == "other":
        return
    candidates = open_cases_taking(personal_number=found.person, document_type=kind)
    if candidates:
        found.case = candidates[0]
        share = (confidence or 0.0) / (1 if len(candidates) == 1 else 2)
        found.step("case", found.case.reference, "match", share)
