"""Builders of case history for the KPI tests."""

from __future__ import annotations

import datetime as dt

from civic.cases.models import Case, CaseType, Decision
from civic.cases.services.decision_days import decision_day_count
from civic.core import clock
from civic.identity.selectors import agency_get

_counter = iter(range(1, 100_000))


def a_case(
    case_type: str = "parking-permit",
    *,
    opened_days_ago: int,
    decided_days_ago: int | None = None,
    automated: bool = False,
    deadline_days: int = 56,
) -> Case:
    now = clock.now()
    opened = now - dt.timedelta(days=opened_days_ago)
    decided = now - dt.timedelta(days=decided_days_ago) if decided_days_ago is not None else None
    case = Case.objects.create(
        reference=f"KPI-{next(_counter):05d}",
        case_type=CaseType.objects.get(code=case_type),
        agency=agency_get(code="havenstad"),
        subject="000000000",
        applicant="000000000",
        state="decided" if decided else "received",
        opened_at=opened,
        deadline=opened.date() + dt.timedelta(days=deadline_days),
        closed_at=decided,
    )
    if decided:
        Decision.objects.create(
            case=case,
            outcome=Decision.Outcome.GRANTED,
            reasons="granted",
            decided_by="rules" if automated else "caseworker",
            decided_at=decided,
            automated=automated,
        )
        # History written straight to the tables, as a bulk load would be: counted into the
        # KPIs' summary as the services that decide count a decision.
        decision_day_count(case=case, decided_at=decided, automated=automated)
    return case
