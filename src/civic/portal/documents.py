""" "Send us a document": a resident sends a document that is not about one of their cases (or
they do not know which), and sees what they sent and what became of each."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civic.core.errors import CivicError
from civic.documents.intake import document_send
from civic.documents.selectors import documents_sent_by
from civic.forms import uploads
from civic.portal.applications import resident_required
from civic.portal.forms import DocumentForm


@resident_required
def send(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(prefix="document")
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, prefix="document")
        stopped = getattr(request, uploads.REFUSED, {})
        if stopped:  # the upload handler stopped a file past the size limit unread
            name = next(iter(stopped.values()))
            form.add_error("document", uploads.too_large(name, settings.UPLOAD_MAX_MB))
        if form.is_valid():
            try:
                document_send(personal_number=request.resident, file=form.cleaned_data["document"])
            except CivicError as refusal:
                form.add_error("document", str(refusal))
            else:
                return redirect(reverse("portal:documents") + "?sent=1")
    return render(
        request,
        "portal/documents.html",
        {
            "form": form,
            "documents": documents_sent_by(personal_number=request.resident),
            "sent": request.GET.get("sent") == "1",
        },
        status=400 if form.errors else 200,
    )
