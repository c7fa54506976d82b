"""The resident's cases: each with its status timeline, the expected decision date, questions
from the caseworker to answer, messages, and an objection to a decision."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civic.cases import selectors
from civic.cases.forms import AnswerForm, TextForm
from civic.cases.services import case_message_from_resident, information_answer, objection_file
from civic.core.errors import CivicError
from civic.core.i18n import tr
from civic.core.params import id_param, page_param
from civic.decisions.selectors import case_explanation
from civic.decisions.services import review_request
from civic.documents.intake import document_answer, document_send
from civic.documents.models import DocumentType
from civic.documents.selectors import documents_sent_pending
from civic.forms import uploads
from civic.identity.services import RepresentationRefused, representation_check
from civic.portal.applications import resident_required
from civic.portal.forms import DocumentForm
from civic.portal.views import representation_refused

PAGE = 25


@resident_required
def case_list(request: HttpRequest) -> HttpResponse:
    page = page_param(request.GET)
    total = selectors.cases_of_resident_count(personal_number=request.resident)
    pages = max(1, -(-total // PAGE))
    cases = selectors.cases_of_resident(
        personal_number=request.resident, offset=(min(page, pages) - 1) * PAGE, limit=PAGE
    )
    rows = [{"case": c, "status": selectors.state_label(case=c)} for c in cases]
    return render(
        request,
        "portal/cases.html",
        {
            "rows": rows,
            "total": total,
            "page": min(page, pages),
            "pages": pages,
            "previous_page": page - 1 if 1 < page <= pages else None,
            "next_page": page + 1 if page < pages else None,
        },
    )


@resident_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_resident(personal_number=request.resident, reference=reference)
    if case is None:
        raise Http404
    forms_by_action = {
        "answer": None,
        "message": None,
        "objection": None,
        "review": None,
        "document": None,
    }
    action = request.POST.get("action", "") if request.method == "POST" else ""
    # The question answered is a hidden field: one that is not a number was not sent by the page.
    request_id = id_param(request.POST, "request") if action == "answer" else 0
    if action in forms_by_action:
        if action in ("answer", "document"):
            form_class = AnswerForm if action == "answer" else DocumentForm
            form = form_class(request.POST, request.FILES, prefix=action)
            stopped = getattr(request, uploads.REFUSED, {})
            if stopped:  # the upload handler stopped a file past the size limit unread
                name = next(iter(stopped.values()))
                form.add_error("document", uploads.too_large(name, settings.UPLOAD_MAX_MB))
        else:
            form = TextForm(request.POST, prefix=action)
        forms_by_action[action] = form
        if form.is_valid():
            text = form.cleaned_data.get("text", "")
            try:
                if action == "document":
                    document_send(
                        personal_number=request.resident,
                        file=form.cleaned_data["document"],
                        case_reference=case.reference,
                    )
                    return redirect(
                        reverse("portal:case", kwargs={"reference": case.reference})
                        + "?sent=document#documents"
                    )
                elif action == "answer" and form.cleaned_data.get("document"):
                    # A document with an answer goes to document intake: read, linked.
                    document_answer(
                        request_id=request_id,
                        personal_number=request.resident,
                        case_reference=case.reference,
                        answer=text,
                        file=form.cleaned_data["document"],
                    )
                elif action == "answer":
                    information_answer(
                        request_id=request_id, personal_number=request.resident, answer=text
                    )
                elif action == "review":
                    review_request(
                        personal_number=request.resident, reference=case.reference, reason=text
                    )
                elif action == "message":
                    case_message_from_resident(
                        case=case, personal_number=request.resident, text=text
                    )
                else:
                    objection = objection_file(
                        case=case, personal_number=request.resident, reasons=text
                    )
                    return redirect("portal:case", reference=objection.reference)
            except RepresentationRefused as refusal:
                return representation_refused(request, refusal)
            except CivicError as refusal:
                refused_file = action in ("answer", "document") and form.cleaned_data.get(
                    "document"
                )
                form.add_error("document" if refused_file else "text", str(refusal))
            else:
                return redirect("portal:case", reference=case.reference)
    try:
        # A case applied for someone else is theirs: shown only while they let you look. (What
        # is done on it, above, the services check: they need the right to act.)
        representation_check(
            representative=request.resident, person=case.subject, where="portal:case", right="look"
        )
    except RepresentationRefused as refusal:
        return representation_refused(request, refusal)
    empty_forms = {"answer": AnswerForm, "document": DocumentForm}
    for name in forms_by_action:
        forms_by_action[name] = forms_by_action[name] or empty_forms.get(name, TextForm)(
            prefix=name
        )
    decision = getattr(case, "decision", None)
    return render(
        request,
        "portal/case.html",
        {
            "case": case,
            "status": selectors.state_label(case=case),
            "events": selectors.timeline(case=case, public_only=True),
            "expected": selectors.expected_decision(case=case),
            "questions": selectors.information_open(case=case),
            "decision": decision,
            "decision_reasons": (tr(decision.reasons_texts) or decision.reasons)
            if decision
            else "",
            "agency_name": tr({"en": case.agency.name, "nl": case.agency.name_nl}),
            "explanation": case_explanation(
                reference=case.reference, outcome=decision.outcome if decision else ""
            ),
            "may_object": bool(decision)
            and not case.objections.exists()
            and not case.case_type.is_objection,
            "answer_form": forms_by_action["answer"],
            "message_form": forms_by_action["message"],
            "objection_form": forms_by_action["objection"],
            "review_form": forms_by_action["review"],
            "document_form": forms_by_action["document"],
            "documents": _documents(case, request.resident),
            "document_sent": request.GET.get("sent") == "document",
        },
        status=400 if any(f.errors for f in forms_by_action.values()) else 200,
    )


def _documents(case, resident: str) -> list[dict]:
    """The case's documents as the resident sees them: what each was read as, and those they
    sent that are still being read or were refused, with the reason."""
    rows = [
        {
            "name": d.name,
            "at": d.linked_at,
            "type": DocumentType(d.document_type).label if d.document_type else "",
            "state": "linked",
        }
        for d in selectors.case_documents(case=case)
    ]
    for d in documents_sent_pending(personal_number=resident, case_reference=case.reference):
        rows.append(
            {
                "name": d.original_name,
                "at": d.received_at,
                "type": "",
                "state": "refused" if d.status == "refused" else "reading",
                "reason": d.get_refusal_reason_display(),
            }
        )
    return rows
