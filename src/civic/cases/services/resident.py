"""Writes that start with the resident: a submitted application opens its case, messages,
answers to requests for information, objections."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.cases import workflow as flow
from civic.cases.models import AnswerDocument, Case, CaseEvent, CaseType, InformationRequest
from civic.cases.services.common import (
    _check_resident_may_act,
    _event,
    _move,
    _notify,
    _open,
)
from civic.core import clock
from civic.core.errors import CivicError, Conflict, NotFound
from civic.core.i18n import every_language
from civic.forms.receipt import receipt_pdf
from civic.forms.services import draft_send_check, submission_make
from civic.forms.uploads import upload_check
from civic.notify.services import notification_send


def application_submit(*, draft):
    """Send a resident's application: its submission (``forms.services.submission_make``)
    and the case it opens, in one transaction. However often it is called (a double click, a
    retry) there is one submission and one case; the submission is returned. Sending for
    someone else needs the right to apply for them now (checked, and a refusal recorded,
    before the transaction)."""
    draft_send_check(draft=draft)
    with transaction.atomic():
        submission = submission_make(draft=draft)
        if not Case.objects.filter(submission=submission).exists():
            case_open_for_submission(submission=submission)
    return submission


@transaction.atomic
def case_open_for_submission(*, submission) -> Case:
    """Open the case of a submitted application (by ``application_submit``, in the submission's
    transaction), and put the receipt in the resident's inbox. Nothing else runs in this
    transaction: what other apps do about the new case (the rules deciding it) runs after the
    commit."""
    case_type = CaseType.objects.filter(service=submission.version.form.service).first()
    if case_type is None:
        raise CivicError(_("No case type handles this service yet."))
    case = _open(
        case_type=case_type,
        reference=submission.reference,
        subject=submission.subject,
        applicant=submission.applicant,
        submission=submission,
    )
    notification_send(
        personal_number=case.applicant,
        template="case-received",
        context={
            "reference": case.reference,
            "service": case_type.name,
            "deadline": case.deadline.isoformat(),
        },
        reference=case.reference,
        attachment=(f"{case.reference}.pdf", receipt_pdf(submission=submission), "application/pdf"),
    )
    # The case's "opened" event (published by _open) is handled after this commits: the rules
    # decide it then, and a failure of theirs leaves the case with a caseworker.
    return case


def case_message_from_resident(*, case: Case, personal_number: str, text: str) -> CaseEvent:
    if personal_number not in (case.applicant, case.subject):
        raise NotFound(_("There is no such case."))
    _check_resident_may_act(case, personal_number, "cases:message")
    if not text.strip():
        raise CivicError(_("Write your message first."))
    return CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.MESSAGE_FROM_RESIDENT,
        actor="",
        text=text.strip()[:4000],
    )


@dataclass(frozen=True)
class IntakeDocument:
    """A document sent with an answer that document intake checked and keeps."""

    document_id: int
    name: str
    content_type: str
    size: int
    scanned: bool
    scanner: str


def information_answer(
    *,
    request_id: int,
    personal_number: str,
    answer: str,
    document=None,
    intake_document: IntakeDocument | None = None,
) -> InformationRequest:
    """The resident's answer, in words, with a document, or both: the case goes back to the
    caseworker and its clock runs again. The document is checked (type by content, size, the
    virus scanner) before anything is saved; a refused one refuses the whole answer. A document
    document intake took in already (checked and stored there, ``intake_document``) is noted
    with the answer, not stored again."""
    about = InformationRequest.objects.select_related("case").filter(pk=request_id).first()
    if about is not None and personal_number in (about.case.applicant, about.case.subject):
        _check_resident_may_act(about.case, personal_number, "cases:answer")
    checked = None
    if document is not None:  # UploadRefused (a CivicError) says what is wrong with it
        checked = upload_check(
            file=document, name=document.name, accept=None, max_size_mb=settings.UPLOAD_MAX_MB
        )
    with transaction.atomic():
        asked = _information_answer(
            request_id=request_id,
            personal_number=personal_number,
            answer=answer,
            with_document=document is not None or intake_document is not None,
        )
        if document is not None:
            _answer_document_store(asked, document, *checked)
        if intake_document is not None:
            AnswerDocument.objects.create(
                answer_to=asked,
                intake_document_id=intake_document.document_id,
                name=intake_document.name[:200],
                content_type=intake_document.content_type,
                size=intake_document.size,
                scan=AnswerDocument.Scan.CLEAN
                if intake_document.scanned
                else AnswerDocument.Scan.NOT_SCANNED,
                scanner=intake_document.scanner,
                uploaded_at=clock.now(),
            )
        return asked


def _answer_document_store(asked: InformationRequest, document, content_type: str, scan) -> None:
    stored = AnswerDocument(
        answer_to=asked,
        name=document.name[:200],
        content_type=content_type,
        size=document.size,
        scan=AnswerDocument.Scan.CLEAN if scan.scanned else AnswerDocument.Scan.NOT_SCANNED,
        scanner=scan.scanner,
        uploaded_at=clock.now(),
    )
    document.seek(0)
    try:
        stored.file.save(secrets.token_hex(16), document, save=False)
    except OSError as error:
        raise CivicError(
            _(
                "Your document could not be stored just now because of a fault on our side. "
                "Nothing was sent: please try again later."
            )
        ) from error
    stored.save()


def _information_answer(
    *, request_id: int, personal_number: str, answer: str, with_document: bool = False
):
    asked = (
        InformationRequest.objects.select_for_update()
        .select_related("case__case_type")
        .filter(pk=request_id, answered_at__isnull=True)
        .first()
    )
    if asked is None or personal_number not in (asked.case.applicant, asked.case.subject):
        raise NotFound(_("There is no open question with this number."))
    if not answer.strip() and not with_document:
        raise CivicError(_("Write your answer or add a document."))
    asked.answer, asked.answered_at = answer.strip()[:4000], clock.now()
    asked.save(update_fields=["answer", "answered_at"])
    case = asked.case
    back = flow.information_return(case.case_type.workflow)
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.INFORMATION_GIVEN,
        actor="",
        text=asked.answer,
    )
    if back and case.state != back:
        _move(case, back, None, case.version)
    return asked


def objection_file(*, case: Case, personal_number: str, reasons: str) -> Case:
    """The resident objects to a decision: a new case, linked to the decided one."""
    if personal_number in (case.applicant, case.subject):
        _check_resident_may_act(case, personal_number, "cases:objection")
    with transaction.atomic():
        return _objection_file(case=case, personal_number=personal_number, reasons=reasons)


def _objection_file(*, case: Case, personal_number: str, reasons: str) -> Case:
    if personal_number not in (case.applicant, case.subject) or not hasattr(case, "decision"):
        raise NotFound(_("There is no decision to object to."))
    if not reasons.strip():
        raise CivicError(_("Say why you object to the decision."))
    if case.objections.exists():
        raise Conflict(_("You have already objected to this decision."))
    objection_type = CaseType.objects.filter(agency=case.agency, is_objection=True).first()
    if objection_type is None:
        raise CivicError(_("This organisation does not take objections online yet."))
    objection = _open(
        case_type=objection_type,
        reference=f"{case.reference}-B",
        subject=case.subject,
        applicant=personal_number,
        objects_to=case,
    )
    CaseEvent.objects.create(
        case=objection,
        at=clock.now(),
        kind=CaseEvent.Kind.OBJECTION,
        actor="",
        text=reasons.strip()[:4000],
    )
    _event(
        case,
        CaseEvent.Kind.OBJECTION,
        text=every_language(
            lambda: _("Objection filed: %(reference)s") % {"reference": objection.reference}
        ),
    )
    _notify(objection, "objection-received", decided_case=case.reference)
    return objection


@transaction.atomic
def case_open_for_request(*, case_type: str, personal_number: str, text: str = "") -> Case:
    """Open a case about the resident, by the resident, of ``case_type`` without a form (a
    data-subject request), with what they wrote as its first line; they get the receipt."""
    the_type = CaseType.objects.filter(code=case_type).first()
    if the_type is None:
        raise CivicError(_("This organisation does not take this request online yet."))
    case = _open(
        case_type=the_type,
        reference=f"{clock.now():%y%m%d}-{secrets.token_hex(3).upper()}",
        subject=personal_number,
        applicant=personal_number,
    )
    if text.strip():
        _event(case, CaseEvent.Kind.MESSAGE_FROM_RESIDENT, text=text.strip()[:4000])
    notification_send(
        personal_number=personal_number,
        template="case-received",
        context={
            "reference": case.reference,
            "service": the_type.name,
            "deadline": case.deadline.isoformat(),
        },
        reference=case.reference,
    )
    return case
