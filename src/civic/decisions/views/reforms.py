"""Staff pages of what-if reforms, under /staff/rules/reforms/: a service owner writes a reform
(parameters with new values), it runs over the whole population in the background with a
progress bar (the page reloads itself while it runs, no JavaScript), and its cost, winners and
losers are shown, compared side by side with other reforms and exported as CSV or JSON. Service
owners and policy advisers (who see no cases and no personal data) use them."""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.decisions import reform_runner, reform_runs
from civic.decisions.models import Reform, ReformRun
from civic.decisions.reforms import BANDS, parameter_values, reform_parse
from civic.identity.access import staff_with
from civic.identity.models import Role

#: Band labels for people, in the order of reforms.BANDS.
BAND_LABELS = {
    "loses 500 or more": lambda: _("loses €500 or more"),
    "loses 100 to 500": lambda: _("loses €100 to €500"),
    "loses 10 to 100": lambda: _("loses €10 to €100"),
    "loses 1 to 10": lambda: _("loses €1 to €10"),
    "no change": lambda: _("no change"),
    "gains 1 to 10": lambda: _("gains €1 to €10"),
    "gains 10 to 100": lambda: _("gains €10 to €100"),
    "gains 100 to 500": lambda: _("gains €100 to €500"),
    "gains 500 or more": lambda: _("gains €500 or more"),
}
EXAMPLE = """name: School clothing grant limit 130 %
parameters:
  school_clothing_grant.income_limit_percentage: 1.3
  school_clothing_grant.amount_per_child: {add: 50}
"""


def _agency(request: HttpRequest) -> str:
    agency = getattr(request.user, "agency", None)
    if agency is None:
        raise Http404
    return agency.code


def _run(request: HttpRequest, run_id: int) -> ReformRun:
    try:
        return reform_runs.run_get(agency=_agency(request), pk=run_id)
    except NotFound:
        raise Http404 from None


@staff_with(Role.SERVICE_OWNER, Role.POLICY_ADVISER)
def reforms_index(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    error, text, year = "", EXAMPLE, str(clock.today().year)
    if request.method == "POST":
        text, year = request.POST.get("reform", ""), request.POST.get("year", "").strip()
        try:
            if not year.isdigit() or not 2000 <= int(year) <= 2100:
                raise CivicError(_("Give the year as four digits, for example 2026."))
            spec = reform_parse(text)
            reform = reform_runs.reform_save(agency=agency, spec=spec, user=request.user.username)
            run = reform_runs.run_start(reform=reform, year=int(year))
        except CivicError as refusal:
            error = str(refusal)
        else:
            reform_runner.run_in_background(run)
            return redirect("rules:reform-run", run_id=run.pk)
    runs = reform_runs.runs_of(agency=agency)
    return render(
        request,
        "decisions/reforms.html",
        {
            "runs": runs,
            "error": error,
            "text": text,
            "year": year,
            "parameters": sorted(parameter_values(year=clock.today().year).items()),
        },
        status=400 if error else 200,
    )


@staff_with(Role.SERVICE_OWNER, Role.POLICY_ADVISER)
def reform_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    done, total = reform_runs.run_progress(run)
    if run.status == ReformRun.Status.RUNNING and total and done == total and not run.result:
        run = reform_runs.run_finish(run)
    return render(
        request,
        "decisions/reform_run.html",
        {
            "run": run,
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 100,
            "result": _shown(run.result),
            "parameters": run.reform.parameters,
        },
    )


@staff_with(Role.SERVICE_OWNER, Role.POLICY_ADVISER)
def reforms_compare(request: HttpRequest) -> HttpResponse:
    """Runs side by side (``?run=1&run=2``), only those that are done."""
    ids = [int(i) for i in request.GET.getlist("run") if i.isdigit()][:6]
    runs = [r for r in (_run(request, i) for i in ids) if r.status == ReformRun.Status.DONE]
    return render(
        request,
        "decisions/reforms_compare.html",
        {"runs": [(r, _shown(r.result)) for r in runs], "bands": [_label(b) for b in _bands()]},
    )


@staff_with(Role.SERVICE_OWNER, Role.POLICY_ADVISER)
def reform_export(request: HttpRequest, run_id: int, kind: str) -> HttpResponse:
    run = _run(request, run_id)
    if run.status != ReformRun.Status.DONE:
        raise Http404
    name = f"reform-{run.reform.pk}-run-{run.pk}-{run.year}"
    if kind == "json":
        body = {"reform": _reform_data(run.reform), "year": run.year, **run.result}
        response = HttpResponse(
            json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json"
        )
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["figure", "group", "value"])
        for key in ("cost_before", "cost_after", "cost_change"):
            writer.writerow([key, "", run.result.get(key, 0)])
        for key in ("households", "households_gaining", "households_losing"):
            writer.writerow([key, "", run.result.get(key, 0)])
        for band, count in run.result.get("bands", {}).items():
            writer.writerow(["households_in_band", band, count])
        for place, cell in run.result.get("neighbourhoods", {}).items():
            for key in ("gaining", "losing", "cost_change"):
                writer.writerow([f"neighbourhood_{key}", place, cell[key]])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _reform_data(reform: Reform) -> dict:
    return {"name": reform.name, "description": reform.description, "parameters": reform.parameters}


def _bands() -> list[str]:
    return [label for label, _low, _high in BANDS]


def _label(band: str) -> str:
    return BAND_LABELS[band]()


def _shown(result: dict) -> dict:
    """The result with band labels in the active language and the largest band's share, for
    the bar in the table."""
    if not result:
        return {}
    bands = result.get("bands", {})
    biggest = max(bands.values(), default=0) or 1
    return {
        **result,
        "band_rows": [
            (_label(b), bands.get(b, 0), round(100 * bands.get(b, 0) / biggest)) for b in _bands()
        ],
        "band_list": [bands.get(b, 0) for b in _bands()],
    }
