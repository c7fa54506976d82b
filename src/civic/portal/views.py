"""Resident pages: thin, composed from other apps' selectors and services."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from civic.cases.selectors import cases_of_resident, state_label
from civic.compliance.selectors import processing_limits_shown
from civic.core.errors import CivicError
from civic.core.params import id_param, page_param
from civic.decisions.rule_sets import rule_set_get
from civic.decisions.selectors import offers_for_resident
from civic.decisions.services import offer_accept, offer_decline
from civic.exchange.own_data import own_data
from civic.exchange.selectors import usage_page
from civic.exchange.services import correction_request_file
from civic.forms.selectors import drafts_unsent
from civic.identity.persons import person_names
from civic.identity.selectors import (
    authorisations_given,
    may_represent,
    representable,
    resident_personal_number,
)
from civic.identity.services import (
    authorisation_grant,
    authorisation_revoke,
    representation_refusal_record,
)
from civic.notify.selectors import inbox_page
from civic.portal.forms import AuthoriseForm, CorrectionForm, UsageFilterForm

PAGE_SIZE = 25


def _resident(request: HttpRequest) -> str | None:
    return resident_personal_number(user=request.user)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The resident's own page: my data with its sources, my cases, inbox, offers, data use."""
    number = _resident(request)
    if number is None:
        return redirect("home")
    person = acting_for(request)

    cases = cases_of_resident(personal_number=person or number, limit=5)
    return render(
        request,
        "portal/dashboard.html",
        {
            "sections": own_data(personal_number=number, acting_for=person),
            "recent_use": usage_page(personal_number=person or number, limit=5),
            "acting_for": person,
            "cases": [{"case": c, "status": state_label(case=c)} for c in cases],
            "drafts": list(drafts_unsent(applicant=number)[:5]),
            "inbox": inbox_page(personal_number=person or number, limit=3),
            "offers": [] if person else offers_for_resident(personal_number=number),
            "answered": request.GET.get("offer", ""),
        },
    )


@login_required
@require_POST
def offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Accept an offer (granted at once, or the pre-filled application opens) or decline it."""
    number = _resident(request)
    if number is None:
        return redirect("home")
    answer = request.POST.get("answer", "")
    try:
        if answer == "accept":
            accepted = offer_accept(personal_number=number, offer_id=offer_id)
            rule_set = rule_set_get(accepted.rule_set)
            if accepted.status == "accepted" and rule_set and rule_set.form:
                return redirect("portal:apply", service_code=rule_set.service)
            if accepted.status == "accepted" and rule_set:
                return redirect("catalog:service", code=rule_set.service)
            return redirect(f"{reverse('portal:dashboard')}?offer=granted#my-offers")
        if answer == "decline":
            offer_decline(personal_number=number, offer_id=offer_id)
            return redirect(f"{reverse('portal:dashboard')}?offer=declined#my-offers")
    except CivicError as error:
        if getattr(error, "code", "") == "already-granted":
            return redirect(f"{reverse('portal:dashboard')}?offer=elsewhere#my-offers")
    return redirect(f"{reverse('portal:dashboard')}#my-offers")


@login_required
def correction(request: HttpRequest) -> HttpResponse:
    """ "This is wrong": a report about one value, sent to the authority that keeps it."""
    number = _resident(request)
    if number is None:
        return redirect("home")
    register, attribute = request.GET.get("register", ""), request.GET.get("attribute", "")
    sections = {s["register_key"]: s for s in own_data(personal_number=number)}
    item = next(
        (i for i in sections.get(register, {}).get("items", []) if i["attribute"] == attribute),
        None,
    )
    if item is None:
        return redirect("portal:dashboard")
    form = CorrectionForm(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            filed = correction_request_file(
                personal_number=number,
                filed_by=number,
                register=register,
                attribute=attribute,
                shown_value=str(item["value"]),
                explanation=form.cleaned_data["explanation"],
            )
        except CivicError as refusal:
            form.add_error("explanation", str(refusal))
            status = getattr(refusal, "status", 400)
        else:
            return render(
                request,
                "portal/correction_filed.html",
                {"filed": filed, "section": sections[register]},
            )
    return render(
        request,
        "portal/correction.html",
        {"form": form, "item": item, "section": sections[register]},
        status=status or (400 if form.errors else 200),
    )


@login_required
def data_use(request: HttpRequest) -> HttpResponse:
    """Who used my data: every logged use, newest first, in plain words."""
    number = _resident(request)
    if number is None:
        return redirect("home")
    form = UsageFilterForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        zone = timezone.get_current_timezone()
        if form.cleaned_data["since"]:
            since = dt.datetime.combine(form.cleaned_data["since"], dt.time.min, zone)
        if form.cleaned_data["until"]:
            until = dt.datetime.combine(
                form.cleaned_data["until"] + dt.timedelta(days=1), dt.time.min, zone
            )
    page_number = page_param(request.GET)
    usage = usage_page(
        personal_number=acting_for(request) or number,
        since=since,
        until=until,
        offset=(page_number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    pages = max(1, -(-usage["total"] // PAGE_SIZE))
    if page_number > pages:
        # Past the last page (a list that shrank, an edited link): show the last one.
        page_number = pages
        usage = usage_page(
            personal_number=acting_for(request) or number,
            since=since,
            until=until,
            offset=(page_number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/data_use.html",
        {
            "form": form,
            "usage": usage,
            "limits": processing_limits_shown(personal_number=acting_for(request) or number),
            "page": page_number,
            "pages": pages,
            "previous_page": page_number - 1 if page_number > 1 else None,
            "next_page": page_number + 1 if page_number < pages else None,
            "filter_query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


ACTING_FOR = "civic.portal.acting_for"
#: The name of the person acted for, read once when acting starts, for the banner.
ACTING_FOR_NAME = "civic.portal.acting_for_name"


def acting_for(request: HttpRequest) -> str:
    """The person the resident acts for in this session, if the right still holds."""
    person = request.session.get(ACTING_FOR, "")
    number = _resident(request)
    if person and number and may_represent(representative=number, person=person) is None:
        request.session.pop(ACTING_FOR, None)
        request.session.pop(ACTING_FOR_NAME, None)
        return ""
    return person


def acting_for_asked(request: HttpRequest) -> str:
    """The person this session set out to act for, whether or not the right still holds. Pages
    that act (apply, answer, send) pass it to the services, which check the right at every step
    and refuse with the reason, rather than switching quietly to the resident's own affairs."""
    return request.session.get(ACTING_FOR, "")


