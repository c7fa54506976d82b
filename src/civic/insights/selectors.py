"""Service KPIs for staff (their own agency only) and for the public (a published service's
figures), and the published digital-maturity index with its method and history. Composes the
cases, catalog and decisions selectors; aggregates only, never a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.cases.selectors import case_type_figures
from civic.catalog.selectors import service_get
from civic.core import clock
from civic.decisions.selectors import offer_take_up
from civic.feedback.selectors import feedback_published, satisfaction_of
from civic.forms.selectors import prefill_coverage
from civic.identity.selectors import staff_agency_id
from civic.insights.maturity import DIMENSIONS
from civic.insights.maturity.inputs import INPUTS
from civic.insights.models import MaturitySnapshot

#: the period the KPIs cover, in days
PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90
#: public figures below this count are not shown (a small count can point at a person)
SMALLEST_PUBLIC_COUNT = 5


def period_of(value: Any) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def _since(days: int) -> dt.datetime:
    return clock.now() - dt.timedelta(days=days)


def _with_rates(row: dict[str, Any], since: dt.datetime) -> dict[str, Any]:
    decided = row["decided"]
    row["automation_rate"] = row["automated"] / decided if decided else None
    row["on_time_rate"] = (decided - row["decided_late"]) / decided if decided else None
    offers = offer_take_up(case_type=row["case_type"], since=since)
    row["offers"] = offers
    row["take_up_rate"] = (
        offers["taken_up"] / offers["offered"] if offers and offers["offered"] else None
    )
    # What residents met: the register's answers in the service's form, and how satisfied
    # they said they were (internal kinds of case have no service: both None).
    coverage = prefill_coverage(since=since, service_code=row["service"]) if row["service"] else {}
    row["prefill_rate"] = (
        coverage["answered"] / coverage["questions"] if coverage.get("questions") else None
    )
    satisfaction = (
        satisfaction_of(service_code=row["service"], since=since) if row["service"] else {}
    )
    row["satisfaction_answers"] = satisfaction.get("answered", 0)
    row["satisfied_rate"] = satisfaction.get("satisfied_rate")
    return row


def agency_kpis(*, user, days: int = DEFAULT_PERIOD) -> dict[str, Any]:
    """Every case type of the staff member's agency, with its figures over ``days`` days and
    the agency's totals; nothing for anyone without an agency."""
    agency_id = staff_agency_id(user=user)
    since = _since(days)
    rows = (
        [_with_rates(r, since) for r in case_type_figures(since=since, agency_id=agency_id)]
        if agency_id is not None
        else []
    )
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("opened", "decided", "automated", "decided_late", "open", "open_past_deadline")
    }
    totals["automation_rate"] = (
        totals["automated"] / totals["decided"] if totals["decided"] else None
    )
    return {"days": days, "since": since.date().isoformat(), "services": rows, "totals": totals}


def case_type_kpis(*, user, case_type: str, days: int = DEFAULT_PERIOD) -> dict[str, Any] | None:
    """One case type's figures, or None when it is not of the staff member's agency (the page
    answers "not found": another agency's case types do not exist for them)."""
    agency_id = staff_agency_id(user=user)
    if agency_id is None:
        return None
    since = _since(days)
    rows = case_type_figures(since=since, agency_id=agency_id, case_type=case_type)
    if not rows:
        return None
    return {"days": days, "since": since.date().isoformat(), **_with_rates(rows[0], since)}


def service_performance(*, service_code: str, days: int = 365) -> dict[str, Any] | None:
    """A published service's public figures over ``days`` days, or None when there is no such
    published service. Counts under SMALLEST_PUBLIC_COUNT are withheld."""
    service = service_get(code=service_code)
    if service is None:
        return None
    since = _since(days)
    rows = [
        _with_rates(r, since) for r in case_type_figures(since=since, service_code=service_code)
    ]
    opened = sum(r["opened"] for r in rows)
    decided = sum(r["decided"] for r in rows)
    medians = [r["median_days_to_decision"] for r in rows if r["median_days_to_decision"]]
    enough = decided >= SMALLEST_PUBLIC_COUNT
    automated = sum(r["automated"] for r in rows)
    late = sum(r["decided_late"] for r in rows)
    return {
        "service": service,
        "days": days,
        "since": since.date().isoformat(),
        "applications": opened if opened >= SMALLEST_PUBLIC_COUNT else None,
        "decisions": decided if enough else None,
        # the slowest case type's median: the honest answer to "how long will mine take"
        "median_days_to_decision": max(medians) if enough and medians else None,
        "on_time_rate": (decided - late) / decided if enough else None,
        "automation_rate": automated / decided if enough else None,
        "withheld_below": SMALLEST_PUBLIC_COUNT,
        "you_said_we_did": feedback_published(service=service),
    }


def maturity_method() -> list[dict[str, Any]]:
    """The six dimensions with what each means and how each of its inputs is counted."""
    return [
        {
            "key": d.key,
            "name": d.name,
            "meaning": d.meaning,
            "inputs": [
                {"key": key, "name": INPUTS[key].name, "method": INPUTS[key].method}
                for key in d.inputs
            ],
        }
        for d in DIMENSIONS
    ]


def maturity_published(*, history_days: int = 30) -> dict[str, Any]:
    """The latest recorded index with each dimension's score and its inputs' counts (named for
    the page), and the history of the last ``history_days`` records, oldest first."""
    snapshots = list(MaturitySnapshot.objects.all()[:history_days])
    latest = snapshots[0] if snapshots else None
    dimensions = []
    if latest is not None:
        scores = {d["key"]: d["score"] for d in latest.dimensions}
        for dimension in maturity_method():
            dimension["score"] = scores.get(dimension["key"])
            for item in dimension["inputs"]:
                item.update(latest.inputs.get(item["key"], {}))
            dimensions.append(dimension)
    history = [
        {
            "day": s.day,
            "index": s.index,
            "scores": [{d["key"]: d["score"] for d in s.dimensions}.get(m.key) for m in DIMENSIONS],
        }
        for s in reversed(snapshots)
    ]
    return {"latest": latest, "dimensions": dimensions, "history": history}
