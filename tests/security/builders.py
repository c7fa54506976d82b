"""Builders for the authorisation tests: an agency with one of everything a staff member or the
back office can touch, staff of each role, the matrix's own idea of what an agency owns, and a
fingerprint of an agency's rows to prove that nothing of it was written."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.contrib import admin
from django.core.files.base import ContentFile
from django.db.models import Q

from civic.cases.models import (
    AnswerDocument,
    Case,
    CaseEvent,
    Decision,
    InformationRequest,
    Task,
)
from civic.cases.services import case_note_add, task_add
from civic.catalog.models import Service
from civic.compliance import services as compliance
from civic.compliance.breaches.services import breach_record
from civic.compliance.models import AccessAlert, SubjectRequest
from civic.compliance.review.models import AccessReview
from civic.compliance.review.services import access_review_run
from civic.compliance.services import subject_request_start
from civic.core import clock
from civic.decisions.models import RuleOutcome, RuleSetMode
from civic.documents.models import Document, DocumentPage, DocumentType, Status
from civic.exchange import services as exchange
from civic.exchange.models import AccessLogEntry, LegalGround, Purpose
from civic.feedback.models import Consultation, Feedback
from civic.forms.models import FormDefinition, FormVersion, Upload
from civic.forms.services import form_definition_ensure
from civic.identity import services as identity
from civic.identity.models import (
    Agency,
    Role,
    StaffRecoveryCode,
    StaffRole,
    StaffSecondFactor,
    StaffTeam,
    User,
)
from civic.identity.selectors import agency_get
from civic.notify.models import Message
from civic.sensors.models import Advisory
from tests.builders import a_registered_resident, with_training
from tests.cases.builders import a_submitted_application

_counter = itertools.count(1)

A_SCHEMA = {
    "steps": [
        {
            "key": "only",
            "title": {"en": "Only", "nl": "Enige"},
            "fields": [{"key": "colour", "type": "text", "label": {"en": "Colour", "nl": "Kleur"}}],
        }
    ]
}
STAFF_ROLES = (
    Role.CASEWORKER,
    Role.SERVICE_OWNER,
    Role.DATA_PROTECTION_OFFICER,
    Role.ADMINISTRATOR,
    Role.POLICY_ADVISER,
    Role.CITY_OPERATOR,
)


@dataclass
class Estate:
    """One agency's things, each named with ``tag`` so that a page showing it is caught."""

    agency: Agency
    tag: str
    staff: dict[str, User]
    service: Service
    free_service: Service
    purpose: Purpose
    secret_purpose: Purpose
    form: FormDefinition
    version: FormVersion
    case: Case | None = None
    upload: Upload | None = None
    answer_document: AnswerDocument | None = None
    task: Task | None = None
    alert: AccessAlert | None = None
    #: A resident's objection (a data-subject request), its details naming the tag.
    subject_request: SubjectRequest | None = None
    #: A staff read for the data protection officer's review, and a breach in the register.
    review: object | None = None
    breach: object | None = None
    #: A what-if run, done, its reform named with the tag.
    reform_run: object | None = None
    #: A public advisory's draft, its headline naming the tag.
    advisory: object | None = None
    #: A read document in the agency's queue, its name and a field naming the tag.
    document: object | None = None
    #: A resident's comment on the agency's service, waiting for moderation, naming the tag.
    feedback: object | None = None
    #: A closed consultation of the agency, its question naming the tag.
    consultation: object | None = None
    markers: list[str] = field(default_factory=list)


def create_staff_member(*, agency: Agency, roles: list[str], username: str) -> User:
    """A staff member with current data-protection training (tests.builders.with_training)."""
    return with_training(
        identity.staff_user_create(
            username=username, agency=agency, roles=roles, password="correct horse battery staple"
        )
    )


def _service(agency: Agency, code: str) -> Service:
    def text(en: str, nl: str) -> dict[str, str]:
        return {"en": en, "nl": nl}

    return Service.objects.create(
        code=code,
        agency=agency,
        name=text(f"Service {code}", f"Dienst {code}"),
        summary=text("What it is", "Wat het is"),
        eligibility=text("Anyone", "Iedereen"),
        cost=text("Free", "Gratis"),
        duration=text("A week", "Een week"),
        needs=text("Nothing", "Niets"),
        how_to_apply=text("Online", "Online"),
        keywords=text("word", "woord"),
    )


