"""The backlog page's staffing panel: for the kind of case shown, next month's demand forecast
and the caseworker-days it asks for at the recent pace (staffing.py), the same sentence as on
the kind of case's KPI page, which it links for the forecast day by day. Added to the cases
app's backlog page through ``civic.cases.backlog_panels`` (InsightsConfig.ready)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from civic.insights import selectors, staffing


def staffing_panel(request: HttpRequest, case_type: str) -> SafeString:
    """The panel's HTML; with no kind of case chosen, how to see one's. A kind of case of
    another agency shows nothing (the backlog page shows none of its figures either)."""
    context: dict = {"case_type": case_type}
    if case_type:
        figures = selectors.case_type_kpis(user=request.user, case_type=case_type)
        if figures is None:
            return SafeString("")
        forecast = staffing.demand_forecast(case_type=case_type)
        context |= {
            "forecast": forecast,
            "staffing": staffing.staffing_suggestion(
                case_type=case_type,
                forecast=forecast,
                automation_rate=figures["automation_rate"],
                open_past_deadline=figures["open_past_deadline"],
            ),
        }
    return render_to_string("insights/_backlog_staffing.html", context, request=request)
