"""Applying for a service: the form's steps, check your answers, send; thin over forms.

Answers are saved at every step, so a resident can stop and go on later on another device.
A step sent after the session expired is kept in the new session and saved once the resident
has logged in again (files excepted: those are asked for again).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from civic.cases.services import application_submit
from civic.catalog.selectors import service_get
from civic.core.errors import CivicError
from civic.core.i18n import tr
from civic.exchange.selectors import QueryRefused
from civic.forms import schema as rules
from civic.forms import uploads
from civic.forms.rendering import StepForm, group_sizes, initial_for
from civic.forms.selectors import (
    answer_rows,
    draft_open,
    form_for_service,
    submission_get,
    submission_latest,
)
from civic.forms.services import (
    DraftIncomplete,
    draft_missing,
    draft_resume,
    draft_start,
    draft_step_save,
    upload_limit_mb,
)
from civic.identity.selectors import resident_personal_number
from civic.identity.services import RepresentationRefused
from civic.portal.views import acting_for_asked, representation_refused

PENDING = "civic.portal.pending_step"
#: Where "this is wrong" on a prefilled value goes: binding -> (register, attribute) of "my data".
CORRECTABLE = {
    "person.given_names": ("persons", "identity.given_names"),
    "person.family_name": ("persons", "identity.family_name"),
    "person.birth_date": ("persons", "identity.birth_date"),
    "person.address": ("persons", "residence.address"),
    "person.partner": ("persons", "partnership.partner"),
    "income.last_year": ("income", "income"),
}


def resident_required(view):
    """Like login_required, but a step posted after the session expired is kept for after login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        number = (
            resident_personal_number(user=request.user) if request.user.is_authenticated else None
        )
        if number is None:
            if request.method == "POST":
                data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
                request.session[PENDING] = {"path": request.path, "data": data}
            return redirect_to_login(request.get_full_path())
        request.resident = number
        return view(request, *args, **kwargs)

    return wrapper


def _form_or_404(service_code: str):
    form = form_for_service(service_code=service_code)
    if form is None:
        raise Http404
    return form


def _values(draft) -> dict:
    return rules.values_of(draft.prefilled, draft.answers)


@resident_required
def start(request: HttpRequest, service_code: str) -> HttpResponse:
    """Start or resume: the open draft's step, or a new draft with the register values."""
    form = _form_or_404(service_code)
    subject = acting_for_asked(request) or request.resident
    try:
        draft = draft_start(form=form, applicant=request.resident, subject=subject)
    except RepresentationRefused as refusal:
        return representation_refused(request, refusal)
    except (CivicError, QueryRefused) as refusal:
        return render(
            request,
            "portal/apply_unavailable.html",
            {"service": form.service, "message": str(refusal)},
            status=403,
        )
    return redirect(_resume(service_code, draft))


def _resume(service_code: str, draft) -> str:
    """Where a resident coming back continues: the step after the last one they saved (the
    check page when none is left); a draft never saved opens at its first step."""
    saved = bool(draft.answers) or any(v.get("confirmed") for v in draft.prefilled.values())
    if not saved:
        return reverse(
            "portal:apply-step", kwargs={"service_code": service_code, "step": draft.step}
        )
    return _next(service_code, draft, draft.step)


def _posted_initial(
    data, fields: list[dict], sizes: dict[str, int], removed: tuple[str, int] | None
):
    """What the resident typed, as initial values (to show again without error messages)."""
    initial = {}
    for spec in fields:
        if spec["type"] == "group":
            index_to = 0
            for index in range(
                sizes[spec["key"]] + (1 if removed and removed[0] == spec["key"] else 0)
            ):
                if removed and removed == (spec["key"], index):
                    continue
                for member in spec["fields"]:
                    initial[f"{spec['key']}-{index_to}-{member['key']}"] = data.get(
                        f"{spec['key']}-{index}-{member['key']}", ""
                    )
                index_to += 1
        elif spec["type"] not in ("prefill", "file"):
            initial[spec["key"]] = data.get(spec["key"], "")
    return initial


