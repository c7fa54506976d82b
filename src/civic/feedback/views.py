"""Residents' feedback pages: the forms a resident sends from any page (no account needed;
works without JavaScript), the thank-you page, and the service owner's page of their
agency's services (ratings, drop-off per step, comments to moderate and to act on)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from civic.catalog.selectors import service_get
from civic.core.errors import CivicError, NotFound
from civic.feedback import selectors
from civic.feedback.forms import ActedOnForm, FeedbackForm
from civic.feedback.models import SATISFACTION, Kind
from civic.feedback.services import feedback_act_on, feedback_give, feedback_moderate
from civic.identity.access import staff_with
from civic.identity.models import Role


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("home")


def give(request: HttpRequest) -> HttpResponse:
    """GET: the feedback form on a page of its own (``?service=…&kind=…``); POST: keep it and
    say thank you, or show the form again with an error summary."""
    data = request.POST if request.method == "POST" else None
    initial = {k: request.GET.get(k, "") for k in ("kind", "service", "step", "next")}
    form = FeedbackForm(data, initial={**initial, "kind": initial["kind"] or Kind.SATISFACTION})
    if form.is_valid():
        try:
            feedback_give(
                kind=form.cleaned_data["kind"],
                service_code=form.cleaned_data["service"],
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                step=form.cleaned_data["step"],
            )
        except NotFound:
            raise Http404 from None
        except CivicError as refusal:
            form.add_error("rating", str(refusal))
        else:
            back = _safe_next(request, form.cleaned_data["next"])
            return redirect(reverse("feedback:thanks") + "?" + urlencode({"next": back}))
    service = service_get(code=(form.data.get("service") if data else initial["service"]) or "")
    if service is None:
        raise Http404
    kind = (form.data.get("kind") if data else initial["kind"]) or Kind.SATISFACTION
    return render(
        request,
        "feedback/give.html",
        {"form": form, "service": service, "kind": kind, "satisfaction": SATISFACTION},
        status=400 if form.errors else 200,
    )


def thanks(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/thanks.html", {"next": _safe_next(request, request.GET.get("next", ""))}
    )


service_owner_required = staff_with(Role.SERVICE_OWNER)


@service_owner_required
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request)


def _overview(request: HttpRequest, *, errors: dict | None = None, status: int = 200):
    return render(
        request,
        "feedback/overview.html",
        {
            "services": selectors.feedback_overview(user=request.user),
            "errors": errors or {},
            "done": request.GET.get("done", ""),
        },
        status=status,
    )


@service_owner_required
@require_POST
def moderate(request: HttpRequest, feedback_id: int) -> HttpResponse:
    try:
        feedback_moderate(
            user=request.user, feedback_id=feedback_id, keep=request.POST.get("keep") == "1"
        )
    except NotFound:
        raise Http404 from None
    except CivicError as refusal:
        return _overview(request, errors={feedback_id: str(refusal)}, status=400)
    return redirect(reverse("feedback-staff:overview") + "?done=moderated")


@service_owner_required
@require_POST
def act_on(request: HttpRequest, feedback_id: int) -> HttpResponse:
    form = ActedOnForm(request.POST)
    try:
        if not form.is_valid():
            raise CivicError(form.errors["what_we_did"][0])
        feedback_act_on(
            user=request.user,
            feedback_id=feedback_id,
            what_we_did=form.cleaned_data["what_we_did"],
        )
    except NotFound:
        raise Http404 from None
    except CivicError as refusal:
        return _overview(request, errors={feedback_id: str(refusal)}, status=400)
    return redirect(reverse("feedback-staff:overview") + "?done=acted")
