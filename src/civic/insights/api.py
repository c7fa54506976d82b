"""Insights' API, version 1: service KPIs and the digital-maturity index. ``GET /kpis`` and ``GET /kpis/{case_type}`` are a
staff member's own agency's figures (a staff session, as the staff pages use; another agency's
kind of case is "not found"); ``GET /performance/{service}`` is a published service's public
figures for anyone, and ``GET /maturity`` the latest digital-maturity index. Refusals are
problem+json (civic.api)."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from civic.core.errors import NotFound
from civic.core.i18n import tr
from civic.identity.models import Role
from civic.identity.selectors import staff_has_role
from civic.insights import selectors

router = Router(tags=["insights"])


class OffersOut(Schema):
    offered: int
    taken_up: int


class CaseTypeKpisOut(Schema):
    case_type: str = Field(..., description="The kind of case's code")
    name: str
    service: str = Field(..., description="The service's code; empty for internal case types")
    opened: int = Field(..., description="Cases opened in the period")
    decided: int = Field(..., description="Cases decided in the period")
    automated: int = Field(..., description="Of those, decided by the rules")
    decided_late: int = Field(..., description="Of those, decided after their deadline")
    median_days_to_decision: float | None
    automation_rate: float | None = Field(..., description="automated / decided")
    on_time_rate: float | None = Field(..., description="(decided - decided_late) / decided")
    open: int = Field(..., description="Open now")
    open_past_deadline: int = Field(..., description="Open now, clock running, past deadline")
    offers: OffersOut | None = Field(..., description="Proactive offers; null: none for it")
    take_up_rate: float | None
    prefill_rate: float | None = Field(
        ..., description="Of the form's questions a register could answer, the share it did"
    )
    satisfied_rate: float | None = Field(
        ..., description="Of the satisfaction answers, the share satisfied or very satisfied"
    )


class AgencyKpisOut(Schema):
    days: int
    since: str
    services: list[CaseTypeKpisOut]


class PerformanceOut(Schema):
    service: str
    name: str
    days: int
    since: str
    applications: int | None = Field(..., description="null: fewer than withheld_below")
    decisions: int | None
    median_days_to_decision: float | None
    on_time_rate: float | None
    automation_rate: float | None
    withheld_below: int


class MaturityInputOut(Schema):
    key: str
    name: str
    numerator: int | None = Field(..., description="null: not measured yet")
    denominator: int | None
    value: float | None = Field(..., description="numerator / denominator, 0 to 1")


class MaturityDimensionOut(Schema):
    key: str = Field(..., description="One of the OECD framework's six dimensions")
    name: str
    score: float | None = Field(..., description="0 to 100; null: no input measured yet")
    inputs: list[MaturityInputOut]


class MaturityOut(Schema):
    day: str
    computed_at: str
    index: float | None = Field(..., description="The mean of the dimensions' scores")
    dimensions: list[MaturityDimensionOut]


class PeriodIn(Schema):
    days: int = Field(90, description="30, 90 or 365")


def _staff(request):
    user = request.auth
    if not any(staff_has_role(user=user, role=r) for r in (Role.CASEWORKER, Role.SERVICE_OWNER)):
        raise HttpError(403, "Service KPIs are for caseworkers and service owners.")
    return user


def _period(days: int) -> int:
    if days not in selectors.PERIODS:
        raise HttpError(400, f"days must be one of {', '.join(map(str, selectors.PERIODS))}.")
    return days


def _named(row: dict) -> dict:
    return {**row, "name": tr(row["name"])}


@router.get("/kpis", auth=django_auth, response=AgencyKpisOut, summary="Your agency's KPIs")
def kpis(request, period: Query[PeriodIn]):
    """Every kind of case of the logged-in staff member's agency, with its figures."""
    figures = selectors.agency_kpis(user=_staff(request), days=_period(period.days))
    return {**figures, "services": [_named(row) for row in figures["services"]]}


@router.get(
    "/kpis/{case_type}",
    auth=django_auth,
    response=CaseTypeKpisOut,
    summary="One kind of case's KPIs",
)
def kpis_of_case_type(request, case_type: str, period: Query[PeriodIn]):
    figures = selectors.case_type_kpis(
        user=_staff(request), case_type=case_type, days=_period(period.days)
    )
    if figures is None:
        raise NotFound(f"There is no kind of case {case_type!r} in your agency.")
    return _named(figures)


@router.get("/performance/{service}", response=PerformanceOut, summary="A service's performance")
def performance(request, service: str):
    """A published service's public figures over the last year; counts about fewer than
    ``withheld_below`` people are null."""
    figures = selectors.service_performance(service_code=service)
    if figures is None:
        raise NotFound(f"There is no published service {service!r}.")
    found = figures.pop("service")
    return {**figures, "service": found.code, "name": tr(found.name)}


@router.get("/maturity", response=MaturityOut, summary="The digital-maturity index")
def maturity(request):
    """The latest recorded digital-maturity index: each of the six dimensions with its score and
    the figures it is scored from (the method: ``/performance/maturity/``)."""
    published = selectors.maturity_published(history_days=1)
    latest = published["latest"]
    if latest is None:
        raise NotFound("The digital-maturity index has not been computed yet.")
    return {
        "day": latest.day.isoformat(),
        "computed_at": latest.computed_at.isoformat(),
        "index": latest.index,
        "dimensions": [
            {
                "key": d["key"],
                "name": str(d["name"]),
                "score": d["score"],
                "inputs": [
                    {
                        "key": i["key"],
                        "name": str(i["name"]),
                        "numerator": i.get("numerator"),
                        "denominator": i.get("denominator"),
                        "value": i.get("value"),
                    }
                    for i in d["inputs"]
                ],
            }
            for d in published["dimensions"]
        ],
    }
