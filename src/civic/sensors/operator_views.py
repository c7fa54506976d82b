"""The city operator's pages under /staff/sensors/: the sensors with their latest values on a
map and in a table, the rules' open events and faults, the readings refused, and the
advisories (drafts to review, those in force to update or cancel). Thin: selectors read,
sensors.services writes (scoped to the operator's agency there)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.core.errors import CivicError, NotFound
from civic.identity.access import staff_with
from civic.identity.models import Role
from civic.sensors import selectors, services
from civic.sensors.advisories.issuing import SEVERITIES

SEVERITY_LABELS = {
    "Minor": _("minor"),
    "Moderate": _("moderate"),
    "Severe": _("severe"),
    "Extreme": _("extreme"),
}


@staff_with(Role.CITY_OPERATOR)
def overview(request: HttpRequest) -> HttpResponse:
    stations = selectors.stations_latest()
    return render(
        request,
        "sensors/operator.html",
        {
            "advisories": selectors.advisories_for_operator(user=request.user),
            "events": selectors.events_open(),
            "refusals": selectors.refusals_counted(),
            "stations": stations,
            "map": selectors.stations_map(stations),
            "done": request.GET.get("done", ""),
        },
    )


class AdvisoryForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[(s, SEVERITY_LABELS[s]) for s in SEVERITIES]
    )
    expires = forms.DateTimeField(
        label=_("In force until (optional)"),
        help_text=_("For example 2026-12-31 18:00. Empty: until it is cancelled."),
        required=False,
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"headline_{code}"] = forms.CharField(
                label=_("Headline (%(language)s)") % {"language": name},
                max_length=160,
                required=False,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("What is happening (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
            )
            self.fields[f"instruction_{code}"] = forms.CharField(
                label=_("What to do (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Why it is cancelled (%(language)s, optional)") % {"language": name},
                required=False,
            )

    def texts(self, advisory) -> dict[str, dict[str, str]]:
        data, out = self.cleaned_data, {}
        for code, _name in settings.LANGUAGES:
            before = (advisory.texts or {}).get(code) or {}
            out[code] = {
                **before,
                **{
                    k: data.get(f"{k}_{code}", "")
                    for k in ("headline", "description", "instruction")
                },
            }
        return out


def _initial(advisory) -> dict:
    initial = {
        "severity": advisory.severity,
        "expires": timezone.localtime(advisory.expires).strftime("%Y-%m-%d %H:%M")
        if advisory.expires
        else "",
    }
    for code, texts in (advisory.texts or {}).items():
        for key in ("headline", "description", "instruction"):
            initial[f"{key}_{code}"] = texts.get(key, "")
    return initial


ACTIONS = {
    "issue": services.advisory_issue,
    "update": services.advisory_update,
}


@staff_with(Role.CITY_OPERATOR)
def advisory(request: HttpRequest, advisory_id: int) -> HttpResponse:
    found = selectors.advisory_for_operator(user=request.user, advisory_id=advisory_id)
    if found is None:
        raise Http404
    form = AdvisoryForm(request.POST if request.method == "POST" else None, initial=_initial(found))
    action = request.POST.get("action", "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action in ACTIONS:
                done = ACTIONS[action](
                    user=request.user,
                    advisory_id=found.pk,
                    texts=form.texts(found),
                    severity=data["severity"],
                    expires=data["expires"],
                )
            elif action == "cancel":
                done = services.advisory_cancel(
                    user=request.user,
                    advisory_id=found.pk,
                    note={code: data.get(f"note_{code}", "") for code, _n in settings.LANGUAGES},
                )
            elif action == "discard":
                done = services.advisory_discard(user=request.user, advisory_id=found.pk)
            else:
                raise services.AdvisoryRefused({"advisory": str(_("Choose what to do."))})
        except NotFound:
            raise Http404 from None
        except services.AdvisoryRefused as refusal:
            for field, problem in refusal.problems.items():
                form.add_error(field if field in form.fields else None, problem)
        except CivicError as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(f"{reverse('sensors-operator:overview')}?done={done.identifier}")
    return render(
        request,
        "sensors/operator_advisory.html",
        {
            "advisory": found,
            "form": form,
            "language_choices": settings.LANGUAGES,
            "in_force": found in selectors.advisories_in_force(),
            "history": selectors.advisory_history(advisory=found)
            if found.state == found.State.ISSUED
            else [],
        },
        status=400 if form.errors else 200,
    )


CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN = 640, 240, 40


def _chart(series: dict) -> dict:
    """SVG coordinates of a line chart of the readings, with the rules' levels as lines."""
    points = series["points"]
    levels = [r.level for r in series["rules"] if r.level is not None]
    values = [v for _at, v in points] + levels
    if not points:
        return {}
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    start, seconds = series["start"], (series["end"] - series["start"]).total_seconds() or 1.0
    width, height = CHART_WIDTH - 2 * CHART_MARGIN, CHART_HEIGHT - 2 * CHART_MARGIN

    def y(value: float) -> float:
        return round(CHART_MARGIN + height - (value - low) / span * height, 1)

    line = " ".join(
        f"{round(CHART_MARGIN + (at - start).total_seconds() / seconds * width, 1)},{y(v)}"
        for at, v in points
    )
    return {
        "line": line,
        "levels": [{"value": level, "y": y(level)} for level in levels],
        "low": low,
        "high": high,
        "y_low": y(low),
        "y_high": y(high),
        "x_end": CHART_WIDTH - CHART_MARGIN,
    }


@staff_with(Role.CITY_OPERATOR)
def datastream(request: HttpRequest, datastream_id: int) -> HttpResponse:
    series = selectors.datastream_series(datastream_id=datastream_id)
    if series is None:
        raise Http404
    return render(
        request,
        "sensors/operator_datastream.html",
        {"series": series, "chart": _chart(series), "width": CHART_WIDTH, "height": CHART_HEIGHT},
    )
