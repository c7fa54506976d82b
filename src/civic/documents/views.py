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

from civic.core.errors import CivicError
from civic.documents import selectors
from civic.documents.extraction import stored_field_names
from civic.documents.extraction.names import field_label, kind_label
from civic.documents.forms import BulkUploadForm, CorrectionForm
from civic.documents.intake import documents_upload
from civic.documents.models import DocumentType
from civic.documents.redaction import RedactionImpossible
from civic.documents.services import document_correct, document_redacted_pdf
from civic.forms import uploads
from civic.identity.access import staff_with
from civic.identity.models import Role

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
        },
        status=400 if form.errors else 200,
    )


@caseworker_required
def document_page(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_for_staff(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
    kind = request.POST.get("document_type", "") if request.method == "POST" else ""
    if kind not in DocumentType.values:
        kind = document.document_type or DocumentType.OTHER
    form = CorrectionForm(
        request.POST or None,
        document_type=document.document_type or DocumentType.OTHER,
        initial={
            "document_type": document.document_type,
            **{f"field_{k}": v for k, v in document.fields.items()},
        },
    )
    if request.method == "POST" and form.is_valid():
        wanted = set(stored_field_names(kind))
        fields = {k: v for k, v in form.corrected_fields().items() if k in wanted}
        try:
            with transaction.atomic():
                document_correct(
                    document=document,
                    user=request.user,
                    document_type=kind,
                    fields=fields,
                    note=form.cleaned_data["note"],
                )
        except CivicError as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(reverse("documents:document", args=[document.pk]) + "?corrected=1")
    pages = list(selectors.document_pages(document=document))
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "pages": pages,
            "fields": [(field_label(k), v) for k, v in document.fields.items()],
            "findings": [
                {**finding, "label": kind_label(finding["kind"])}
                for finding in document.personal_data
            ],
            "routing": document.routing,
            "corrections": selectors.document_corrections(document=document),
            "form": form,
            "corrected": request.GET.get("corrected") == "1",
        },
        status=400 if form.errors else 200,
    )


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
    document = selectors.document_for_staff(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
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
    document = selectors.document_for_staff(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
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
