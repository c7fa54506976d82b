"""The writes after reading: routing a read document (to the person, their case or a queue)
and a caseworker's correction. Re-exported by ``services``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civic.cases.selectors import case_for_staff
from civic.cases.services import case_document_correct, case_document_link
from civic.core.clock import now
from civic.core.errors import CivicError, NotFound
from civic.core.i18n import every_language
from civic.documents import routing
from civic.documents.extraction import ROUTING_KEYS, fields_named, stored_field_names
from civic.documents.extraction.names import field_label
from civic.documents.models import (
    Document,
    DocumentCorrection,
    DocumentPage,
    DocumentType,
    Status,
)
from civic.documents.personal_data import personal_data_find
from civic.documents.selectors import document_visible_to
from civic.identity.selectors import agency_get


def _texts(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The type's and the fields' names in every language, for the case's pages."""
    return {
        "type": every_language(lambda: DocumentType(kind).label if kind else _("not read")),
        "fields": {name: every_language(lambda n=name: field_label(n)) for name in fields},
    }


def _link(case, document: Document, linked_by: str) -> None:
    """Link the document to the case with what was read from it (see ``CaseDocument``)."""
    case_document_link(
        case=case,
        document_id=document.pk,
        name=document.original_name,
        document_type=document.document_type,
        type_confidence=document.type_confidence,
        fields=document.fields,
        texts=_texts(document.document_type, document.fields),
        linked_by=linked_by,
    )


def document_route(*, document: Document) -> Document:
    """Route a read document (see ``routing``) and store where it went, every step with how
    sure it was; with the person's register record, personal-data detection runs again and
    finds their names and address too. A document already routed is returned as it is."""
    if document.status != Status.PROCESSED or document.routed_at is not None:
        return document
    pages = list(DocumentPage.objects.filter(document=document).order_by("number"))
    texts = [page.text for page in pages]
    found = routing.route(
        sender=document.sender,
        sent_for_case=document.sent_for_case,
        document_type=document.document_type,
        type_confidence=document.type_confidence,
        # Whom and which case it names count whatever its type (a payslip's own fields have
        # no case reference); what extraction kept for the type comes first.
        fields={**fields_named(ROUTING_KEYS, texts), **document.fields},
        text="\n".join(texts),
    )
    findings = None
    if found.record is not None:
        findings = personal_data_find(texts, words=[p.words for p in pages], person=found.record)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.routed_at is not None:  # another process routed it meanwhile
            return locked
        locked.person = found.person
        locked.case_reference = found.case.reference if found.case else ""
        locked.queue = agency_get(code=found.queue) if found.queue else None
        locked.routing = found.steps
        locked.routed_at = now()
        if findings is not None:
            locked.personal_data = [finding.as_stored() for finding in findings]
        locked.save(
            update_fields=[
                "person",
                "case_reference",
                "queue",
                "routing",
                "routed_at",
                "personal_data",
            ]
        )
        if found.case is not None:
            _link(found.case, locked, next(s["by"] for s in found.steps if s["step"] == "case"))
    return locked


def document_correct(
    *, document: Document, user, document_type: str, fields: dict[str, Any], note: str = ""
) -> DocumentCorrection:
    """A caseworker's correction of the type or the fields: kept with who made it and what it
    replaced, shown on every case the document is linked to, and learnt from by the next
    training run. Fields of the type it had that the corrected type has not are dropped; a
    field of neither is refused; an empty value removes one."""
    if not document_visible_to(user=user, document=document):
        raise NotFound(_("There is no such document."))
    if document.status != Status.PROCESSED:
        raise CivicError(_("Only a document that has been read can be corrected."))
    if document_type not in DocumentType.values:
        raise CivicError(_("Choose one of the document types."))
    known = stored_field_names(document_type)
    # The form shows the fields of the type the document had: with a new type, those of them
    # the new type has not are dropped; a field of neither type is a mistake, and refused.
    previous = set(stored_field_names(document.document_type)) if document.document_type else set()
    fields = {
        name: value for name, value in fields.items() if name in known or name not in previous
    }
    unknown = sorted(set(fields) - set(known))
    if unknown:
        raise CivicError(
            _("A %(type)s has no field %(fields)s.")
            % {"type": DocumentType(document_type).label, "fields": ", ".join(unknown)}
        )
    corrected = {name: value.strip() for name, value in fields.items() if value.strip()}
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.document_type == document_type and locked.fields == corrected:
            raise CivicError(_("Nothing was changed."))
        correction = DocumentCorrection.objects.create(
            document=locked,
            corrected_by=user.get_username()[:150],
            corrected_at=now(),
            type_before=locked.document_type,
            type_after=document_type,
            fields_before=locked.fields,
            fields_after=corrected,
            note=note[:500],
        )
        if locked.document_type != document_type:  # a person's answer, not the model's
            locked.type_confidence = None
        locked.document_type, locked.fields = document_type, corrected
        locked.save(update_fields=["document_type", "type_confidence", "fields"])
        case_document_correct(
            document_id=locked.pk,
            document_type=document_type,
            fields=corrected,
            texts=_texts(document_type, corrected),
        )
    return correction


def document_route_by_hand(
    *, document: Document, user, case_reference: str = "", agency_code: str = ""
) -> Document:
    """A caseworker routes a document the pipeline left in their agency's queue: to a case of
    their agency (linked as routing would link it), or to another agency's queue. The step is
    kept with who took it, beside what the pipeline found."""
    if not document_visible_to(user=user, document=document):
        raise NotFound(_("There is no such document."))
    if document.status != Status.PROCESSED:
        raise CivicError(_("Only a document that has been read can be routed."))
    if document.case_reference:
        raise CivicError(
            _("The document is already linked to case %(reference)s.")
            % {"reference": document.case_reference}
        )
    if bool(case_reference) == bool(agency_code):
        raise CivicError(_("Give a case reference or choose an agency's queue, not both."))
    step = {"by": "staff", "confidence": 1.0, "user": user.get_username()[:150]}
    case = agency = None
    if case_reference:
        case = case_for_staff(user=user, reference=case_reference.strip().upper())
        if case is None:
            raise CivicError(
                _(
                    "Your agency has no case %(reference)s. For another agency's case, send the "
                    "document to that agency's queue."
                )
                % {"reference": case_reference}
            )
    else:
        agency = agency_get(code=agency_code)
        if agency is None:
            raise CivicError(_("Choose one of the agencies."))
        if agency.pk == document.queue_id:
            raise CivicError(_("The document is already in that agency's queue."))
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.case_reference:  # linked meanwhile, by routing or a colleague
            raise CivicError(
                _("The document is already linked to case %(reference)s.")
                % {"reference": locked.case_reference}
            )
        if case is not None:
            locked.case_reference, locked.queue = case.reference, None
            locked.person = locked.person or case.subject or case.applicant
            locked.routing = [*locked.routing, {"step": "case", "value": case.reference, **step}]
        else:
            locked.queue = agency
            locked.routing = [*locked.routing, {"step": "queue", "value": agency.code, **step}]
        locked.routed_at = now()
        locked.save(update_fields=["case_reference", "queue", "person", "routing", "routed_at"])
        if case is not None:
            _link(case, locked, "staff")
    return locked
