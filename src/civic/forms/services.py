"""Writes of the forms app: versions, drafts saved at every step, uploads, and submission."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.exchange.selectors import purpose_get
from civic.forms import schema as schema_rules
from civic.forms.models import Draft, FormDefinition, FormVersion, Submission, Upload
from civic.forms.prefill import prefill_read, prefill_sources
from civic.forms.retention import submissions_anonymise  # noqa: F401 (a service of forms)
from civic.forms.selectors import draft_open
from civic.forms.uploads import upload_check
from civic.identity.selectors import agency_may_act
from civic.identity.services import representation_check


class FormInvalid(CivicError):
    """A form version whose questions are not well formed; ``problems`` lists them."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class DraftIncomplete(CivicError):
    def __init__(self, missing: list[tuple[str, str]]):
        super().__init__(_("Some questions are not answered yet."))
        self.missing = missing


def _check_owner(form: FormDefinition, user) -> None:
    """Staff change only their own agency's forms; ``user`` None is the installation's own
    loader (``civic demo``, set-up files)."""
    if user is not None and not agency_may_act(user=user, agency_id=form.service.agency_id):
        raise NotFound(_("There is no such form."))


def form_purpose_check(*, purpose: str, service) -> None:
    """A form's prefill reads under a purpose its service's agency controls, and not a
    confidential one: the resident reads their own data while they fill it in, so every use
    must be theirs to see at once (confidential purposes hide uses until an embargo ends)."""
    found = purpose_get(code=purpose)
    if found is None or found.controller_id != service.agency_id:
        raise CivicError(_("Choose a purpose of the agency that owns the service."))
    if found.confidential:
        raise CivicError(
            _("A form cannot read under a confidential purpose: residents see every use.")
        )


@transaction.atomic
def form_definition_save(*, definition: FormDefinition, user) -> FormDefinition:
    """Create or change a form definition as ``user``: only on a service of their own agency,
    under a purpose that ``form_purpose_check`` allows."""
    service = definition.service
    if user is not None and not agency_may_act(user=user, agency_id=service.agency_id):
        raise NotFound(_("There is no such service."))
    if definition.pk is not None:
        _check_owner(FormDefinition.objects.select_related("service").get(pk=definition.pk), user)
    form_purpose_check(purpose=definition.purpose, service=service)
    definition.save()
    return definition


def form_version_save(*, form: FormDefinition, schema: Any, user) -> FormVersion:
    """A new draft version of the form's questions, refused with every problem named."""
    _check_owner(form, user)
    problems = schema_rules.schema_problems(schema, bindings=set(prefill_sources))
    if problems:
        raise FormInvalid(problems)
    latest = form.versions.order_by("-number").first()
    return FormVersion.objects.create(
        form=form, number=(latest.number + 1) if latest else 1, schema=schema
    )


@transaction.atomic
def form_version_publish(*, version: FormVersion, user) -> FormVersion:
    """Make this version the one residents fill in; the one before is retired. Drafts and
    submissions keep the version they were started with."""
    _check_owner(version.form, user)
    problems = schema_rules.schema_problems(version.schema, bindings=set(prefill_sources))
    if problems:
        raise FormInvalid(problems)
    version.form.versions.filter(status=FormVersion.Status.PUBLISHED).exclude(pk=version.pk).update(
        status=FormVersion.Status.RETIRED
    )
    version.status = FormVersion.Status.PUBLISHED
    version.published_at = clock.now()
    version.save(update_fields=["status", "published_at"])
    return version


def _bindings(version: FormVersion) -> dict[str, str]:
    return {
        f["key"]: f["prefill"]
        for f in schema_rules.questions(version.schema)
        if f.get("type") == "prefill"
    }


