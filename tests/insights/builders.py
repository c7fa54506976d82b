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


def a_year_of_parking_permits() -> None:
    """Twelve permits each weekday and two on Saturdays for a year; over the last four weeks
    two caseworkers decided five each per weekday."""
    now = clock.now()
    parking = CaseType.objects.get(code="parking-permit")
    agency = agency_get(code="havenstad")
    cases = []
    for back in range(1, 366):
        day = now - dt.timedelta(days=back)
        for n in {5: 2, 6: 0}.get(day.weekday(), 12) * [0]:
            cases.append(
                Case(
                    reference=f"Y-{back:03d}-{len(cases):05d}",
                    case_type=parking,
                    agency=agency,
                    subject="000000000",
                    applicant="000000000",
                    state="received",
                    opened_at=day.replace(hour=10) + dt.timedelta(minutes=n),
                    deadline=day.date() + dt.timedelta(days=56),
                )
            )
    Case.objects.bulk_create(cases)
    decided = [c for c in Case.objects.filter(case_type=parking).order_by("opened_at")]
    decisions = []
    for back in range(1, 28):  # within the pace's four weeks, counted from a moment later
        day = now - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for who in ("anna", "bram"):
            for _ in range(5):
                case = decided.pop(0)
                decisions.append(
                    Decision(
                        case=case, outcome="granted", reasons="ok", decided_by=who,
                        decided_at=day, automated=False,
                    )
                )  # fmt: skip
    Decision.objects.bulk_create(decisions)
