"""Case types and cases for the set-up and for other apps' background work (no user to
scope by)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from civic.cases import workflow as flow
from civic.cases.models import Case, CaseType, Decision
from civic.identity.models import Role


def case_types_list() -> list[CaseType]:
    return list(CaseType.objects.select_related("service", "agency").order_by("code"))


def workflow_problems(*, workflow: Any) -> list[str]:
    """What is wrong with a case type's workflow (empty when it can be used)."""

    return flow.workflow_problems(workflow, roles=set(Role.values))


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


def cases_past_retention(*, case_type: str, years: int, today: dt.date) -> QuerySet[Case]:
    """The cases of ``case_type`` closed more than ``years`` before ``today``: anonymised by
    this run or an earlier one (what other apps keep about them goes too)."""
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return Case.objects.filter(
        case_type__code=case_type,
        closed_at__lt=dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC),
    )