@resident_required
def step(request: HttpRequest, service_code: str, step: str) -> HttpResponse:
    form_def = _form_or_404(service_code)
    subject = acting_for_asked(request) or request.resident
    try:
        draft = draft_resume(form=form_def, applicant=request.resident, subject=subject)
    except RepresentationRefused as refusal:
        return representation_refused(request, refusal, kept=True)
    if draft is None:
        return redirect("portal:apply", service_code=service_code)
    visible = rules.steps_visible(draft.version.schema, _values(draft))
    current = next((s for s in visible if s["key"] == step), None)
    if current is None:
        return redirect("portal:apply-step", service_code=service_code, step=visible[0]["key"])
    data = request.POST if request.method == "POST" else _pending(request)
    if data is not None and data.get("form_version") != str(draft.version.number):
        # A page of another version of this form (an old tab, or a tampered field): keep what
        # is saved, and show the step as it is now.
        return render(
            request,
            "portal/apply_stale.html",
            {"service": form_def.service, "title": tr(form_def.title), "step": step},
            status=409,
        )
    values = _values(draft)
    if data is not None:
        values.update(
            {
                f["key"]: data.get(f["key"])
                for f in current["fields"]
                if f["type"] in ("choice", "yesno")
            }
        )
    fields = rules.fields_visible(current, values)
    sizes = group_sizes(fields, draft.answers)
    initial = initial_for(fields, draft.answers)
    action = data.get("action", "continue") if data is not None else ""
    uploaded = {u.field: u for u in draft.uploads.all()}
    form = None
    if data is not None:
        for spec in fields:
            if spec["type"] == "group":
                sizes[spec["key"]] = min(
                    20, max(1, _int(data.get(f"{spec['key']}-count"), sizes[spec["key"]]))
                )
        if action.startswith("add:") and action[4:] in sizes:
            initial = _posted_initial(data, fields, sizes, None)
            sizes[action[4:]] += 1
        elif action.startswith("remove:"):
            group, _sep, index = action[7:].rpartition(":")
            if group in sizes and sizes[group] > 1:
                sizes[group] -= 1
                initial = _posted_initial(data, fields, sizes, (group, _int(index, -1)))
        else:
            shown = set(data.get("shown", "").split(","))
            asked = [f for f in fields if f["key"] in shown or f["type"] == "prefill"]
            form = StepForm(data, request.FILES or None, fields_spec=asked, group_sizes=sizes)
            # Files the upload handler stopped at the limit: named in the error summary, with
            # the step's other answers shown again.
            stopped = getattr(request, uploads.REFUSED, {})
            for key in [*uploaded, *stopped]:
                if key in form.fields:
                    form.fields[key].required = False
            form.is_valid()
            for spec in asked:
                if spec["key"] in stopped:
                    limit = upload_limit_mb(spec)
                    form.add_error(spec["key"], uploads.too_large(stopped[spec["key"]], limit))
            if form.is_valid():
                try:
                    draft = draft_step_save(
                        draft=draft,
                        step=step,
                        answers=form.answers(),
                        files={k: f for k, f in request.FILES.items() if k in form.fields},
                        confirm_prefill=True,
                    )
                except RepresentationRefused as refusal:
                    return representation_refused(request, refusal, kept=True)
                except CivicError as refusal:
                    form.add_error(
                        next((k for k in request.FILES if k in form.fields), None), str(refusal)
                    )
                else:
                    if {f["key"] for f in fields} - shown:
                        # A choice revealed more questions on this step: ask them now.
                        return redirect("portal:apply-step", service_code=service_code, step=step)
                    return redirect(_next(service_code, draft, step))
    if form is None:
        form = StepForm(fields_spec=fields, group_sizes=sizes, initial=initial)
    prefilled = [
        {
            **draft.prefilled[f["key"]],
            "label": tr(f["label"]),
            "key": f["key"],
            "correct": CORRECTABLE.get(f["prefill"]),
        }
        for f in fields
        if f["type"] == "prefill" and f["key"] in draft.prefilled
    ]
    index = [s["key"] for s in visible].index(step)
    layout = form.layout()
    for part in layout:
        part["upload"] = uploaded.get(part["spec"]["key"]) if "spec" in part else None
    return render(
        request,
        "portal/apply_step.html",
        {
            "service": form_def.service,
            "title": tr(form_def.title),
            "step": current,
            "step_title": tr(current["title"]),
            "number": index + 1,
            "steps": len(visible),
            "form": form,
            "layout": layout,
            "shown": ",".join(f["key"] for f in form.fields_spec),
            "prefilled": prefilled,
            "uploaded": uploaded,
            "acting_for": subject if subject != request.resident else "",
            "previous": visible[index - 1]["key"] if index else "",
            "group_counts": sizes,
            "form_version": draft.version.number,
        },
        status=400 if form.errors else 200,
    )


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _pending(request: HttpRequest):
    """The step posted before the session expired, if it was this one."""
    from django.http import QueryDict

    pending = request.session.get(PENDING)
    if not pending or pending.get("path") != request.path:
        return None
    request.session.pop(PENDING)
    data = QueryDict(mutable=True)
    for key, values in pending["data"].items():
        data.setlist(key, values)
    return data


