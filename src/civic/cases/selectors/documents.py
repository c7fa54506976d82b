"""Reads of the documents on cases, for document intake's routing and for the case pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civic.cases.models import OPEN_CASE, Case, CaseDocument


def case_documents(*, case: Case) -> list[CaseDocument]:
    return list(CaseDocument.objects.filter(case=case))


def case_by_reference(*, reference: str) -> Case | None:
    """The case with this reference, for routing a document that names it (the router checks
    that it is the person's)."""
    return Case.objects.select_related("case_type", "agency").filter(reference=reference).first()


def open_cases_taking(*, personal_number: str, document_type: str) -> list[Case]:
    """The person's open cases (as applicant or subject) whose case type takes documents of
    this type, newest first."""
    cases = (
        Case.objects.filter(OPEN_CASE)
        .filter(Q(applicant=personal_number) | Q(subject=personal_number))
        .select_related("case_type", "agency")
        .order_by("-pk")
    )
    return [c for c in cases if document_type in (c.case_type.document_types or [])]


def cases_of_document(*, document_id: int) -> list[Case]:
    """The cases a document is linked to."""
    return list(
        Case.objects.filter(documents__document_id=document_id)
        .select_related("case_type", "agency")
        .order_by("pk")
    )


def documents_linked_elsewhere(*, cases: QuerySet[Case]) -> QuerySet[CaseDocument]:
    """The ids (``document_id``) of documents linked to a case not among ``cases``: kept while
    that case keeps them."""
    return CaseDocument.objects.exclude(case__in=cases).values("document_id")


def documents_linked() -> QuerySet[CaseDocument]:
    """The ids (``document_id``) of every document linked to a case."""
    return CaseDocument.objects.values("document_id")
