"""Reads of the forms app for pages and other apps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from civic.core import clock
from civic.core.i18n import tr
from civic.forms import schema as schema_rules
from civic.forms.export import drafts_exported, uploads_about  # noqa: F401 (compliance's export)
from civic.forms.models import Draft, FormDefinition, FormVersion, Submission, Upload
from civic.forms.rendering import display
from civic.identity.selectors import agency_scoped


def form_for_service(*, service_code: str) -> FormDefinition | None:
    return (
        FormDefinition.objects.filter(service__code=service_code).select_related("service").first()
    )


def version_for_staff(*, user, version_id: int) -> FormVersion | None:
    """A version of a form of the staff member's agency (any for the installation's
    operator); None for another agency's, never revealing it exists."""

    return (
        agency_scoped(FormVersion.objects.all(), user=user, path="form__service__agency")
        .select_related("form__service")
        .filter(pk=version_id)
        .first()
    )


def version_published(*, form: FormDefinition) -> FormVersion | None:
    return form.versions.filter(status=FormVersion.Status.PUBLISHED).order_by("-number").first()


def forms_published() -> list[tuple[FormDefinition, dict | None]]:
    """Every form with the questions residents fill in now (None before the first version)."""
    out = []
    for form in FormDefinition.objects.select_related("service").order_by("code"):
        version = version_published(form=form)
        out.append((form, version.schema if version else None))
    return out


def form_schema_problems(*, schema: Any) -> list[str]:
    """What stops these questions being published, in words a service owner can act on."""
    from civic.forms.prefill import prefill_sources

    return schema_rules.schema_problems(schema, bindings=set(prefill_sources))


def form_grants_needed(*, schema: dict) -> dict[str, list[str]]:
    """register -> attributes residents must be granted under the form's purpose for its
    prefilled questions."""
    from civic.forms.prefill import grants_needed

    bindings = {f["prefill"] for f in schema_rules.questions(schema) if f.get("type") == "prefill"}
    return {r: sorted(a) for r, a in sorted(grants_needed(bindings).items())}


def draft_open(*, form: FormDefinition, applicant: str, subject: str) -> Draft | None:
    return (
        Draft.objects.filter(
            version__form=form, applicant=applicant, subject=subject, submitted_at__isnull=True
        )
        .order_by("-updated_at")
        .first()
    )


def drafts_unsent(*, applicant: str) -> QuerySet[Draft]:
    """Applications a resident started and has not sent, newest first."""
    return (
        Draft.objects.filter(applicant=applicant, submitted_at__isnull=True)
        .select_related("version__form__service")
        .order_by("-updated_at")
    )


def submission_latest(*, form: FormDefinition, applicant: str, subject: str) -> Submission | None:
    """The applicant's most recent submission of this form for ``subject``."""
    return (
        Submission.objects.filter(version__form=form, applicant=applicant, subject=subject)
        .order_by("-submitted_at")
        .first()
    )


def submission_get(*, reference: str) -> Submission | None:
    return Submission.objects.filter(reference=reference).select_related("version__form").first()


def uploads_of(*, submission: Submission) -> list[Upload]:
    return list(submission.draft.uploads.order_by("field", "pk"))


def retyped_questions(*, version: FormVersion) -> list[dict]:
    """Questions asking the resident for something a register already holds (goal: none)."""
    return schema_rules.retyped_questions(version.schema)


def answer_rows(*, schema: dict, answers: dict[str, Any], prefilled: dict[str, dict]) -> list[dict]:
    """The answers in order, grouped by step, in words: for check-your-answers, the case page
    and the PDF receipt. Prefilled values carry their register and date."""
    values = schema_rules.values_of(prefilled, answers)
    steps = []
    for step in schema_rules.steps_visible(schema, values):
        rows = []
        for field in schema_rules.fields_visible(step, values):
            key = field["key"]
            if field["type"] == "group":
                for index, item in enumerate(values.get(key) or [], start=1):
                    for member in field["fields"]:
                        rows.append(
                            {
                                "key": key,
                                "label": f"{tr(member['label'])} ({tr(field['label'])} {index})",
                                "value": display(member, item.get(member["key"])),
                            }
                        )
            else:
                row = {
                    "key": key,
                    "label": tr(field["label"]),
                    "value": display(field, values.get(key)),
                }
                if key in prefilled:
                    row["source"] = prefilled[key]
                rows.append(row)
        steps.append({"key": step["key"], "title": tr(step["title"]), "rows": rows})
    return steps


