"""The caseworker workbench: the queue with filters, sorting and bulk actions, and the case
page. Staff see their own agency's cases only; any other reference is "not found"."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civic.cases import selectors, services
from civic.cases.explanations import case_explanation
from civic.cases.forms import DecisionForm, InformationForm, TextForm, decision_choices
from civic.core.errors import CivicError
from civic.core.i18n import tr
from civic.core.params import id_param, int_param, page_param
from civic.exchange.selectors import QueryRefused
from civic.forms.selectors import answer_rows, uploads_of
from civic.identity.access import staff_with
from civic.identity.models import Role

PAGE = 50


_staff_with = staff_with
caseworker_required = _staff_with(Role.CASEWORKER)


@_staff_with(Role.CASEWORKER, Role.SERVICE_OWNER)
def backlog_page(request: HttpRequest) -> HttpResponse:
    """Backlog insight for managers, as a page with charts (SVG, with the figures as tables)
    or as JSON (``?format=json``)."""
    from django.http import JsonResponse

    from civic.cases.backlog import backlog
    from civic.cases.backlog_panels import backlog_panels

    case_type = request.GET.get("case_type", "")
    figures = backlog(user=request.user, case_type=case_type)
    if request.GET.get("format") == "json":
        return JsonResponse(figures)
    biggest = max(
        [1, *(w["in"] for w in figures["weekly"]), *(w["out"] for w in figures["weekly"])]
    )
    widest = max([1, *(a["cases"] for a in figures["by_age"])])
    return render(
        request,
        "cases/backlog.html",
        {
            "figures": figures,
            "panels": backlog_panels(request, case_type),
            "weekly": [
                {
                    **w,
                    "in_height": round(120 * w["in"] / biggest),
                    "out_height": round(120 * w["out"] / biggest),
                    "x": 10 + i * 50,
                }
                for i, w in enumerate(figures["weekly"])
            ],
            "ages": [
                {**a, "width": round(400 * a["cases"] / widest), "y": 10 + i * 34}
                for i, a in enumerate(figures["by_age"])
            ],
            "case_types": selectors.queue_facets(user=request.user)["case_types"],
            "case_type": case_type,
        },
    )


@caseworker_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    message = ""
    if request.method == "POST":
        chosen = selectors.cases_by_reference(user=user, references=request.POST.getlist("case"))
        action = request.POST.get("bulk", "")
        if not chosen:
            message = _("Choose at least one case.")
        elif action == "assign-me":
            services.cases_assign(cases=chosen, assignee=user, user=user)
            return redirect(request.get_full_path())
        elif action.startswith("team:"):
            try:
                services.cases_assign(cases=chosen, assignee=None, team=action[5:], user=user)
            except CivicError as refusal:
                message = str(refusal)
            else:
                return redirect(request.get_full_path())
        elif action == "unassign":
            services.cases_assign(cases=chosen, assignee=None, user=user)
            return redirect(request.get_full_path())
        elif action == "start_review":
            for case in chosen:
                try:
                    services.case_transition(
                        case=case,
                        transition="start_review",
                        user=user,
                        expected_version=case.version,
                    )
                except CivicError:
                    continue  # a case in another state keeps it; the queue shows the outcome
            return redirect(request.get_full_path())
        else:
            message = _("Choose what to do with the cases.")
    filters = {
        "state": request.GET.get("state", ""),
        "assigned": request.GET.get("assigned", ""),
        "team": request.GET.get("team", ""),
        "case_type": request.GET.get("case_type", ""),
        "overdue": request.GET.get("overdue") == "1",
        "sort": request.GET.get("sort", "deadline"),
    }
    page = page_param(request.GET)
    result = selectors.queue(user=user, offset=(page - 1) * PAGE, limit=PAGE, **filters)
    pages = None if result["capped"] else max(1, -(-result["total"] // PAGE))
    overdue, overdue_capped = selectors.overdue_count(
        user=user, **{k: filters[k] for k in ("state", "assigned", "team", "case_type")}
    )
    query = request.GET.copy()
    query.pop("page", None)
    overdue_query = query.copy()
    overdue_query["overdue"] = "1"  # the overdue link keeps the filters its count obeys
    facets = selectors.queue_facets(user=user)
    return render(
        request,
        "cases/queue.html",
        {
            "rows": [
                {"case": c, "status": selectors.state_label(case=c, for_staff=True)}
                for c in result["cases"]
            ],
            "total": result["total"],
            "capped": result["capped"],
            "filters": filters,
            "facets": facets,
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if result["has_next"] else None,
            "filter_query": query.urlencode(),
            "overdue_query": overdue_query.urlencode(),
            "message": message,
            "overdue": overdue,
            "overdue_capped": overdue_capped,
        },
        status=400 if message else 200,
    )


@caseworker_required
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    case = selectors.case_for_staff(user=user, reference=reference)
    if case is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    version = int_param(request.POST, "version", default=0) if action else 0
    forms = {
        "note": TextForm(request.POST if action == "note" else None, prefix="note"),
        "message": TextForm(request.POST if action == "message" else None, prefix="message"),
        "information": InformationForm(request.POST if action == "information" else None),
        "decision": DecisionForm(
            request.POST if action == "decision" else None, choices=decision_choices(case.case_type)
        ),
    }
    error, status = "", 200
    if action:
        try:
            done = _act(request, case, action, version, forms)
        except services.StaleCase as refusal:
            error, status = str(refusal), 409
            case = selectors.case_for_staff(user=user, reference=reference)
        except CivicError as refusal:
            error, status = str(refusal), 400
        else:
            if done:
                return redirect(reverse("cases:case", args=[case.reference]) + f"#{done}")
    if any(f.errors for f in forms.values()):
        status = 400
    register_data, register_error = [], ""
    if request.GET.get("show") == "register":
        try:
            register_data = selectors.case_register_data(case=case, user=user)
        except QueryRefused as refusal:
            register_error = str(refusal)
    submission = case.submission
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "status": selectors.state_label(case=case, for_staff=True),
            "events": selectors.timeline(case=case),
            "transitions": [
                t
                for t in selectors.transitions_for(case=case, user=user)
                if not t.get("decision") and not t.get("information")
            ],
            "may_decide": any(
                t.get("decision") for t in selectors.transitions_for(case=case, user=user)
            ),
            "may_ask": any(
                t.get("information") for t in selectors.transitions_for(case=case, user=user)
            ),
            "answers": answer_rows(
                schema=submission.version.schema,
                answers=submission.answers,
                prefilled=submission.prefilled,
            )
            if submission
            else [],
            "uploads": uploads_of(submission=submission) if submission else [],
            "register_data": register_data,
            "register_error": register_error,
            "questions": case.information_requests.order_by("asked_at"),
            "answer_documents": selectors.answer_documents(case=case),
            "read_documents": _read_documents(case),
            "tasks": case.tasks.order_by("done_at", "due", "pk"),
            "explanation": case_explanation(reference=case.reference, with_shadow=True),
            "forms": forms,
            "error": error,
        },
        status=status,
    )


def _read_documents(case) -> list[dict]:
    """The documents intake linked to the case, with what was read, in the reader's language."""
    return [
        {
            "document_id": d.document_id,
            "name": d.name,
            "type": tr(d.texts.get("type", {})) or d.document_type,
            "confidence": d.type_confidence,
            "corrected": d.corrected_at,
            "fields": [
                (tr(d.texts.get("fields", {}).get(name, {})) or name, value)
                for name, value in d.fields.items()
            ],
        }
        for d in selectors.case_documents(case=case)
    ]


