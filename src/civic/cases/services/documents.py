"""Documents on a case: document intake (a higher layer) links a document it has read to a case
and tells what it is and what was read from it; the case keeps that, shows it to the
caseworker and the resident, and notes its arrival on the timeline. A caseworker's correction
of the document reaches the case the same way."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civic.cases.models import Case, CaseDocument, CaseEvent
from civic.cases.services.common import _event
from civic.core import clock
from civic.core.i18n import every_language, tr


@transaction.atomic
def case_document_link(
    *,
    case: Case,
    document_id: int,
    name: str,
    document_type: str,
    type_confidence: float | None,
    fields: dict[str, Any],
    texts: dict[str, Any],
    linked_by: str,
) -> CaseDocument:
    """Link a read document to ``case`` (once: linking it again updates what it says) and note
    it on the timeline, in every language, for the resident to see: "Document received:
    payslip". ``texts`` names the type and the fields in every language (see the model)."""
    linked, created = CaseDocument.objects.select_for_update().get_or_create(
        case=case,
        document_id=document_id,
        defaults={
            "name": name[:255],
            "document_type": document_type,
            "type_confidence": type_confidence,
            "fields": fields,
            "texts": texts,
            "linked_by": linked_by,
            "linked_at": clock.now(),
        },
    )
    if not created:
        linked.document_type, linked.type_confidence = document_type, type_confidence
        linked.fields, linked.texts = fields, texts
        linked.save(update_fields=["document_type", "type_confidence", "fields", "texts"])
        return linked
    _event(
        case,
        CaseEvent.Kind.DOCUMENT,
        text=every_language(
            lambda: (
                _("Document received: %(type)s (%(name)s)")
                % {"type": tr(texts.get("type", {})), "name": name}
            )
        ),
    )
    return linked


@transaction.atomic
def case_document_correct(
    *, document_id: int, document_type: str, fields: dict[str, Any], texts: dict[str, Any]
) -> int:
    """A caseworker corrected the document: every case it is linked to shows the corrected type
    and fields from now on. Returns the number of cases told."""
    return CaseDocument.objects.filter(document_id=document_id).update(
        document_type=document_type,
        type_confidence=None,
        fields=fields,
        texts=texts,
        corrected_at=clock.now(),
    )
