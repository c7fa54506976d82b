"""The resident's data-subject rights, under /my/privacy/: their requests (access, portability,
rectification, erasure, objection, restriction), one to start, each one's state and answer,
and the download of everything Civic holds and logged about them. Thin: compliance decides."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civic.compliance import selectors, services
from civic.compliance.export import person_export_json
from civic.compliance.models import SubjectRequest
from civic.core.errors import CivicError
from civic.core.i18n import tr
from civic.exchange.own_data import LABELS
from civic.portal.applications import resident_required

EXPORTABLE = {SubjectRequest.Kind.ACCESS, SubjectRequest.Kind.PORTABILITY}


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you asking for?"),
        choices=SubjectRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you are asking for.")},
    )
    value = forms.ChoiceField(
        label=_("For a correction: which value is wrong?"),
        required=False,
        choices=[],
    )
    details = forms.CharField(
        label=_("What is your request about, and why?"),
        help_text=_(
            "For a correction, say what it should be. For an objection or a restriction, say "
            "which use of your data, and why."
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, values: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [("", _("Not a correction")), *values]


def _values() -> list[tuple[str, str]]:
    """The values on "my data" a correction may name, as register:attribute (no register is
    read to list them)."""
    return [
        ("income:income" if name == "income" else f"persons:{name}", label)
        for name, label in LABELS.items()
    ]


@resident_required
def requests(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, values=_values())
    if request.method == "POST" and form.is_valid():
        register, _colon, attribute = form.cleaned_data["value"].partition(":")
        try:
            made = services.subject_request_start(
                personal_number=request.resident,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                register=register,
                attribute=attribute,
                about=request.POST.get("about", ""),
            )
        except CivicError as refusal:
            form.add_error("details" if form.cleaned_data["kind"] else "kind", str(refusal))
        else:
            return redirect("portal:privacy-request", reference=made.case.reference)
    return render(
        request,
        "portal/privacy.html",
        {
            "form": form,
            "requests": selectors.subject_requests_of(personal_number=request.resident),
            "limits": selectors.processing_limits_shown(personal_number=request.resident),
        },
        status=400 if form.errors else 200,
    )


@resident_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.subject_request_of(personal_number=request.resident, reference=reference)
    if found is None:
        raise Http404
    return render(
        request,
        "portal/privacy_request.html",
        {
            "found": found,
            "exportable": found.kind in EXPORTABLE and found.state != "refused",
            "download": reverse("portal:privacy-export", args=[reference]),
            "refused": [tr(item["reason"]) for item in found.erasure.get("refused", [])],
        },
    )


@resident_required
def export(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything about the resident as JSON, made now: its register reads are logged under
    the request's case. Only for their own access or portability request."""
    found = selectors.subject_request_of(personal_number=request.resident, reference=reference)
    if found is None or found.kind not in EXPORTABLE or found.state == "refused":
        raise Http404
    data = person_export_json(personal_number=request.resident, case=found.case.reference)
    response = HttpResponse(data, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="my-data-{reference}.json"'
    response["Cache-Control"] = "no-store"
    return response
