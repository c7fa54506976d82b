"""Service KPI pages: the staff overview of their agency's services and one case type's page
(another agency's case type is "not found"), and the public performance page of a service.
Charts are SVG drawn on the server, each followed by a table of the same figures."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from civic.identity.access import staff_with
from civic.identity.models import Role
from civic.identity.selectors import staff_has_role
from civic.insights import selectors, staffing

CHART_WIDTH = 400
BAR = 22


def _bars(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """Bar lengths for a horizontal bar chart of ``keys`` per row, on one scale."""
    biggest = max([1, *(row[key] for row in rows for key in keys)])
    out = []
    for i, row in enumerate(rows):
        top = 10 + i * (BAR * len(keys) + 16)
        out.append(
            {
                "row": row,
                "bars": [
                    {
                        "key": key,
                        "value": row[key],
                        "width": round(CHART_WIDTH * row[key] / biggest),
                        "y": top + j * BAR,
                    }
                    for j, key in enumerate(keys)
                ],
                "label_y": top + 15,
            }
        )
    return out


@staff_with(Role.CASEWORKER, Role.SERVICE_OWNER)
def kpis_page(request: HttpRequest) -> HttpResponse:
    days = selectors.period_of(request.GET.get("days"))
    figures = selectors.agency_kpis(user=request.user, days=days)
    services = figures["services"]
    return render(
        request,
        "insights/kpis.html",
        {
            "figures": figures,
            "periods": selectors.PERIODS,
            "volume_chart": _bars(services, ("opened", "decided")),
            "chart_height": 20 + len(services) * (2 * BAR + 16),
        },
    )


@staff_with(Role.CASEWORKER, Role.SERVICE_OWNER)
def case_type_page(request: HttpRequest, case_type: str) -> HttpResponse:
    days = selectors.period_of(request.GET.get("days"))
    figures = selectors.case_type_kpis(user=request.user, case_type=case_type, days=days)
    if figures is None:
        raise Http404
    forecast = staffing.demand_forecast(case_type=case_type)
    suggestion = staffing.staffing_suggestion(
        case_type=case_type,
        forecast=forecast,
        automation_rate=figures["automation_rate"],
        open_past_deadline=figures["open_past_deadline"],
    )
    return render(
        request,
        "insights/case_type.html",
        {
            "figures": figures,
            "periods": selectors.PERIODS,
            "flow_chart": _bars([figures], ("opened", "decided", "open")),
            "forecast": forecast,
            "forecast_chart": forecast_columns(forecast.get("days", [])),
            "staffing": suggestion,
            "sees_feedback": staff_has_role(user=request.user, role=Role.SERVICE_OWNER),
        },
    )


def forecast_columns(days: list[dict]) -> list[dict]:
    """A column per day of the forecast, with its 80 % interval as a line, on one scale (from
    0: a figure below it, which a level may be, is drawn at 0; the table has it)."""
    top = max([1.0, *(d["upper_80"] for d in days)])
    height = 140

    def up(value: float) -> int:
        return round(height * max(value, 0.0) / top)

    return [
        {
            **d,
            "x": 40 + i * 20,
            "y": 150 - up(d["forecast"]),
            "height": up(d["forecast"]),
            "low_y": 150 - up(d["lower_80"]),
            "high_y": 150 - up(d["upper_80"]),
        }
        for i, d in enumerate(days)
    ]


def performance_page(request: HttpRequest, code: str) -> HttpResponse:
    figures = selectors.service_performance(service_code=code)
    if figures is None:
        raise Http404
    return render(request, "insights/performance.html", {"figures": figures})


def _dimension_bars(dimensions: list[dict]) -> list[dict]:
    """A bar per dimension on the 0-100 scale (no bar where it has no score)."""
    return [
        {
            **d,
            "y": 10 + i * 34,
            "width": round(CHART_WIDTH * (d["score"] or 0) / 100),
        }
        for i, d in enumerate(dimensions)
    ]


def maturity_page(request: HttpRequest) -> HttpResponse:
    """The digital-maturity index: the six dimensions with their inputs, the method, and the
    history. Public: the figures are aggregates of the platform's own work."""
    published = selectors.maturity_published()
    return render(
        request,
        "insights/maturity.html",
        {
            **published,
            "method": selectors.maturity_method(),
            "chart": _dimension_bars(published["dimensions"]),
            "chart_height": 20 + 34 * len(published["dimensions"]),
        },
    )