def _purpose(agency: Agency, code: str, *, confidential: bool = False) -> Purpose:
    return exchange.purpose_ensure(
        code=code,
        name=f"Purpose {code}",
        description="Why we read",
        controller=agency,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis=f"Law of {code}, art. 1",
        confidential=confidential,
        embargo_days=30 if confidential else 0,
    )


def an_advisory_draft(agency_code: str, tag: str) -> Advisory:
    now = clock.now()
    texts = {
        code: {"headline": f"{tag}-advisory", "description": "High water", "area": "Centrum"}
        for code in ("en", "nl")
    }
    return Advisory.objects.create(
        identifier=f"{tag}-advisory",
        agency=agency_code,
        message_type=Advisory.MessageType.ALERT,
        texts=texts,
        created_at=now,
        effective=now,
    )


def a_queued_document(agency: Agency, tag: str) -> Document:
    """A read payslip in the agency's queue of documents to route, with one page image."""
    digest = hashlib.sha256(f"{tag}-document".encode()).hexdigest()
    now = clock.now()
    document = Document.objects.create(
        sha256=digest,
        file=ContentFile(b"%PDF-1.4 marker", name="original"),
        original_name=f"{tag}-document.pdf",
        media_type="application/pdf",
        size=15,
        pages=1,
        channel="staff-upload",
        received_at=now,
        status=Status.PROCESSED,
        processed_at=now,
        document_type=DocumentType.PAYSLIP,
        type_confidence=0.9,
        fields={"employer": f"{tag}-employer", "net_amount": "1.00"},
        queue=agency,
        routed_at=now,
        routing=[{"step": "queue", "value": agency.code, "by": "no-case", "confidence": 1.0}],
    )
    DocumentPage.objects.create(
        document=document,
        number=1,
        text=f"{tag}-document page",
        text_source="text-layer",
        image=ContentFile(b"\x89PNG\r\n\x1a\n", name="page-1.png"),
    )
    return document


def an_agency_estate(*, agency_code: str, tag: str, with_a_case: bool = False) -> Estate:
    """Staff of every role, a service with a form and a published version, a service without
    a form, purposes (one confidential), a grant, an API client, and (``with_a_case``) a case
    with a note, a task, an upload, a shadow outcome, a consent and an access-log entry."""
    agency = agency_get(code=agency_code)
    staff = {
        str(role): create_staff_member(agency=agency, roles=[role], username=f"{tag}-{role}")
        for role in STAFF_ROLES
    }
    service = _service(agency, f"{tag}-service")
    free_service = _service(agency, f"{tag}-free-service")
    purpose = _purpose(agency, f"{tag}-purpose")
    secret_purpose = _purpose(agency, f"{tag}-secret-purpose", confidential=True)
    form = form_definition_ensure(
        code=f"{tag}-form",
        service=service,
        purpose=purpose.code,
        title={"en": f"{tag} form", "nl": f"{tag} formulier"},
        schema=A_SCHEMA,
    )
    exchange.grant_create(
        purpose=purpose,
        register="persons",
        attributes=["identity.birth_date"],
        staff_role=Role.CASEWORKER,
        agency=agency,
    )
    api_client, _secret = identity.api_client_create(agency=agency, name=f"{tag}-client")
    estate = Estate(
        agency=agency,
        tag=tag,
        staff=staff,
        service=service,
        free_service=free_service,
        purpose=purpose,
        secret_purpose=secret_purpose,
        form=form,
        version=form.versions.get(),
        markers=[tag],
        alert=_an_access_alert(api_client, tag),
    )
    _a_retention_result(agency.code, tag)
    if with_a_case:
        _a_case(estate)
        estate.reform_run = _a_reform_run(estate)
        estate.subject_request = subject_request_start(
            personal_number=estate.case.subject,
            kind="objection",
            details=f"{tag}-request: stop using my data",
        )
    estate.advisory = an_advisory_draft(agency.code, tag)
    estate.document = a_queued_document(agency, tag)
    estate.feedback = Feedback.objects.create(
        kind="page-useful",
        service=estate.service,
        step="about_you",
        rating=0,
        comment=f"{tag}-feedback: the question was unclear",
        language="en",
        received_at=clock.now(),
        moderation="pending",
    )
    estate.consultation = Consultation.objects.create(
        slug=f"{tag}-consultation",
        agency=agency,
        title={"en": f"{tag}-consultation", "nl": f"{tag}-consultation"},
        question={"en": f"{tag}-question?", "nl": f"{tag}-question?"},
        options=[],
        opens_at=clock.now() - dt.timedelta(days=10),
        closes_at=clock.now() - dt.timedelta(days=1),
        created_by="setup",
    )
    # Every staff read so far is reviewed now: no visitor's page view finds new ones later.
    access_review_run()
    estate.review = AccessReview.objects.filter(agency=agency).first()
    estate.breach = breach_record(
        user=staff[Role.DATA_PROTECTION_OFFICER],
        discovered_at=clock.now() - dt.timedelta(hours=1),
        nature=f"{tag}-breach",
        data_categories="names",
        people_categories="residents",
        people_approx=2,
        records_approx=2,
        consequences="none known",
        measures="letter recalled",
    )
    return estate