def draft_start(*, form: FormDefinition, applicant: str, subject: str) -> Draft:
    """The resident's open draft of this form for ``subject``, or a new one on the published
    version with the register values read for prefill (logged under the form's purpose).
    Applying for someone else needs the right to apply for them, not only to look; a refusal
    is recorded (outside the transaction, so it stays)."""
    representation_check(representative=applicant, person=subject, where="portal:apply")
    with transaction.atomic():
        existing = (
            Draft.objects.select_for_update()
            .filter(
                version__form=form, applicant=applicant, subject=subject, submitted_at__isnull=True
            )
            .order_by("-updated_at")
            .first()
        )
        if existing:
            return existing
        version = (
            form.versions.filter(status=FormVersion.Status.PUBLISHED).order_by("-number").first()
        )
        if version is None:
            raise CivicError(_("This form is not open for applications yet."))
        prefilled = prefill_read(
            bindings=_bindings(version), purpose=form.purpose, applicant=applicant, subject=subject
        )
        for value in prefilled.values():
            value["confirmed"] = False
        first = version.schema["steps"][0]["key"]
        return Draft.objects.create(
            version=version, applicant=applicant, subject=subject, prefilled=prefilled, step=first
        )


def draft_resume(*, form: FormDefinition, applicant: str, subject: str) -> Draft | None:
    """The open draft to show a step or the answers of, if the applicant may still apply for
    ``subject`` (the draft holds the subject's register values); None when there is none."""
    draft = draft_open(form=form, applicant=applicant, subject=subject)
    if draft is not None:
        representation_check(representative=applicant, person=subject, where="forms:resume")
    return draft


def draft_step_save(
    *,
    draft: Draft,
    step: str,
    answers: dict[str, Any],
    files: dict[str, Any] | None = None,
    confirm_prefill: bool = False,
) -> Draft:
    """Keep a step's answers (and files, checked and scanned). Answers that a changed choice
    hides stay stored but count for nothing (see ``answers_in_force``). Applying for someone
    else is checked again at every step: a right narrowed, revoked or ended since the start
    refuses the step and keeps what was saved."""
    representation_check(representative=draft.applicant, person=draft.subject, where="forms:step")
    with transaction.atomic():
        return _draft_step_save(
            draft=draft, step=step, answers=answers, files=files, confirm_prefill=confirm_prefill
        )


def _draft_step_save(
    *,
    draft: Draft,
    step: str,
    answers: dict[str, Any],
    files: dict[str, Any] | None,
    confirm_prefill: bool,
) -> Draft:
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.submitted_at:
        raise CivicError(_("This application has already been sent."))
    specs = {f["key"]: f for f in schema_rules.questions(draft.version.schema)}
    for key, upload in (files or {}).items():
        spec = specs.get(key, {})
        content_type, result = upload_check(
            file=upload,
            name=upload.name,
            accept=spec.get("accept"),
            max_size_mb=upload_limit_mb(spec),
        )
        draft.uploads.filter(field=key).delete()
        stored = Upload(
            draft=draft,
            field=key,
            name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            scan=Upload.Scan.CLEAN if result.scanned else Upload.Scan.NOT_SCANNED,
            scanner=result.scanner,
        )
        upload.seek(0)
        # Storage moves the temporary file, or copies it a chunk at a time; when the disk is
        # full it removes what it wrote (core.storage), and the step is refused as a whole.
        try:
            stored.file.save(f"{secrets.token_hex(16)}", upload, save=False)
        except OSError as error:
            raise CivicError(
                _(
                    "Your document could not be stored just now because of a fault on our "
                    "side. Nothing on this page was saved: please try again later."
                )
            ) from error
        stored.save()
        answers[key] = upload.name[:200]
    draft.answers = {**draft.answers, **answers}
    if confirm_prefill:
        step_spec = next(s for s in draft.version.schema["steps"] if s["key"] == step)
        for field in step_spec["fields"]:
            if field["type"] == "prefill" and field["key"] in draft.prefilled:
                draft.prefilled[field["key"]]["confirmed"] = True
    draft.step = step
    draft.save(update_fields=["answers", "prefilled", "step", "updated_at"])
    return draft


def upload_limit_mb(spec: dict[str, Any]) -> int:
    """The largest file a question takes, in MB: its own ``max_size_mb``, at most
    CIVIC_UPLOAD_MAX_MB."""
    from django.conf import settings

    return min(spec.get("max_size_mb", settings.UPLOAD_MAX_MB), settings.UPLOAD_MAX_MB)


