"""The writes after reading: routing a read document (to the person, their case or a queue)
and a caseworker's correction. Re-exported by ``services``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

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
            case_document_link(
                case=found.case,
                document_id=locked.pk,
                name=locked.original_name,
                document_type=locked.document_type,
                type_confidence=locked.type_confidence,
                fields=locked.fields,
                texts=_texts(locked.document_type, locked.fields),
                linked_by=next(s["by"] for s in found.steps if s["step"] == "case"),
            )
    return locked


def document_correct(
    *, document: Document, user, document_type: str, fields: dict[str, Any], note: str = ""
) -> DocumentCorrection:
    """A caseworker's correction of the type or the fields: kept with who made it and what it
    replaced, shown on every case the document is linked to, and learnt from by the next
    training run. Fields not of the (corrected) type are dropped; an empty value removes one."""
    if not document_visible_to(user=user, document=document):
        raise NotFound(_("There is no such document."))
    if document.status != Status.PROCESSED:
        raise CivicError(_("Only a document that has been read can be corrected."))
    if document_type not in DocumentType.values:
        raise CivicError(_("Choose one of the document types."))
    known = stored_field_names(document_type)
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
