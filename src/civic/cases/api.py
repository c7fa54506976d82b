"""The case API, version 1, for other systems of an agency (its archive, its back office):
the cases of the case types a client was given, one case with its timeline, decision and
documents, the subject's register data (read through the exchange under the case's purpose,
logged), and status changes under the same workflow rules and version check as the workbench.

Clients authenticate with HTTP Basic like the exchange's partners; a case of another agency,
or of a case type the client was not given, is 404. Every refusal is problem+json.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from civic.cases import selectors, services
from civic.cases import workflow as flow
from civic.cases.api_subscriptions import router as subscriptions_router
from civic.cases.models import Case
from civic.core.errors import NotFound
from civic.core.i18n import tr
from civic.exchange.api import Moment, partner
from civic.forms.selectors import uploads_of

router = Router(tags=["cases"], auth=partner)

FILE_RESPONSE = {
    "description": "The file, as the resident uploaded it (its own media type)",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}


class CaseSummary(Schema):
    reference: str
    case_type: str
    state: str
    state_label: str
    opened_at: dt.datetime
    deadline: dt.date = Field(..., description="When the decision is due by law")
    closed_at: dt.datetime | None
    updated_at: dt.datetime
    version: int = Field(..., description="Name it in a status change: a stale one is refused")


class CaseList(Schema):
    total: int
    offset: int
    limit: int
    cases: list[CaseSummary]


class TimelineEvent(Schema):
    at: dt.datetime
    kind: str
    actor: str
    from_state: str
    to_state: str
    status: str
    text: str
    public: bool = Field(..., description="Shown to the resident too")


class DecisionOut(Schema):
    outcome: str
    reasons: str
    decided_by: str
    decided_at: dt.datetime
    automated: bool


class DocumentOut(Schema):
    id: int
    field: str
    name: str
    content_type: str
    size: int
    scan: str


class TransitionOut(Schema):
    name: str
    label: str
    to: str


class CaseDetail(CaseSummary):
    subject: str = Field(..., description="Personal number of the person the case is about")
    applicant: str = Field(..., description="Personal number of who applied")
    team: str
    timeline: list[TimelineEvent]
    decision: DecisionOut | None
    documents: list[DocumentOut]
    transitions: list[TransitionOut] = Field(
        ..., description="The status changes this client may make now (POST …/transitions)"
    )


class RegisterRow(Schema):
    attribute: str
    value: Any


class RegisterSection(Schema):
    register_key: str = Field(..., description="The register read: persons, addresses, …")
    rows: list[RegisterRow]


class TransitionIn(Schema):
    transition: str = Field(..., min_length=1, max_length=60)
    expected_version: int = Field(..., ge=1, le=2_000_000_000)
    note: str = Field("", max_length=4000)


class CaseFilter(Schema):
    state: str = Field("", max_length=40)
    case_type: str = Field("", max_length=50)
    updated_since: Moment | None = None
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(50, ge=1, le=200)


def _summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "case_type": case.case_type.code,
        "state": case.state,
        "state_label": flow.state_label(case.case_type.workflow, case.state),
        "opened_at": case.opened_at,
        "deadline": case.deadline,
        "closed_at": case.closed_at,
        "updated_at": case.updated_at,
        "version": case.version,
    }


def _acting(request):
    return selectors.client_acting(client=request.auth)


def _case(request, reference: str):
    acting = _acting(request)
    case = selectors.case_for_client(acting=acting, reference=reference)
    if case is None:
        raise NotFound(_("There is no such case."))
    return acting, case


@router.get("/cases", response=CaseList, summary="The cases this client may see")
def cases_list(request, filters: Query[CaseFilter]):
    total, page = selectors.cases_for_client(
        acting=_acting(request),
        state=filters.state,
        case_type=filters.case_type,
        updated_since=filters.updated_since,
        offset=filters.offset,
        limit=filters.limit,
    )
    return {
        "total": total,
        "offset": filters.offset,
        "limit": filters.limit,
        "cases": [_summary(case) for case in page],
    }


@router.get("/cases/{reference}", response=CaseDetail, summary="One case")
def case_read(request, reference: str):
    acting, case = _case(request, reference)
    decision = getattr(case, "decision", None)
    uploads = uploads_of(submission=case.submission) if case.submission else []
    return {
        **_summary(case),
        "subject": case.subject,
        "applicant": case.applicant,
        "team": case.team,
        "timeline": [
            {
                "at": e.at,
                "kind": e.kind,
                "actor": e.actor,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "status": e.status,
                "text": e.text,
                "public": e.public,
            }
            for e in selectors.timeline(case=case)
        ],
        "decision": (
            {
                "outcome": decision.outcome,
                "reasons": decision.reasons,
                "decided_by": decision.decided_by,
                "decided_at": decision.decided_at,
                "automated": decision.automated,
            }
            if decision
            else None
        ),
        "documents": [
            {
                "id": u.pk,
                "field": u.field,
                "name": u.name,
                "content_type": u.content_type,
                "size": u.size,
                "scan": u.scan,
            }
            for u in uploads
        ],
        "transitions": [
            {"name": t["name"], "label": tr(t.get("label")) or t["name"], "to": t["to"]}
            for t in selectors.transitions_for(case=case, user=acting)
            if not t.get("decision") and not t.get("information")
        ],
    }


@router.get(
    "/cases/{reference}/register-data",
    response=list[RegisterSection],
    summary="The subject's register data, read through the exchange under the case's purpose",
    description="Needs a grant for the case type's purpose; every read is logged with the case "
    "reference and appears in the resident's own overview of who used their data.",
)
def case_register_data(request, reference: str):
    acting, case = _case(request, reference)
    return [
        {"register_key": section["register"], "rows": section["rows"]}
        for section in selectors.case_register_data(case=case, user=acting)
    ]


@router.post(
    "/cases/{reference}/transitions",
    response=CaseSummary,
    summary="Change the case's status along its workflow",
    description="Only the transitions the client's role may take now; `expected_version` must "
    "be the case's version: if the case changed since, 409 and nothing is saved.",
)
def case_transition(request, reference: str, body: TransitionIn):
    acting, case = _case(request, reference)
    with transaction.atomic():
        case = services.case_transition(
            case=case,
            transition=body.transition,
            user=acting,
            expected_version=body.expected_version,
            note=body.note,
        )
    return _summary(case)


@router.get(
    "/cases/{reference}/documents/{document_id}",
    summary="One document of the case",
    openapi_extra={"responses": {"200": FILE_RESPONSE}},
)
def case_document(request, reference: str, document_id: int):
    _acting_client, case = _case(request, reference)
    uploads = uploads_of(submission=case.submission) if case.submission else []
    upload = next((u for u in uploads if u.pk == document_id), None)
    if upload is None:
        raise NotFound(_("This case has no such document."))
    return FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.name,
        content_type=upload.content_type,
    )


# Webhooks for case events (api_subscriptions.py), under the same prefix and document.
router.add_router("", subscriptions_router)