def prefill_coverage(*, since, service_code: str | None = None) -> dict[str, int]:
    """Of the questions a register could answer (the ``prefill`` fields) in the forms sent
    since ``since`` (of one service's form, if ``service_code``): how many there were, and how
    many the register did answer (a value was found; the others the resident had to fill in).
    Counts only, never an answer."""
    sent = Submission.objects.filter(submitted_at__gte=since)
    if service_code is not None:
        sent = sent.filter(version__form__service__code=service_code)
    counted = sent.aggregate(questions=Sum("prefill_questions"), answered=Sum("prefill_answered"))
    return {"questions": counted["questions"] or 0, "answered": counted["answered"] or 0}


def prefill_coverage_months() -> list[dict[str, Any]]:
    """``prefill_coverage`` per service and month sent (``"YYYY-MM"``): the forms sent, the
    questions a register could answer in them and how many it did. Counts only."""
    rows = (
        Submission.objects.annotate(month=TruncMonth("submitted_at"))
        .values_list("version__form__service__code", "month")
        .annotate(
            sent=Count("id"),
            questions=Sum("prefill_questions"),
            answered=Sum("prefill_answered"),
        )
        .order_by("version__form__service__code", "month")
    )
    return [
        {
            "service": code,
            "month": month.strftime("%Y-%m"),
            "sent": sent,
            "questions": questions or 0,
            "answered": answered or 0,
        }
        for code, month, sent, questions, answered in rows
    ]


def services_with_online_form() -> set[int]:
    """The ids of the services one can apply for online now (a form with a published version)."""
    return set(
        FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED).values_list(
            "form__service_id", flat=True
        )
    )


#: A draft not touched for this long counts as left at its step (a resident may still come back).
LEFT_AFTER_DAYS = 1


def _steps_reached_and_left(steps: list[dict], drafts) -> tuple[list[int], list[int]]:
    """Of ``drafts`` (``(step, submitted_at, updated_at)``), how many reached each of ``steps``
    and how many were left there: not touched for ``LEFT_AFTER_DAYS``, never sent."""
    order = {step["key"]: i for i, step in enumerate(steps)}
    quiet = clock.now() - dt.timedelta(days=LEFT_AFTER_DAYS)
    reached = [0] * len(steps)
    left = [0] * len(steps)
    for step, submitted_at, updated_at in drafts:
        furthest = len(steps) - 1 if submitted_at else order.get(step, 0)
        for i in range(furthest + 1):
            reached[i] += 1
        if submitted_at is None and updated_at < quiet:
            left[furthest] += 1
    return reached, left


def form_drop_off(*, form: FormDefinition, since) -> list[dict[str, Any]]:
    """Per step of the form's published version, in order: how many of the drafts started since
    ``since`` reached it, how many were left there (not touched for a day, never sent), and
    the step's questions. Counts only, never an answer."""
    version = version_published(form=form)
    if version is None:
        return []
    steps = version.schema["steps"]
    drafts = Draft.objects.filter(version__form=form, started_at__gte=since).values_list(
        "step", "submitted_at", "updated_at"
    )
    reached, left = _steps_reached_and_left(steps, drafts.iterator(chunk_size=5_000))
    return [
        {
            "key": step["key"],
            "title": tr(step.get("title", {})) or step["key"],
            "questions": [tr(f.get("label", {})) or f["key"] for f in step.get("fields", [])],
            "reached": reached[i],
            "left": left[i],
            "left_rate": left[i] / reached[i] if reached[i] else None,
        }
        for i, step in enumerate(steps)
    ]


def form_drop_off_months() -> list[dict[str, Any]]:
    """``form_drop_off`` of every form with a published version, per month its drafts were
    started (``"YYYY-MM"``): per step of that version, in order, how many drafts reached it and
    how many were left there. Counts only, never an answer."""
    out = []
    for form in FormDefinition.objects.select_related("service").order_by("code"):
        version = version_published(form=form)
        if version is None:
            continue
        steps = version.schema["steps"]
        by_month: dict[str, list[tuple]] = {}
        drafts = Draft.objects.filter(version__form=form).values_list(
            "started_at", "step", "submitted_at", "updated_at"
        )
        for started_at, *draft in drafts.iterator(chunk_size=5_000):
            month = timezone.localtime(started_at).strftime("%Y-%m")
            by_month.setdefault(month, []).append(tuple(draft))
        for month in sorted(by_month):
            reached, left = _steps_reached_and_left(steps, by_month[month])
            out.extend(
                {
                    "service": form.service.code,
                    "month": month,
                    "step": i + 1,
                    "step_key": step["key"],
                    "reached": reached[i],
                    "left": left[i],
                }
                for i, step in enumerate(steps)
            )
    return out