def _next(service_code: str, draft, step: str) -> str:
    visible = rules.steps_visible(draft.version.schema, _values(draft))
    keys = [s["key"] for s in visible]
    after = keys[keys.index(step) + 1 :] if step in keys else []
    if after:
        return reverse("portal:apply-step", kwargs={"service_code": service_code, "step": after[0]})
    return reverse("portal:apply-check", kwargs={"service_code": service_code})


@resident_required
def check(request: HttpRequest, service_code: str) -> HttpResponse:
    """Check your answers, then send. Sending twice (a double click) sends once."""
    form_def = _form_or_404(service_code)
    subject = acting_for_asked(request) or request.resident
    if request.method == "POST":
        # Sending checks the right to apply for someone else, as it sends.
        draft = draft_open(form=form_def, applicant=request.resident, subject=subject)
        if draft is None:
            # Already sent (a second click, a retry): show what the first one made.
            sent = submission_latest(form=form_def, applicant=request.resident, subject=subject)
            if sent is not None:
                return redirect(
                    "portal:apply-sent", service_code=service_code, reference=sent.reference
                )
            return redirect("portal:apply", service_code=service_code)
        try:
            submission = application_submit(draft=draft)
        except OSError:
            # The receipt could not be stored (a full disk): the sending was undone as a whole.
            return render(
                request,
                "portal/apply_not_sent.html",
                {"service": form_def.service, "title": tr(form_def.title)},
                status=503,
            )
        except RepresentationRefused as refusal:
            return representation_refused(request, refusal, kept=True)
        except DraftIncomplete as incomplete:
            return redirect(
                "portal:apply-step", service_code=service_code, step=incomplete.missing[0][0]
            )
        return redirect(
            "portal:apply-sent", service_code=service_code, reference=submission.reference
        )
    try:
        draft = draft_resume(form=form_def, applicant=request.resident, subject=subject)
    except RepresentationRefused as refusal:
        return representation_refused(request, refusal, kept=True)
    if draft is None:
        return redirect("portal:apply", service_code=service_code)

    missing = draft_missing(draft)
    return render(
        request,
        "portal/apply_check.html",
        {
            "service": form_def.service,
            "title": tr(form_def.title),
            "steps": answer_rows(
                schema=draft.version.schema, answers=draft.answers, prefilled=draft.prefilled
            ),
            "missing": missing,
            "uploads": list(draft.uploads.order_by("field")),
            "draft": draft,
        },
    )


@resident_required
def sent(request: HttpRequest, service_code: str, reference: str) -> HttpResponse:
    submission = submission_get(reference=reference)
    if submission is None or request.resident not in (submission.applicant, submission.subject):
        raise Http404
    service = service_get(code=service_code)
    return render(
        request,
        "portal/apply_sent.html",
        {
            "submission": submission,
            "service": service,
            "title": tr(submission.version.form.title),
            "case": getattr(submission, "case", None),
        },
    )