def answers_in_force(draft: Draft) -> dict[str, Any]:
    """The answers of the questions this resident's answers make visible, nothing else."""
    values = schema_rules.values_of(draft.prefilled, draft.answers)
    out: dict[str, Any] = {}
    for step in schema_rules.steps_visible(draft.version.schema, values):
        for field in schema_rules.fields_visible(step, values):
            if field["key"] in values:
                out[field["key"]] = values[field["key"]]
    return out


def draft_missing(draft: Draft) -> list[tuple[str, str]]:
    """(step key, field key) of each visible required question not answered, and each
    prefilled value not confirmed."""
    values = schema_rules.values_of(draft.prefilled, draft.answers)
    missing = []
    for step in schema_rules.steps_visible(draft.version.schema, values):
        for field in schema_rules.fields_visible(step, values):
            key = field["key"]
            if field["type"] == "prefill":
                if not draft.prefilled.get(key, {}).get("confirmed"):
                    missing.append((step["key"], key))
            elif field.get("required", True) and values.get(key) in (None, "", []):
                missing.append((step["key"], key))
    return missing


def _reference() -> str:
    return f"AP-{clock.now():%y%m%d}-{secrets.token_hex(3).upper()}"


def draft_send_check(*, draft: Draft) -> None:
    """Refuse (and record) sending for someone the applicant may no longer apply for: the
    right is needed now, not only when the draft was started. Called before the sending's
    transaction, so the refusal's record stays."""
    if draft.submitted_at is None:
        representation_check(
            representative=draft.applicant, person=draft.subject, where="forms:submit"
        )


def submission_make(*, draft: Draft) -> Submission:
    """The application's submission: one, however often it is called (a double click or a
    retry returns the first); the caller holds the transaction. An application is sent with
    ``cases.services.application_submit``, which checks first (``draft_send_check``) and opens
    the case with it: cases lies above forms."""
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.submitted_at:
        return draft.submission
    missing = draft_missing(draft)
    if missing:
        raise DraftIncomplete(missing)
    now = clock.now()
    submission = Submission.objects.create(
        reference=_reference(),
        draft=draft,
        version=draft.version,
        applicant=draft.applicant,
        subject=draft.subject,
        answers=answers_in_force(draft),
        prefilled=draft.prefilled,
        **schema_rules.prefill_counts(draft.prefilled),
        language=(get_language() or "en")[:10],
        submitted_at=now,
    )
    draft.submitted_at = now
    draft.save(update_fields=["submitted_at"])
    return submission


def form_definition_ensure(
    *, code: str, service, purpose: str, title: dict[str, str], schema: dict
) -> FormDefinition:
    """Create or update a form and publish ``schema`` as a new version when it differs from
    the published one (a jurisdiction's set-up calls it). The purpose rule holds for the
    set-up as for the back office."""
    form_purpose_check(purpose=purpose, service=service)
    form, _created = FormDefinition.objects.update_or_create(
        code=code, defaults={"service": service, "purpose": purpose, "title": title}
    )
    current = form.versions.filter(status=FormVersion.Status.PUBLISHED).first()
    if current is None or current.schema != schema:
        form_version_publish(
            version=form_version_save(form=form, schema=schema, user=None), user=None
        )
    return form


@transaction.atomic
def drafts_unsent_erase(*, applicant: str) -> int:
    """Erase the resident's own drafts never sent (with their uploads): an erasure request
    (GDPR art. 17) may; how many were erased. Sent ones are the case's and stay."""
    drafts = Draft.objects.filter(applicant=applicant, subject=applicant, submission__isnull=True)
    ids = list(drafts.values_list("pk", flat=True))
    uploads = Upload.objects.filter(draft_id__in=ids)
    files = [(upload.file.storage, upload.file.name) for upload in uploads if upload.file]
    uploads.delete()
    Draft.objects.filter(pk__in=ids).delete()

    def _files_delete() -> None:  # once the rows are gone for good: a rollback keeps both
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(_files_delete, robust=True)
    return len(ids)
