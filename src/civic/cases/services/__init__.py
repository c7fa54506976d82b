"""Writes of the cases app. Every change to a case names the version the caseworker saw: if
someone else changed the case since, the change is refused and nothing is overwritten."""

from civic.cases.services.api_access import case_api_access_grant, case_api_access_revoke
from civic.cases.services.automated import (
    case_decide_by_rules,
    case_to_caseworker,
    decision_review_request,
)
from civic.cases.services.common import StaleCase
from civic.cases.services.decision_days import decision_days_rebuild
from civic.cases.services.documents import case_document_correct, case_document_link
from civic.cases.services.resident import (
    IntakeDocument,
    application_submit,
    case_message_from_resident,
    case_open_for_request,
    case_open_for_submission,
    information_answer,
    objection_file,
)
from civic.cases.services.retention import case_retention_apply, case_retention_rules
from civic.cases.services.staff import (
    case_deadline_extend,
    case_decide,
    case_message_send,
    case_note_add,
    case_transition,
    case_type_ensure,
    cases_assign,
    information_request,
    task_add,
    task_done,
)
from civic.cases.services.subscriptions import case_events_subscribe, case_events_unsubscribe

__all__ = [
    "IntakeDocument",
    "StaleCase",
    "application_submit",
    "case_api_access_grant",
    "case_api_access_revoke",
    "case_deadline_extend",
    "case_decide",
    "case_decide_by_rules",
    "case_document_correct",
    "case_document_link",
    "case_events_subscribe",
    "case_events_unsubscribe",
    "case_message_from_resident",
    "case_message_send",
    "case_note_add",
    "case_open_for_request",
    "case_open_for_submission",
    "case_retention_apply",
    "case_retention_rules",
    "case_to_caseworker",
    "case_transition",
    "case_type_ensure",
    "cases_assign",
    "decision_days_rebuild",
    "decision_review_request",
    "information_answer",
    "information_request",
    "objection_file",
    "task_add",
    "task_done",
]
