"""The data protection officer's pages: access alerts of their agency, each to review,
acknowledge, or act on by revoking the client; the agency's record of processing activities,
as a page and a PDF. Thin: the services and selectors scope and write."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civic.compliance import selectors, services
from civic.compliance.record import recipient_said
from civic.compliance.record.pdf import processing_record_pdf
from civic.compliance.wording import counts_shown, kind_said
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.core.i18n import tr
from civic.identity.access import staff_with
from civic.identity.models import Role

DONE = {"acknowledged", "revoked"}


@staff_with(Role.DATA_PROTECTION_OFFICER)
def alerts(request: HttpRequest) -> HttpResponse:
    show = "all" if request.GET.get("show") == "all" else "open"
    rows = [
        {"alert": alert, "said": kind_said(alert)}
        for alert in selectors.access_alerts_list(user=request.user, show=show)
    ]
    done = request.GET.get("done", "")
    return render(
        request,
        "compliance/alerts.html",
        {"rows": rows, "show": show, "done": done if done in DONE else ""},
    )


@staff_with(Role.DATA_PROTECTION_OFFICER)
def alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    found = selectors.access_alert_get(user=request.user, alert_id=alert_id)
    if found is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "acknowledge":
                services.access_alert_acknowledge(
                    user=request.user, alert_id=found.pk, note=request.POST.get("note", "")
                )
            elif action == "revoke" and request.POST.get("confirm") == "yes":
                services.access_alert_client_revoke(user=request.user, alert_id=found.pk)
            elif action == "revoke":
                errors["confirm"] = _(
                    "Tick the box to confirm that the client's access is to be revoked."
                )
            else:
                raise Http404
        except NotFound:
            raise Http404 from None
        except CivicError as refusal:
            errors["note"] = str(refusal)
        if not errors:
            done = "revoked" if action == "revoke" else "acknowledged"
            return redirect(f"{reverse('compliance:alerts')}?done={done}")
    return render(
        request,
        "compliance/alert.html",
        {
            "alert": found,
            "said": kind_said(found),
            "counts": counts_shown(found),
            "errors": errors,
            "note": request.POST.get("note", found.note),
        },
        status=400 if errors else 200,
    )


@staff_with(*selectors.RECORD_READERS)
def processing(request: HttpRequest) -> HttpResponse:
    record = selectors.processing_record_of(user=request.user)
    for entry in record["purposes"]:
        for recipient in entry["recipients"]:
            recipient["said"] = recipient_said(recipient)
    return render(request, "compliance/processing.html", {"record": record})


@staff_with(*selectors.RECORD_READERS)
def processing_pdf(request: HttpRequest) -> HttpResponse:
    record = selectors.processing_record_of(user=request.user)
    response = HttpResponse(processing_record_pdf(record=record), content_type="application/pdf")
    name = f"record-of-processing-{record['controller'] or 'all'}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


HANDLERS = (Role.DATA_PROTECTION_OFFICER, Role.CASEWORKER)
ACTIONS = {"extend", "complete", "decide", "lift"}


@staff_with(*HANDLERS)
def requests(request: HttpRequest) -> HttpResponse:
    show = "all" if request.GET.get("show") == "all" else "open"
    return render(
        request,
        "compliance/requests.html",
        {
            "requests": selectors.subject_requests_list(user=request.user, show=show),
            "show": show,
            "today": clock.today(),
        },
    )


@staff_with(*HANDLERS)
def subject_request(request: HttpRequest, request_id: int) -> HttpResponse:
    found = selectors.subject_request_get(user=request.user, request_id=request_id)
    if found is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        text = request.POST.get("text", "")
        if action not in ACTIONS:
            raise Http404
        try:
            if action == "extend":
                services.subject_request_extend(user=request.user, request_id=found.pk, reason=text)
            elif action == "complete":
                services.subject_request_complete(
                    user=request.user,
                    request_id=found.pk,
                    note=text,
                    value=request.POST.get("value", ""),
                )
            elif action == "lift":
                services.subject_request_restriction_lift(
                    user=request.user, request_id=found.pk, reason=text
                )
            else:
                services.subject_request_decide(
                    user=request.user,
                    request_id=found.pk,
                    granted=request.POST.get("granted") == "yes",
                    reasons=text,
                    purpose=request.POST.get("purpose", ""),
                )
        except NotFound:
            raise Http404 from None
        except CivicError as refusal:
            errors["text"] = str(refusal)
        if not errors:
            return redirect("compliance:request", request_id=found.pk)
    return render(
        request,
        "compliance/request.html",
        {
            "found": found,
            "errors": errors,
            "text": request.POST.get("text", ""),
            "value": request.POST.get("value", ""),
            "refused": [tr(item["reason"]) for item in found.erasure.get("refused", [])],
            "decided_by_outcome": found.kind in {"objection", "restriction"},
            "objectable": selectors.objectable_purposes() if found.kind == "objection" else [],
            "chosen_purpose": request.POST.get("purpose", found.purpose),
        },
        status=400 if errors else 200,
    )


@staff_with(Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR)
def privacy_team(request: HttpRequest) -> HttpResponse:
    """The agency's Privacy team: who besides the officer handles data-subject requests."""
    from civic.compliance import team

    if request.method == "POST":
        try:
            member = team.privacy_team_set(
                user=request.user,
                member_id=int(request.POST.get("member", "0") or 0),
                in_team=request.POST.get("action") == "join",
            )
        except (NotFound, ValueError):
            raise Http404 from None
        return redirect(f"{reverse('compliance:privacy-team')}?changed={member.pk}")
    try:
        staff = team.privacy_team_list(user=request.user)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "compliance/privacy_team.html",
        {"staff": staff, "team": team.PRIVACY_TEAM, "changed": request.GET.get("changed", "")},
    )
