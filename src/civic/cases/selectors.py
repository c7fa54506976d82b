"""Reads of the cases app: the workbench queue, one case for staff or for the resident, the
resident's cases, and the expected decision date from a case type's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import ngettext

from civic.cases import workflow as flow
from civic.cases.acting import ClientActing, may_see, roles_on
from civic.cases.export import (  # noqa: F401 (for compliance's export)
    answer_documents_about,
    cases_exported,
)
from civic.cases.kpis import (  # noqa: F401 (insights)
    case_type_figures,
    cases_opened_per_day,
    caseworker_pace,
)
from civic.cases.models import (
    AnswerDocument,
    Case,
    CaseEvent,
    CaseType,
    Decision,
    InformationRequest,
)
from civic.core import clock
from civic.core.i18n import tr
from civic.exchange.selectors import Actor, records_fetch
from civic.identity.models import Role
from civic.identity.selectors import agency_scoped, staff_agency_id, staff_roles, staff_teams

SORTS = {
    "deadline": ("deadline", "pk"),
    "-deadline": ("-deadline", "-pk"),
    "age": ("opened_at", "pk"),
    "-age": ("-opened_at", "-pk"),
}


#: Counts stop here: "10,000+" tells a caseworker as much as 100,000, at a fraction of the cost.
COUNT_CAP = 10_000


def _capped_count(queryset) -> tuple[int, bool]:
    """(count, capped): counts at most COUNT_CAP + 1 rows of the index instead of all of them."""
    cap = COUNT_CAP
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


#: Data-subject requests' case types (compliance) carry what a resident asked about their own
#: data: only the data protection officer and the members of this team see them.
PRIVACY_CASE_TYPES, PRIVACY_TEAM = "privacy-", "Privacy"


def sees_privacy_cases(*, user) -> bool:
    """Whether ``user`` may see data-subject request cases of their agency."""
    return str(Role.DATA_PROTECTION_OFFICER) in staff_roles(
        user=user
    ) or PRIVACY_TEAM in staff_teams(user=user)


def _in_scope(cases, *, user, path: str = "case_type__code"):
    """``cases`` without the privacy cases the user may not see."""
    if sees_privacy_cases(user=user):
        return cases
    return cases.exclude(**{f"{path}__startswith": PRIVACY_CASE_TYPES})


def _open_cases(*, user, state: str, assigned: str, team: str, case_type: str):
    """The agency's open cases the queue's filters choose."""
    cases = _in_scope(
        Case.objects.filter(agency_id=staff_agency_id(user=user), closed_at__isnull=True),
        user=user,
    )
    if state:
        cases = cases.filter(state=state)
    if assigned == "me":
        cases = cases.filter(assignee=user)
    elif assigned == "nobody":
        cases = cases.filter(assignee__isnull=True)
    if team:
        cases = cases.filter(team=team)
    if case_type:
        cases = cases.filter(case_type__code=case_type)
    return cases


def queue(
    *,
    user,
    state: str = "",
    assigned: str = "",
    team: str = "",
    case_type: str = "",
    overdue: bool = False,
    sort: str = "deadline",
    offset: int = 0,
    limit: int = 50,
) -> dict[str, Any]:
    """Open cases of the user's agency, filtered and sorted, one page at a time.

    Every filter and sort is served by an index that starts with the agency and "still open"
    (see ``Case.Meta.indexes``), the page is read by its offset in that index, and the total
    is counted up to COUNT_CAP: a page costs about the same at 100,000 open cases as at 1,000."""
    cases = _open_cases(user=user, state=state, assigned=assigned, team=team, case_type=case_type)
    if overdue:
        cases = cases.filter(deadline__lt=clock.now().date(), suspended_since__isnull=True)
    rows = list(
        cases.select_related("case_type", "assignee").order_by(*SORTS.get(sort, SORTS["deadline"]))[
            offset : offset + limit + 1
        ]
    )
    total, capped = _capped_count(cases)
    return {
        "total": max(total, offset + min(len(rows), limit)),
        "capped": capped,
        "cases": rows[:limit],
        "has_next": len(rows) > limit,
    }


def queue_facets(*, user) -> dict[str, Any]:
    """The states, teams and case types of the agency's case types, for the queue's filters."""
    types = list(
        _in_scope(
            CaseType.objects.filter(agency_id=staff_agency_id(user=user)), user=user, path="code"
        ).order_by("code")
    )
    labels: dict[str, str] = {}
    for case_type in types:
        for state in case_type.workflow.get("states", {}):
            if not flow.is_final(case_type.workflow, state):
                labels.setdefault(
                    state, flow.state_label(case_type.workflow, state, for_staff=True)
                )
    teams = sorted({team for case_type in types for team in case_type.teams})
    return {"states": list(labels.items()), "case_types": types, "teams": teams}


def case_for_staff(*, user, reference: str) -> Case | None:
    """A case of the user's own agency, within their scope (privacy cases for the Privacy team
    and the data protection officer only); None for any other (never reveal it exists)."""
    return _in_scope(
        Case.objects.select_related(
            "case_type", "assignee", "agency", "submission__version__form"
        ).filter(reference=reference, agency_id=staff_agency_id(user=user)),
        user=user,
    ).first()


def cases_by_reference(*, user, references: list[str]) -> list[Case]:
    return list(
        _in_scope(
            Case.objects.filter(reference__in=references, agency_id=staff_agency_id(user=user)),
            user=user,
        )
    )


def transitions_for(*, case: Case, user) -> list[dict]:
    return flow.transitions_open(case.case_type.workflow, case.state, roles_on(case, user))


def timeline(*, case: Case, public_only: bool = False) -> list[CaseEvent]:
    """The case's events in order, each with ``status`` (the new state's label, if any): the
    resident's wording on the public timeline, the staff's on the full one; ``text_shown`` and
    ``actor_shown`` in the reader's language."""
    events = list(case.events.filter(public=True) if public_only else case.events.all())
    for event in events:
        # What Civic wrote is shown in the reader's language; a person's words as written.
        event.text_shown = tr(event.texts["text"]) if "text" in event.texts else event.text
        event.actor_shown = tr(event.texts["actor"]) if "actor" in event.texts else event.actor
        event.status = (
            flow.state_label(case.case_type.workflow, event.to_state, for_staff=not public_only)
            if event.to_state
            else ""
        )
    return events