def _a_reform_run(estate: Estate):
    """A reform of the agency's (its name carries the tag), computed over the population."""
    from civic.decisions.reform_runner import run_execute
    from civic.decisions.reform_runs import reform_save, run_start
    from civic.decisions.reforms import reform_parse

    spec = reform_parse(
        {
            "name": f"{estate.tag} reform",
            "parameters": {"school_clothing_grant.amount_per_child": {"add": 50}},
        }
    )
    reform = reform_save(agency=estate.agency.code, spec=spec)
    return run_execute(run_start(reform=reform, year=clock.today().year))


def _a_retention_result(agency_code: str, tag: str) -> None:
    """A retention run whose one result is the agency's (a case type named with the tag)."""
    from civic.compliance.retention.models import RetentionRun

    RetentionRun.objects.create(
        started_at=clock.now(),
        finished_at=clock.now(),
        triggered_by="schedule",
        status="done",
        results=[
            {
                "rule": f"cases.{tag}-cases:anonymise:7y",
                "kind": "case_type",
                "target": f"{tag}-cases",
                "agency": agency_code,
                "action": "anonymise",
                "years": 7,
                "attributes": [],
                "count": 3,
            }
        ],
    )


def _an_access_alert(api_client, tag: str) -> AccessAlert:
    """An alert about the agency's client, for its data protection officer only."""
    start = clock.now().replace(minute=0, second=0, microsecond=0)
    return compliance.access_alert_record(
        client_id=api_client.client_id,
        kind=AccessAlert.Kind.SEQUENTIAL,
        window_start=start,
        window_end=start + dt.timedelta(hours=1),
        counts={"walk": "address-identifiers", "distinct_in_block": 16, "block": 64},
        examples=[f"{tag}-alert-example"],
        trace_id=f"{tag}-alert-trace",
    )


def _a_case(estate: Estate) -> None:
    applicant = a_registered_resident()
    submission = a_submitted_application(applicant=applicant)
    case = Case.objects.get(submission=submission)
    assert case.agency == estate.agency, "the parking permit is the estate agency's"
    worker = estate.staff[Role.CASEWORKER]
    case_note_add(case=case, user=worker, text=f"{estate.tag}-note")
    estate.task = task_add(case=case, user=worker, title=f"{estate.tag}-task")
    estate.upload = Upload.objects.create(
        draft=submission.draft,
        field="proof",
        file=ContentFile(f"{estate.tag}-upload".encode(), name="proof.pdf"),
        name=f"{estate.tag}-upload.pdf",
        content_type="application/pdf",
        size=20,
        scan=Upload.Scan.CLEAN,
    )
    asked = InformationRequest.objects.create(
        case=case, question=f"{estate.tag}-question", asked_at=clock.now(), answer_due=clock.today()
    )
    estate.answer_document = AnswerDocument.objects.create(
        answer_to=asked,
        file=ContentFile(f"{estate.tag}-answer".encode(), name="answer.pdf"),
        name=f"{estate.tag}-answer.pdf",
        content_type="application/pdf",
        size=20,
        scan=AnswerDocument.Scan.CLEAN,
        uploaded_at=clock.now(),
    )
    RuleOutcome.objects.create(
        case_reference=case.reference,
        case_type=case.case_type.code,
        rule_set="parking_permit",
        route=RuleOutcome.Route.SHADOW,
        outcome="granted",
        caseworker_outcome="refused",
        agreed=False,
        explanation={"gaps": [f"{estate.tag}-gap"]},
        computed_at=clock.now(),
    )
    exchange.consent_give(personal_number=applicant, purpose=estate.purpose)
    AccessLogEntry.objects.create(
        at=clock.now(),
        actor_kind=AccessLogEntry.ActorKind.STAFF,
        actor=str(worker.pk),
        agency=estate.agency.code,
        purpose=estate.purpose.code,
        legal_ground=estate.purpose.legal_ground,
        legal_basis=estate.purpose.legal_basis,
        register="persons",
        subject=f"{estate.tag}-subject",
        fields="identity.birth_date",
        case=case.reference,
        trace_id=f"{estate.tag}-trace",
        visible_from=clock.now(),
    )
    estate.case = case
    estate.markers += [case.reference, applicant]


