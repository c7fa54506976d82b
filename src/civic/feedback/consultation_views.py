"""Public consultations' pages: the list and a consultation's page (a resident answers it,
logged in; its results once published), and the service owner's pages (start one, read the
written answers, publish the results with what was done)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civic.core.errors import CivicError, NotFound
from civic.feedback import consultation_selectors as selectors
from civic.feedback.consultations import (
    consultation_create,
    consultation_moderate,
    consultation_publish,
    consultation_respond,
)
from civic.feedback.forms import ConsultationForm, PublishForm
from civic.identity.access import staff_with
from civic.identity.models import Role
from civic.identity.selectors import resident_personal_number


def consultations(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/consultations.html", {"items": selectors.consultations_public()}
    )


def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    number = resident_personal_number(user=request.user)
    error = ""
    if request.method == "POST":
        if number is None:
            return redirect_to_login(request.get_full_path())
        try:
            consultation_respond(
                slug=slug,
                personal_number=number,
                option=request.POST.get("option", ""),
                text=request.POST.get("text", ""),
            )
        except NotFound:
            raise Http404 from None
        except CivicError as refusal:
            error = str(refusal)
        else:
            return redirect(reverse("consultations:consultation", args=[slug]) + "?answered=1")
    found = selectors.consultation_public(slug=slug, personal_number=number)
    if found is None:
        raise Http404
    return render(
        request,
        "feedback/consultation.html",
        {
            **found,
            "resident": number,
            "error": error,
            "posted": request.POST if error else {},
            "thanked": request.GET.get("answered") == "1",
        },
        status=400 if error else 200,
    )


service_owner_required = staff_with(Role.SERVICE_OWNER)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


@service_owner_required
def staff_consultations(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = consultation_create(
                user=request.user,
                slug=data["slug"],
                title={"en": data["title_en"], "nl": data["title_nl"]},
                question={"en": data["question_en"], "nl": data["question_nl"]},
                options=data["options"],
                opens_at=_day_start(data["opens"]),
                closes_at=_day_start(data["closes"] + dt.timedelta(days=1)),
            )
        except CivicError as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("feedback-staff:consultation", slug=made.slug)
    return render(
        request,
        "feedback/staff_consultations.html",
        {"items": selectors.consultations_for_staff(user=request.user), "form": form},
        status=400 if form.errors else 200,
    )


@service_owner_required
def staff_consultation(request: HttpRequest, slug: str) -> HttpResponse:
    form = PublishForm(request.POST if request.POST.get("action") == "publish" else None)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                if not form.is_valid():
                    raise CivicError(_first_error(form))
                consultation_publish(
                    user=request.user,
                    slug=slug,
                    outcome={
                        "en": form.cleaned_data["outcome_en"],
                        "nl": form.cleaned_data["outcome_nl"],
                    },
                )
            else:
                consultation_moderate(
                    user=request.user,
                    slug=slug,
                    response_id=int(request.POST.get("response", 0) or 0),
                    keep=request.POST.get("keep") == "1",
                )
        except NotFound:
            raise Http404 from None
        except CivicError as refusal:
            error = str(refusal)
        else:
            return redirect("feedback-staff:consultation", slug=slug)
    found = selectors.consultation_for_staff(user=request.user, slug=slug)
    if found is None:
        raise Http404
    return render(
        request,
        "feedback/staff_consultation.html",
        {**found, "form": form, "error": error},
        status=400 if error else 200,
    )


def _first_error(form) -> str:
    return next(str(e) for errors in form.errors.values() for e in errors)