def representation_refused(
    request: HttpRequest, refusal: CivicError, *, kept: bool = False
) -> HttpResponse:
    """The page for a representative whose right to act does not hold (any more). Acting for
    the person ends with it if no right at all is left, so the banner goes too."""
    acting_for(request)
    return render(
        request,
        "portal/representation_refused.html",
        {"message": str(refusal), "kept": kept},
        status=403,
    )


@login_required
def representation(request: HttpRequest) -> HttpResponse:
    """Act for a child or someone who authorised you; authorise someone else; revoke."""
    number = _resident(request)
    if number is None:
        return redirect("home")
    form = AuthoriseForm(request.POST if request.POST.get("action") == "grant" else None)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "act":
            person = request.POST.get("person", "")
            if may_represent(representative=number, person=person):
                request.session[ACTING_FOR] = person
                request.session[ACTING_FOR_NAME] = person_names(personal_numbers=[person]).get(
                    person, ""
                )
                return redirect("portal:dashboard")
            representation_refusal_record(actor=number, person=person, where="portal:act-for")
            error = gettext("You may not act for this person.")
        elif action == "stop":
            request.session.pop(ACTING_FOR, None)
            request.session.pop(ACTING_FOR_NAME, None)
            return redirect("portal:dashboard")
        elif action == "revoke":
            authorisation_revoke(
                grantor=number, authorisation_id=id_param(request.POST, "authorisation")
            )
            return redirect("portal:representation")
        elif action == "grant" and form.is_valid():
            try:
                authorisation_grant(
                    grantor=number,
                    representative=form.cleaned_data["representative"],
                    valid_until=form.cleaned_data["valid_until"],
                    scope=form.cleaned_data["scope"],
                )
            except CivicError as refusal:
                form.add_error(
                    "valid_until" if "date" in str(refusal) else "representative", str(refusal)
                )
            else:
                return redirect("portal:representation")
    return render(
        request,
        "portal/representation.html",
        {
            "people": representable(representative=number),
            "given": authorisations_given(grantor=number),
            "form": form,
            "error": error,
        },
        status=403 if error else 200,
    )
