"""The caseworker's pages of document intake: the agency's queue of documents no case was
found for (with the bulk upload), one document with everything the pipeline decided and how
sure it was, its page images, and the correction form. Only the agency's own documents: any
other is "not found"."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from civic.core.errors import CivicError
from civic.documents import selectors
from civic.documents.extraction.names import field_label, kind_label
from civic.documents.forms import BulkUploadForm, CorrectionForm, RouteForm
from civic.documents.intake import documents_upload
from civic.documents.models import DocumentType
from civic.documents.redaction import RedactionImpossible
from civic.documents.services import (
    document_correct,
    document_redacted_pdf,
    document_route_by_hand,
)
from civic.forms import uploads
from civic.identity.access import staff_with
from civic.identity.models import Role
from civic.identity.selectors import agency_get, agency_list

caseworker_required = staff_with(Role.CASEWORKER)


@caseworker_required
def queue(request: HttpRequest) -> HttpResponse:
    form = BulkUploadForm()
    received = None
    if request.method == "POST":
        form = BulkUploadForm(request.POST, request.FILES)
        stopped = getattr(request, uploads.REFUSED, {})
        for name in stopped.values():
            form.add_error(None, uploads.too_large(name, settings.UPLOAD_MAX_MB))
        if form.is_valid() and not stopped:
            received = documents_upload(user=request.user, files=form.cleaned_data["files"])
    return render(
        request,
        "documents/queue.html",
        {
            "documents": selectors.documents_queue(user=request.user),
            "form": form,
            "received": received,
            "forwarded": agency_get(code=request.GET.get("forwarded", "")[:40]),
        },
        status=400 if form.errors else 200,
    )


def _document_or_404(request: HttpRequest, document_id: int):
    document = selectors.document_for_staff(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
    return document


def _route_form(request: HttpRequest, document, data=None) -> RouteForm:
    own = document.queue_id
    agencies = [(a.code, a.name) for a in agency_list() if a.pk != own]
    return RouteForm(data, agencies=agencies)


def _document_render(request: HttpRequest, document, form, route_form) -> HttpResponse:
    failed = bool(form.errors or route_form.errors)
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "pages": list(selectors.document_pages(document=document)),
            "fields": [(field_label(k), v) for k, v in document.fields.items()],
            "findings": [
                {**finding, "label": kind_label(finding["kind"])}
                for finding in document.personal_data
            ],
            "routing": document.routing,
            "corrections": selectors.document_corrections(document=document),
            "form": form,
            "route_form": route_form,
            "corrected": request.GET.get("corrected") == "1",
            "routed": request.GET.get("routed") == "1",
        },
        status=400 if failed else 200,
    )


def _correction_form(document, data=None) -> CorrectionForm:
    return CorrectionForm(
        data,
        document_type=document.document_type or DocumentType.OTHER,
        initial={
            "document_type": document.document_type,
            **{f"field_{k}": v for k, v in document.fields.items()},
        },
    )


@caseworker_required
def document_page(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    kind = request.POST.get("document_type", "") if request.method == "POST" else ""
    if kind not in DocumentType.values:
        kind = document.document_type or DocumentType.OTHER
    form = _correction_form(document, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                document_correct(
                    document=document,
                    user=request.user,
                    document_type=kind,
                    fields=form.corrected_fields(),
                    note=form.cleaned_data["note"],
                )
        except CivicError as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(reverse("documents:document", args=[document.pk]) + "?corrected=1")
    return _document_render(request, document, form, _route_form(request, document))


@caseworker_required
@require_POST
def route(request: HttpRequest, document_id: int) -> HttpResponse:
    """Route a queued document by hand: to a case of the agency (then the document's page,
    now under the case), or to another agency's queue (then back to this agency's queue, as
    the document is no longer this agency's to see)."""
    document = _document_or_404(request, document_id)
    route_form = _route_form(request, document, request.POST)
    if route_form.is_valid():
        try:
            routed = document_route_by_hand(
                document=document,
                user=request.user,
                case_reference=route_form.cleaned_data["case_reference"],
                agency_code=route_form.cleaned_data["agency"],
            )
        except CivicError as refusal:
            route_form.add_error(None, str(refusal))
        else:
            if routed.case_reference:
                return redirect(reverse("documents:document", args=[routed.pk]) + "?routed=1")
            return redirect(reverse("documents:queue") + f"?forwarded={routed.queue.code}")
    return _document_render(request, document, _correction_form(document), route_form)


@caseworker_required
def page_image(request: HttpRequest, document_id: int, number: int) -> FileResponse:
    document = selectors.document_for_staff(user=request.user, document_id=document_id)
    page = (
        selectors.document_pages(document=document).filter(number=number).first()
        if document
        else None
    )
    if page is None or not page.image:
        raise Http404
    return FileResponse(page.image.open("rb"), content_type="image/png")


@caseworker_required
def original(request: HttpRequest, document_id: int) -> FileResponse:
    """The file as it was received, under the name it came with."""
    document = _document_or_404(request, document_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.media_type or "application/octet-stream",
    )


@caseworker_required
def redacted(request: HttpRequest, document_id: int) -> HttpResponse:
    """A copy with every personal datum found blacked out (images only), to publish or to pass
    to a colleague without a need to see; refused with the reason when it cannot be made."""
    document = _document_or_404(request, document_id)
    try:
        pdf = document_redacted_pdf(document=document)
    except RedactionImpossible as refusal:
        return render(
            request,
            "documents/redaction_refused.html",
            {"document": document, "reason": str(refusal)},
            status=409,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    stem = document.original_name.rsplit(".", 1)[0] or "document"
    # The name is the sender's: Django's header escapes quotes and non-ASCII letters in it.
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-redacted.pdf")
    return response
