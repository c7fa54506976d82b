"""The workbench's reads: the agency's open cases filtered, sorted and counted up to a cap,
one case for a caseworker, and who may see data-subject request cases."""

from __future__ import annotations

from typing import Any

from civic.cases import workflow as flow
from civic.cases.acting import roles_on
from civic.cases.models import Case, CaseType
from civic.core import clock
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


def overdue_count(
    *, user, state: str = "", assigned: str = "", team: str = "", case_type: str = ""
) -> tuple[int, bool]:
    """Open cases past their deadline, clock running, among those the queue's filters show:
    (count up to COUNT_CAP, capped)."""
    cases = _open_cases(user=user, state=state, assigned=assigned, team=team, case_type=case_type)
    return _capped_count(
        cases.filter(suspended_since__isnull=True, deadline__lt=clock.now().date())
    )


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


def case_type_codes_of(*, user) -> set[str]:
    """Codes of the case types the staff member's agency handles (every one for the
    installation's operator)."""
    return set(agency_scoped(CaseType.objects.all(), user=user).values_list("code", flat=True))