def another_resident() -> str:
    """A registered resident who is not the one whose case the estate holds."""
    from civic.registers.models import Person

    return (
        Person.objects.exclude(personal_number=a_registered_resident())
        .order_by("pk")
        .values_list("personal_number", flat=True)
        .first()
    )


# --- what belongs to an agency -------------------------------------------------------------


def scoped_admins() -> dict[type, Any]:
    return dict(admin.site._registry)


def agency_lookups(model) -> list[str]:
    """Every lookup from ``model`` to an agency, found by walking its foreign keys (three
    steps at most, not through users): the matrix's own idea of ownership, independent of
    what the back office declares. Empty for content no agency owns."""
    if model is Agency:
        return ["pk"]
    found, paths = [], [(model, "")]
    for _step in range(3):
        further = []
        for current, path in paths:
            for relation in current._meta.get_fields():
                if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
                    continue
                lookup = f"{path}{relation.name}"
                if relation.related_model is Agency:
                    found.append(lookup)
                elif relation.related_model is not User:
                    further.append((relation.related_model, f"{lookup}__"))
        paths = further
    return found


def rows_of(model, agency: Agency):
    """The rows of ``model`` that name the agency in any way; every row of content no agency
    owns."""
    lookups = agency_lookups(model)
    queryset = model._default_manager.all()
    if not lookups:
        return queryset
    return queryset.filter(reduce(or_, (Q(**{lookup: agency.pk}) for lookup in lookups))).distinct()


def owned_by(model) -> bool:
    return bool(agency_lookups(model))


def newest_of(model, agency: Agency):
    return rows_of(model, agency).order_by("pk").last()


def change_urls(agency: Agency) -> list[str]:
    """The back-office address of every row the agency owns: a page that links one leaks it."""
    urls = []
    for model in scoped_admins():
        if owned_by(model):
            meta = model._meta
            urls += [
                f"/admin/{meta.app_label}/{meta.model_name}/{pk}/change/"
                for pk in rows_of(model, agency).values_list("pk", flat=True)
            ]
    return urls


def _staff_tables(agency: Agency, case_types: set[str]) -> dict[str, Any]:
    return {
        "cases.Case": Case.objects.filter(agency=agency),
        "cases.CaseEvent": CaseEvent.objects.filter(case__agency=agency),
        "cases.Task": Task.objects.filter(case__agency=agency),
        "cases.InformationRequest": InformationRequest.objects.filter(case__agency=agency),
        "cases.Decision": Decision.objects.filter(case__agency=agency),
        "decisions.RuleSetMode": RuleSetMode.objects.filter(case_type__in=case_types),
        "decisions.RuleOutcome": RuleOutcome.objects.filter(case_type__in=case_types),
        "identity.StaffRole": StaffRole.objects.filter(user__agency=agency),
        "identity.StaffTeam": StaffTeam.objects.filter(user__agency=agency),
        "identity.StaffSecondFactor": StaffSecondFactor.objects.filter(user__agency=agency),
        "identity.StaffRecoveryCode": StaffRecoveryCode.objects.filter(factor__user__agency=agency),
        "compliance.SubjectRequest": SubjectRequest.objects.filter(case__agency=agency),
        "notify.Message": Message.objects.all(),
        "sensors.Advisory": Advisory.objects.filter(agency=agency.code),
        "exchange.AccessLogEntry (all)": AccessLogEntry.objects.all(),
    }


def fingerprint(agency: Agency) -> dict[str, str]:
    """A hash of every row the agency owns (and of every shared row), table by table."""
    case_types = set(agency.case_types.values_list("code", flat=True))
    tables = {model._meta.label: rows_of(model, agency) for model in scoped_admins()}
    tables.update(_staff_tables(agency, case_types))
    return {
        label: hashlib.sha256(repr(list(rows.order_by("pk").values_list())).encode()).hexdigest()
        for label, rows in tables.items()
    }


def write_count() -> int:
    """Rows inserted, updated or deleted so far: by this connection (SQLite's total_changes) or
    in this transaction (PostgreSQL's pg_stat_xact_user_tables). Cheap to read, so the matrix
    hashes the agency's rows again only after a request that wrote something somewhere."""
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables"
        )
        return int(cursor.fetchone()[0])


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"
