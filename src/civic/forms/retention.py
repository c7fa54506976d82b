"""Removing the personal data of old submissions, for the cases' retention run: the answers,
what was prefilled, who applied and for whom, and uploaded files. The submission's row, form
version and dates stay, so statistics still count it. Re-exported by ``forms.services``."""

from __future__ import annotations

from django.db import transaction

from civic.forms.models import Draft, Submission, Upload

ANONYMOUS = ""


def submissions_anonymise(*, submission_ids: list[int]) -> int:
    """Blank the submissions ``submission_ids`` and their drafts; delete their uploads (the
    files too). Returns the submissions changed. Runs in the caller's transaction."""
    if not submission_ids:
        return 0
    drafts = list(
        Submission.objects.filter(id__in=submission_ids).values_list("draft_id", flat=True)
    )
    uploads = Upload.objects.filter(draft_id__in=drafts)
    files = [(upload.file.storage, upload.file.name) for upload in uploads.only("id", "file")]
    uploads.delete()
    # Files go only once the rows' removal is committed: a run rolled back keeps them.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    Draft.objects.filter(id__in=drafts).update(
        answers={}, prefilled={}, applicant=ANONYMOUS, subject=ANONYMOUS
    )
    return Submission.objects.filter(id__in=submission_ids).update(
        answers={}, prefilled={}, applicant=ANONYMOUS, subject=ANONYMOUS
    )
