"""The KPI benchmark's Django side, run in a ``civic shell`` (``django_call.ask``): a year of
cases put in with ``bulk_create`` (with their decisions), then the KPI pages timed through
Django's test client, in-process, as the staff member and the public see them."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from typing import Any

BATCH = 2_000


def seed(spec: dict[str, Any]) -> dict[str, Any]:
    """``cases`` cases of the demo municipality's kinds of case, opened over the last year;
    those opened more than a few days ago mostly decided (by the rules a third of the time),
    some late."""
    from django.db import transaction

    from civic.cases.models import Case, CaseType, Decision, DecisionDay
    from civic.cases.services import decision_days_rebuild
    from civic.core import clock
    from civic.identity.selectors import agency_get

    rng = random.Random(1)
    agency = agency_get(code="havenstad")
    types = list(
        CaseType.objects.filter(code__in=["parking-permit", "special-assistance", "dog-tax"])
    )
    now = clock.now()
    made = decided = 0
    with transaction.atomic():
        for start in range(0, spec["cases"], BATCH):
            cases, outcomes = [], []
            for index in range(start, min(start + BATCH, spec["cases"])):
                case_type = types[index % len(types)]
                opened = now - dt.timedelta(seconds=rng.uniform(60, 365 * 86400))
                deadline = opened.date() + dt.timedelta(days=case_type.decision_period_days)
                closed = None
                if (now - opened).days > 3 and rng.random() < 0.85:
                    days = rng.expovariate(1 / (case_type.decision_period_days * 0.6))
                    closed = min(now, opened + dt.timedelta(days=days))
                cases.append(
                    Case(
                        reference=f"KB-{index:07d}",
                        case_type=case_type,
                        agency=agency,
                        subject="000000000",
                        applicant="000000000",
                        state="decided" if closed else "received",
                        opened_at=opened,
                        deadline=deadline,
                        closed_at=closed,
                    )
                )
                outcomes.append(closed)
            Case.objects.bulk_create(cases, batch_size=BATCH)
            saved = {
                c.reference: c.pk
                for c in Case.objects.filter(reference__in=[c.reference for c in cases])
            }
            Decision.objects.bulk_create(
                [
                    Decision(
                        case_id=saved[case.reference],
                        outcome="granted",
                        reasons="granted",
                        decided_by="rules" if (automated := rng.random() < 0.33) else "caseworker",
                        decided_at=closed,
                        automated=automated,
                    )
                    for case, closed in zip(cases, outcomes, strict=True)
                    if closed
                ],
                batch_size=BATCH,
            )
            made += len(cases)
            decided += sum(1 for closed in outcomes if closed)
    # Put in past the services that decide, so counted into the KPIs' summary per kind of
    # case and day the way an operator would after a bulk load: ``civic cases decision-days``.
    began = time.perf_counter()
    decision_days_rebuild()
    return {
        "cases": Case.objects.count(),
        "made": made,
        "decided": decided,
        "summary_rebuild_s": round(time.perf_counter() - began, 1),
        "summary_rows": DecisionDay.objects.count(),
    }


def pages(spec: dict[str, Any]) -> dict[str, Any]:
    """Each page ``samples`` times after ``warmup`` requests (the demand forecast is fitted in
    the warm-up and cached for the day, as it is in production): p50, p95 and the queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from civic.identity.models import User
    from civic.identity.second_factor.session import session_mark_passed
    from civic.identity.selectors import needs_second_factor, second_factor_get

    owner = User.objects.get(username="serviceowner")
    staff = Client()
    staff.force_login(owner)
    if needs_second_factor(user=owner):  # as the login's code step leaves the session
        session = staff.session
        session_mark_passed(session, second_factor_get(user=owner))
        session.save()
    public = Client()
    out = {}
    for name, path, client in (
        ("staff KPIs, 90 days", "/staff/insights/?days=90", staff),
        ("staff KPIs, 365 days", "/staff/insights/?days=365", staff),
        ("one kind of case, with forecast", "/staff/insights/parking-permit/?days=365", staff),
        ("public performance page", "/performance/parking-permit/", public),
        ("KPI API, 90 days", "/api/insights/v1/kpis?days=90", staff),
    ):
        for _ in range(spec["warmup"]):
            assert client.get(path).status_code == 200, path
        times = []
        for _ in range(spec["samples"]):
            began = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        times.sort()
        out[name] = {
            "path": path,
            "p50": statistics.median(times),
            "p95": times[max(0, round(0.95 * len(times)) - 1)],
            "queries": len(queries),
        }
    return out
