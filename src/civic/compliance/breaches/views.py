"""The data protection officer's pages of the breach register: the list with each breach's
72-hour deadline, recording a breach, and one breach with the step it is at. Thin: the
services scope, check and write."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from civic.compliance.breaches import selectors, services
from civic.compliance.breaches.models import Breach
from civic.core.errors import CivicError, NotFound
from civic.identity.access import staff_with
from civic.identity.models import Role

FIELDS = (
    "nature",
    "data_categories",
    "people_categories",
    "people_approx",
    "records_approx",
    "consequences",
    "measures",
)


class Unreadable(ValueError):
    pass


def _moment(data, prefix: str) -> dt.datetime | None:
    """The date (day, month, year) and time (HH:MM) a form sent, in local time; None when the
    date was left empty; Unreadable when it is no date."""
    parts = [data.get(f"{prefix}-{p}", "").strip() for p in ("day", "month", "year")]
    clock_time = data.get(f"{prefix}-time", "").strip() or "00:00"
    if not any(parts):
        return None
    try:
        day, month, year = (int(p) for p in parts)
        hour, minute = (int(p) for p in clock_time.split(":", 1))
        return timezone.make_aware(dt.datetime(year, month, day, hour, minute))
    except (ValueError, OverflowError):
        raise Unreadable from None


def _moment_posted(data, prefix: str) -> dict[str, str]:
    """What the form sent for a date and time, to show again."""
    return {p: data.get(f"{prefix}-{p}", "") for p in ("day", "month", "year", "time")}


def _number(raw: str) -> int | None:
    raw = (raw or "").strip().replace(",", "").replace(".", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@staff_with(Role.DATA_PROTECTION_OFFICER)
def breaches(request: HttpRequest) -> HttpResponse:
    show = "all" if request.GET.get("show") == "all" else "open"
    return render(
        request,
        "compliance/breaches.html",
        {"rows": selectors.breaches_list(user=request.user, show=show), "show": show},
    )


@staff_with(Role.DATA_PROTECTION_OFFICER)
def breach_new(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        try:
            discovered = _moment(data, "discovered_at")
        except Unreadable:
            discovered, errors["discovered_at"] = None, ""
        if "discovered_at" not in errors:
            try:
                breach = services.breach_record(
                    user=request.user,
                    discovered_at=discovered,
                    people_approx=_number(data.get("people_approx", "")),
                    records_approx=_number(data.get("records_approx", "")),
                    **{f: data.get(f, "") for f in FIELDS if not f.endswith("_approx")},
                )
            except services.BreachRefused as refusal:
                errors[refusal.field] = str(refusal)
            else:
                return redirect(reverse("compliance:breach", args=[breach.pk]))
        else:
            errors["discovered_at"] = services.date_unreadable()
    return render(
        request,
        "compliance/breach_new.html",
        {
            "errors": errors,
            "posted": request.POST,
            "moment": _moment_posted(request.POST, "discovered_at"),
        },
        status=400 if errors else 200,
    )


def _step(request: HttpRequest, breach: Breach) -> None:
    data, user = request.POST, request.user
    step = data.get("step", "")
    if step != breach.step:
        raise services.BreachRefused("step", services.step_moved(breach))
    try:
        notified_at = _moment(data, "notified_at")
    except Unreadable:
        raise services.BreachRefused("notified_at", services.date_unreadable()) from None
    if step == Breach.Step.ASSESS:
        services.breach_assess(
            user=user, breach_id=breach.pk, risk=data.get("risk", ""), reason=data.get("reason", "")
        )
    elif step == Breach.Step.NOTIFY_AUTHORITY:
        services.breach_authority_notified(
            user=user,
            breach_id=breach.pk,
            notified_at=notified_at,
            authority_reference=data.get("authority_reference", ""),
            late_reason=data.get("late_reason", ""),
        )
    elif step == Breach.Step.NOTIFY_SUBJECTS:
        told = data.get("told", "")
        if told not in ("yes", "no"):
            raise services.BreachRefused("told", services.told_unchosen())
        services.breach_subjects_notified(
            user=user,
            breach_id=breach.pk,
            notified_at=notified_at if told == "yes" else None,
            exemption=data.get("exemption", "") if told != "yes" else "",
            told=told,
        )
    elif step == Breach.Step.CLOSE:
        services.breach_close(user=user, breach_id=breach.pk)


@staff_with(Role.DATA_PROTECTION_OFFICER)
def breach(request: HttpRequest, breach_id: int) -> HttpResponse:
    found = selectors.breach_get(user=request.user, breach_id=breach_id)
    if found is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            _step(request, found)
        except NotFound:
            raise Http404 from None
        except services.BreachRefused as refusal:
            errors[refusal.field] = str(refusal)
        except CivicError as refusal:
            errors["step"] = str(refusal)
        else:
            return redirect(reverse("compliance:breach", args=[found.pk]))
    return render(
        request,
        "compliance/breach.html",
        {
            "breach": found,
            "deadline": services.breach_deadline(found),
            "overdue": services.breach_overdue(found),
            "errors": errors,
            "posted": request.POST,
            "moment": _moment_posted(request.POST, "notified_at"),
            "risks": [
                (Breach.Risk.NONE, Breach.Risk.NONE.label),
                (Breach.Risk.RISK, Breach.Risk.RISK.label),
                (Breach.Risk.HIGH, Breach.Risk.HIGH.label),
            ],
        },
        status=400 if errors else 200,
    )