def cases_of_resident(*, personal_number: str, offset: int = 0, limit: int = 50) -> list[Case]:
    """Cases a resident applied for or that are about them, newest first (one index each)."""
    return list(
        Case.objects.filter(Q(applicant=personal_number) | Q(subject=personal_number))
        .select_related("case_type", "agency")
        .order_by("-opened_at", "-pk")[offset : offset + limit]
    )


def cases_of_resident_count(*, personal_number: str) -> int:
    return Case.objects.filter(Q(applicant=personal_number) | Q(subject=personal_number)).count()


def case_for_resident(*, personal_number: str, reference: str) -> Case | None:
    return (
        Case.objects.filter(reference=reference)
        .filter(Q(applicant=personal_number) | Q(subject=personal_number))
        .select_related("case_type", "agency")
        .first()
    )


def information_open(*, case: Case) -> list[InformationRequest]:
    return list(case.information_requests.filter(answered_at__isnull=True).order_by("asked_at"))


def expected_decision(*, case: Case) -> dict[str, Any]:
    """When the decision may be expected, as a range from the last 200 decided cases of this
    type (the middle half of their durations); the legal deadline when there is no history."""
    durations = sorted(
        (closed - opened).days
        for opened, closed in Case.objects.filter(
            case_type_id=case.case_type_id, closed_at__isnull=False
        )
        .order_by("-closed_at")
        .values_list("opened_at", "closed_at")[:200]
    )
    opened = case.opened_at.date()
    if len(durations) < 5:
        return {
            "from": None,
            "until": case.deadline,
            "from_history": False,
            "sample": len(durations),
        }
    low, high = durations[len(durations) // 4], durations[(3 * len(durations)) // 4]
    return {
        "from": opened + dt.timedelta(days=low),
        "until": min(case.deadline, opened + dt.timedelta(days=max(high, low))),
        "from_history": True,
        "sample": len(durations),
    }


def state_label(*, case: Case, for_staff: bool = False) -> str:
    return flow.state_label(case.case_type.workflow, case.state, for_staff=for_staff)


def overdue_count(
    *, user, state: str = "", assigned: str = "", team: str = "", case_type: str = ""
) -> tuple[int, bool]:
    """Open cases past their deadline, clock running, among those the queue's filters show:
    (count up to COUNT_CAP, capped)."""
    cases = _open_cases(user=user, state=state, assigned=assigned, team=team, case_type=case_type)
    return _capped_count(
        cases.filter(suspended_since__isnull=True, deadline__lt=clock.now().date())
    )


def case_register_data(*, case: Case, user) -> list[dict[str, Any]]:
    """The subject's register data the case type shows, read through the exchange as this
    caseworker under the case's purpose (so the resident sees the read in their tracker)."""

    actor = Actor.api_client(user.client) if isinstance(user, ClientActing) else Actor.staff(user)
    purpose = case.case_type.purpose
    fields = case.case_type.register_fields
    sections = []
    address_id = ""
    for register, attributes in fields.items():
        if register == "addresses":
            continue
        records = records_fetch(
            register=register,
            subject=case.subject,
            fields=attributes,
            purpose=purpose,
            actor=actor,
            case=case.reference,
        )
        rows = []
        for record_type, value in records.items():
            for item in value if isinstance(value, list) else [value]:
                for attribute, content in (item or {}).items():
                    if attribute == "address" and record_type == "residence":
                        address_id = content or ""
                    rows.append({"attribute": f"{record_type}.{attribute}", "value": content})
        sections.append({"register": register, "rows": rows})
    if address_id and "addresses" in fields:
        address = (
            records_fetch(
                register="addresses",
                subject=address_id,
                fields=fields["addresses"],
                purpose=purpose,
                actor=actor,
                case=case.reference,
            ).get("address")
            or {}
        )
        sections.append(
            {
                "register": "addresses",
                "rows": [{"attribute": f"address.{k}", "value": v} for k, v in address.items()],
            }
        )
    return sections


def case_types_list() -> list[CaseType]:
    return list(CaseType.objects.select_related("service", "agency").order_by("code"))


def workflow_problems(*, workflow: Any) -> list[str]:
    """What is wrong with a case type's workflow (empty when it can be used)."""

    return flow.workflow_problems(workflow, roles=set(Role.values))


def case_type_codes_of(*, user) -> set[str]:
    """Codes of the case types the staff member's agency handles (every one for the
    installation's operator)."""
    return set(agency_scoped(CaseType.objects.all(), user=user).values_list("code", flat=True))


def case_type_purposes(*, codes: list[str]) -> dict[str, str]:
    """Case type code -> the purpose its register reads name."""
    return dict(CaseType.objects.filter(code__in=codes).values_list("code", "purpose"))


def case_get(*, reference: str) -> Case | None:
    """A case by reference, for other apps' background work (no user to scope it by)."""
    return (
        Case.objects.select_related("case_type", "submission__version")
        .filter(reference=reference)
        .first()
    )


def decided_cases(*, case_type: str, limit: int = 500) -> list[tuple[str, str]]:
    """(reference, outcome) of the latest cases of a type that caseworkers decided."""
    return list(
        Decision.objects.filter(case__case_type__code=case_type, automated=False)
        .order_by("-decided_at")
        .values_list("case__reference", "outcome")[:limit]
    )


def client_acting(*, client) -> ClientActing:
    """The client with the case types it was given and the role it acts in on each."""
    from civic.cases.models import CaseApiAccess

    rows = CaseApiAccess.objects.filter(
        api_client=client, case_type__agency_id=client.agency_id
    ).values_list("case_type__code", "role")
    return ClientActing(client=client, roles=dict(rows))


def cases_for_client(
    *,
    acting: ClientActing,
    state: str = "",
    case_type: str = "",
    updated_since: dt.datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[Case]]:
    """(total, page) of the cases the client may see, most recently changed first."""
    cases = Case.objects.filter(
        agency_id=acting.agency_id, case_type__code__in=list(acting.roles)
    ).select_related("case_type")
    if state:
        cases = cases.filter(state=state)
    if case_type:
        cases = cases.filter(case_type__code=case_type)
    if updated_since:
        cases = cases.filter(updated_at__gte=updated_since)
    total = cases.count()
    return total, list(cases.order_by("-updated_at", "-pk")[offset : offset + limit])


def case_for_client(*, acting: ClientActing, reference: str) -> Case | None:
    """A case the client may see; None for any other (never reveal it exists)."""
    case = (
        Case.objects.select_related("case_type", "agency", "submission__draft")
        .filter(reference=reference)
        .first()
    )
    return case if case is not None and may_see(case, acting) else None


def answer_documents(*, case: Case) -> list[AnswerDocument]:
    """Documents the resident sent with answers to questions, oldest first."""
    return list(AnswerDocument.objects.filter(answer_to__case=case).order_by("uploaded_at", "pk"))


def answer_document_get(*, case: Case, document_id: int) -> AnswerDocument | None:
    return AnswerDocument.objects.filter(answer_to__case=case, pk=document_id).first()


def decision_period_words(service_code: str, _argument: str = "") -> str | None:
    """The legal time to decide on applications for a service, as its page says it ("8 weeks",
    "10 days"), from the service's case type; None when no case type handles the service."""
    days = (
        CaseType.objects.filter(service__code=service_code)
        .values_list("decision_period_days", flat=True)
        .first()
    )
    if days is None:
        return None
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