def _act(request: HttpRequest, case, action: str, version: int, forms: dict) -> str:
    """Carry out one action of the case page; returns the anchor to go back to ('' if the form
    has errors to show)."""
    user = request.user
    if action == "transition":
        services.case_transition(
            case=case,
            transition=request.POST.get("transition", ""),
            user=user,
            expected_version=version,
        )
        return "status"
    if action == "assign-me":
        services.cases_assign(cases=[case], assignee=user, user=user)
        return "status"
    if action in ("note", "message") and forms[action].is_valid():
        text = forms[action].cleaned_data["text"]
        if action == "note":
            services.case_note_add(case=case, user=user, text=text)
        else:
            services.case_message_send(case=case, user=user, text=text)
        return "timeline"
    if action == "information" and forms["information"].is_valid():
        data = forms["information"].cleaned_data
        services.information_request(
            case=case,
            user=user,
            question=data["question"],
            answer_due=data["answer_due"],
            expected_version=version,
        )
        return "status"
    if action == "decision" and forms["decision"].is_valid():
        data = forms["decision"].cleaned_data
        template = next(
            t for t in case.case_type.decision_templates if t["code"] == data["template"]
        )
        services.case_decide(
            case=case,
            user=user,
            outcome=template["outcome"],
            template=template["code"],
            reasons=data["reasons"],
            expected_version=version,
        )
        return "status"
    if action == "task" and request.POST.get("title", "").strip():
        services.task_add(case=case, user=user, title=request.POST["title"])
        return "tasks"
    if action == "task-done":
        task = case.tasks.filter(pk=id_param(request.POST, "task")).first()
        if task:
            services.task_done(task=task, user=user)
        return "tasks"
    if action == "task":
        raise CivicError(_("Say what needs doing."))
    return ""


@caseworker_required
def document(request: HttpRequest, reference: str, upload_id: int) -> FileResponse:
    case = selectors.case_for_staff(user=request.user, reference=reference)
    if case is None or case.submission is None:
        raise Http404
    upload = next((u for u in uploads_of(submission=case.submission) if u.pk == upload_id), None)
    return _download(upload)


@caseworker_required
def answer_document(
    request: HttpRequest, reference: str, document_id: int
) -> FileResponse | HttpResponse:
    """A document the resident sent with an answer; only for the case's own agency."""
    case = selectors.case_for_staff(user=request.user, reference=reference)
    stored = selectors.answer_document_get(case=case, document_id=document_id) if case else None
    if stored is not None and stored.intake_document_id:  # document intake keeps the file
        return redirect("documents:document", stored.intake_document_id)
    return _download(stored)


def _download(stored) -> FileResponse:
    """A stored file (an application's upload or an answer's document) as an attachment, under
    the name the resident gave it; 404 for none."""
    if stored is None:
        raise Http404
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
