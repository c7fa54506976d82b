"""Reads of the cases app, for pages, APIs and other apps: the workbench queue (staff), one
case for staff, for the resident or for an API client, the resident's cases, the case's register
data, and case types. Other apps import these names from here, not from the modules."""

from civic.cases.export import answer_documents_about, cases_exported
from civic.cases.kpis import (
    automated_decision_references,
    case_type_figures,
    cases_opened_per_day,
    caseworker_pace,
)
from civic.cases.selectors.case_types import (
    case_get,
    case_type_purposes,
    case_types_list,
    cases_past_retention,
    decided_cases,
    workflow_problems,
)
from civic.cases.selectors.clients import case_for_client, cases_for_client, client_acting
from civic.cases.selectors.documents import (
    case_by_reference,
    case_documents,
    cases_of_document,
    documents_linked,
    documents_linked_elsewhere,
    open_cases_taking,
)
from civic.cases.selectors.register_data import case_register_data
from civic.cases.selectors.residents import (
    answer_document_get,
    answer_documents,
    case_for_resident,
    cases_of_resident,
    cases_of_resident_count,
    decision_period_words,
    expected_decision,
    information_open,
    state_label,
    timeline,
)
from civic.cases.selectors.staff import (
    case_for_staff,
    case_type_codes_of,
    cases_by_reference,
    overdue_count,
    queue,
    queue_facets,
    sees_privacy_cases,
    transitions_for,
)
from civic.cases.selectors.volumes import case_durations, case_type_months, case_volumes

__all__ = [
    "answer_document_get",
    "answer_documents",
    "answer_documents_about",
    "automated_decision_references",
    "case_by_reference",
    "case_documents",
    "case_durations",
    "case_for_client",
    "case_for_resident",
    "case_for_staff",
    "case_get",
    "case_register_data",
    "case_type_codes_of",
    "case_type_figures",
    "case_type_months",
    "case_type_purposes",
    "case_types_list",
    "case_volumes",
    "cases_by_reference",
    "cases_exported",
    "cases_for_client",
    "cases_of_document",
    "cases_of_resident",
    "cases_of_resident_count",
    "cases_opened_per_day",
    "cases_past_retention",
    "caseworker_pace",
    "client_acting",
    "decided_cases",
    "decision_period_words",
    "documents_linked",
    "documents_linked_elsewhere",
    "expected_decision",
    "information_open",
    "open_cases_taking",
    "overdue_count",
    "queue",
    "queue_facets",
    "sees_privacy_cases",
    "state_label",
    "timeline",
    "transitions_for",
    "workflow_problems",
]
