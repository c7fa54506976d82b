"""The export's parts beyond the person's own records (GDPR arts. 15 and 20): the vehicles they
own and the businesses they own or represent (read through the exchange, logged), their unsent
drafts, the files they sent (content in base64 with its SHA-256), and their consents. None of
them holds another person's data: a co-owner's role, another owner of the same car, another
person's vehicle, drafts and files are not in it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest
from django.core.files.base import ContentFile

from civic.cases.models import AnswerDocument, Case, InformationRequest
from civic.compliance.export import person_export
from civic.core import clock
from civic.exchange.models import AccessLogEntry, Purpose
from civic.exchange.pseudonyms import person_pseudonym, pseudonym
from civic.exchange.services import consent_give
from civic.forms.models import FormDefinition, Upload
from civic.forms.services import draft_start
from civic.registers.models import (
    Business,
    BusinessRole,
    Person,
    Vehicle,
    VehicleOwnership,
)
from civic.registers.selectors import residents_sample
from tests.cases.builders import a_submitted_application
from tests.portal.test_acting_for_someone import a_parent_with_a_minor_child

pytestmark = pytest.mark.django_db

SINCE = dt.date(2020, 1, 1)


def _others(export: dict, count: int, family: set[str]) -> list[str]:
    """Residents who appear nowhere in ``export`` (so any trace of them later is a leak)."""
    text = json.dumps(export)
    found = [n for n in residents_sample(count=40, seed=7) if n not in family and n not in text]
    assert len(found) >= count
    return found[:count]


def _own(vehicle: Vehicle, number: str) -> None:
    VehicleOwnership.objects.create(
        vehicle=vehicle,
        owner=Person.objects.get(personal_number=number),
        valid_from=SINCE,
        recorded_from=clock.now() - dt.timedelta(days=1),
    )


def _role(business: Business, number: str, role: str) -> None:
    BusinessRole.objects.create(
        business=business,
        person=Person.objects.get(personal_number=number),
        role=role,
        valid_from=SINCE,
        recorded_from=clock.now() - dt.timedelta(days=1),
    )


def _upload(draft, content: bytes, name: str) -> Upload:
    return Upload.objects.create(
        draft=draft,
        field="proof",
        file=ContentFile(content, name=name),
        name=name,
        content_type="application/pdf",
        size=len(content),
        scan="clean",
    )


@pytest.fixture
def world(jurisdiction, settings, tmp_path):
    """A parent who co-owns a car and a business with strangers; a stranger with a car,
    a draft, a file and a consent of their own."""
    settings.MEDIA_ROOT = tmp_path
    parent, child = a_parent_with_a_minor_child()
    baseline = person_export(personal_number=parent)
    co_owner, partner_in_business, stranger = _others(baseline, 3, {parent, child})
    held_before = set(baseline["registers"].get("vehicles", {}))
    shared_car, strangers_car = Vehicle.objects.exclude(plate__in=held_before).order_by("id")[:2]
    _own(shared_car, parent)
    _own(shared_car, co_owner)
    _own(strangers_car, stranger)
    business = Business.objects.order_by("id").first()
    _role(business, parent, "representative")
    _role(business, partner_in_business, "owner")
    dog_tax = FormDefinition.objects.get(code="dog-tax")
    mine = draft_start(form=dog_tax, applicant=parent, subject=parent)
    mine.answers = {"dog_name": "Bello-of-the-parent"}
    mine.save()
    for_child = draft_start(form=dog_tax, applicant=parent, subject=child)
    for_child.answers = {"dog_name": "Rex-of-the-child"}
    for_child.save()
    theirs = draft_start(form=dog_tax, applicant=stranger, subject=stranger)
    theirs.answers = {"dog_name": "Fifi-of-the-stranger"}
    theirs.save()
    _upload(mine, b"%PDF-1.4 the parent's own proof", "proof.pdf")
    _upload(theirs, b"%PDF-1.4 the stranger's proof", "their-proof.pdf")
    _upload(for_child, b"%PDF-1.4 the child's proof", "child-proof.pdf")
    purpose = Purpose.objects.order_by("id").first()
    consent_give(personal_number=parent, purpose=purpose)
    consent_give(personal_number=stranger, purpose=purpose)
    return {
        "parent": parent,
        "child": child,
        "strangers": [co_owner, partner_in_business, stranger],
        "shared_car": shared_car.plate,
        "strangers_car": strangers_car.plate,
        "business": business.registration_number,
        "purpose": purpose.code,
    }


def test_the_export_holds_the_vehicles_and_businesses_of_the_person_and_only_their_rows(world):
    parent = world["parent"]

    export = person_export(personal_number=parent)

    vehicles = export["registers"]["vehicles"]
    car = vehicles[world["shared_car"]]
    assert car["vehicle"]["plate"] == world["shared_car"] and car["vehicle"]["make"]
    assert [row["owner"] for row in car["ownership"]] == [parent]
    assert world["strangers_car"] not in vehicles
    business = export["registers"]["businesses"][world["business"]]
    assert business["registration"] and all(v["name"] for v in business["registration"])
    assert [(row["person"], row["role"]) for row in business["role"]] == [
        (parent, "representative")
    ]
    text = json.dumps(export)
    for stranger in world["strangers"]:
        assert stranger not in text and person_pseudonym(stranger) not in text


def test_the_vehicle_and_business_reads_are_logged_and_nobody_elses_rows_are(world):
    parent = world["parent"]
    co_owner, partner_in_business, _stranger = world["strangers"]
    before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()

    export = person_export(personal_number=parent)

    logged = AccessLogEntry.objects.filter(id__gt=before, purpose="data-subject-access")
    assert logged.filter(
        register="vehicles", subject=pseudonym("vehicles", world["shared_car"])
    ).exists()
    assert logged.filter(
        register="businesses", subject=pseudonym("businesses", world["business"])
    ).exists()
    linked = logged.filter(kind="linked", subject=person_pseudonym(parent))
    assert {f for e in linked for f in e.fields.split(",")} >= {"ownership.owner", "role.person"}
    assert not logged.filter(
        subject__in=[person_pseudonym(co_owner), person_pseudonym(partner_in_business)]
    ).exists(), "the co-owners' rows were not released, so not logged as released"
    in_tracker = {e["register"] for e in export["access_log"] if e["kind"] == "linked"}
    assert "persons" in in_tracker


def test_the_export_holds_the_persons_drafts_and_only_by_form_those_for_someone_else(world):
    export = person_export(personal_number=world["parent"])

    drafts = export["drafts"]
    assert [d["answers"] for d in drafts["about_you"]] == [{"dog_name": "Bello-of-the-parent"}]
    assert drafts["about_you"][0]["form"] == "dog-tax"
    assert not drafts["about_you"][0]["started_by_someone_else"]
    assert [d["form"] for d in drafts["for_others"]] == ["dog-tax"]
    text = json.dumps(export)
    assert "Rex-of-the-child" not in text and "Fifi-of-the-stranger" not in text


def test_the_export_holds_the_files_the_person_sent_with_their_content(world):
    export = person_export(personal_number=world["parent"])

    [proof] = [f for f in export["files"] if f["attached_to"]["kind"] == "application"]
    content = base64.b64decode(proof["content_base64"])
    assert content == b"%PDF-1.4 the parent's own proof"
    assert proof["sha256"] == hashlib.sha256(content).hexdigest()
    assert proof["name"] == "proof.pdf" and proof["size"] == len(content)
    assert proof["content_type"] == "application/pdf" and proof["attached_to"]["form"] == "dog-tax"
    text = json.dumps(export)
    for theirs in (b"%PDF-1.4 the stranger's proof", b"%PDF-1.4 the child's proof"):
        assert base64.b64encode(theirs).decode() not in text
    assert "their-proof.pdf" not in text and "child-proof.pdf" not in text


def test_a_file_sent_with_an_answer_in_a_case_about_the_person_is_in_it(world):
    parent = world["parent"]
    a_submitted_application(applicant=parent)
    case = Case.objects.filter(subject=parent).latest("opened_at")
    asked = InformationRequest.objects.create(
        case=case,
        question="Send your dog's chip certificate.",
        asked_at=clock.now(),
        answer_due=clock.today() + dt.timedelta(days=14),
        answer="Here it is.",
        answered_at=clock.now(),
    )
    AnswerDocument.objects.create(
        answer_to=asked,
        file=ContentFile(b"chip 528140000000001", name="chip.txt"),
        name="chip.txt",
        content_type="text/plain",
        size=20,
        scan="clean",
        uploaded_at=clock.now(),
    )

    export = person_export(personal_number=parent)

    [answer] = [f for f in export["files"] if f["attached_to"]["kind"] == "answer"]
    assert answer["attached_to"]["case"] == case.reference
    assert base64.b64decode(answer["content_base64"]) == b"chip 528140000000001"


def test_the_export_holds_the_persons_consents_and_nobody_elses(world):
    export = person_export(personal_number=world["parent"])

    assert [c["purpose"] for c in export["consents"]] == [world["purpose"]]
    assert export["consents"][0]["given_at"] and export["consents"][0]["withdrawn_at"] is None


def test_the_residents_download_from_their_request_holds_the_new_parts(client, world):
    from civic.compliance import services
    from tests.portal.test_acting_for_someone import log_in

    parent = world["parent"]
    made = services.subject_request_start(personal_number=parent, kind="access")
    log_in(client, parent)

    download = client.get(f"/my/privacy/{made.case.reference}/export.json")

    assert download.status_code == 200
    export = json.loads(download.content)
    assert world["shared_car"] in export["registers"]["vehicles"]
    assert world["business"] in export["registers"]["businesses"]
    assert [f["name"] for f in export["files"]] == ["proof.pdf"]
    assert export["consents"] and export["drafts"]["about_you"]
    logged = AccessLogEntry.objects.filter(
        purpose="data-subject-access", register="vehicles", case=made.case.reference
    )
    assert logged.exists(), "the request's case is named in the log of the vehicle read"


def _ended_ownership(vehicle: Vehicle, number: str) -> None:
    VehicleOwnership.objects.create(
        vehicle=vehicle,
        owner=Person.objects.get(personal_number=number),
        valid_from=dt.date(2015, 3, 1),
        valid_to=dt.date(2019, 6, 1),
        recorded_from=clock.now() - dt.timedelta(days=2000),
    )


def test_the_export_holds_the_history_a_car_sold_and_a_name_corrected(world):
    """Everything held about the person: a car they sold years ago (and not its later owner),
    and the version of their name the register held before a correction."""
    from civic.registers.models import PersonRecord

    parent = world["parent"]
    co_owner, _partner, stranger = world["strangers"]
    sold = Vehicle.objects.exclude(plate__in=[world["shared_car"], world["strangers_car"]]).first()
    _ended_ownership(sold, parent)
    _own(sold, stranger)  # its owner now
    current = PersonRecord.objects.filter(
        person__personal_number=parent, recorded_to__isnull=True, valid_to__isnull=True
    ).get()
    now = clock.now()
    wrong = PersonRecord.objects.get(pk=current.pk)
    wrong.pk = None
    wrong.given_names = "Misspelt-Before-Correction"
    wrong.recorded_from = now - dt.timedelta(days=3000)
    wrong.recorded_to = current.recorded_from
    wrong.save()

    export = person_export(personal_number=parent)

    ownership = export["registers"]["vehicles"][sold.plate]["ownership"]
    assert [(row["owner"], row["valid_to"]) for row in ownership] == [(parent, "2019-06-01")]
    versions = export["registers"]["persons"]["identity"]
    superseded = [v for v in versions if v["given_names"] == "Misspelt-Before-Correction"]
    assert superseded and superseded[0]["recorded_to"] is not None
    assert any(v["recorded_to"] is None for v in versions), "the current version is there too"
    text = json.dumps(export)
    for other in (co_owner, stranger):
        assert other not in text and person_pseudonym(other) not in text
    logged = AccessLogEntry.objects.filter(
        purpose="data-subject-access",
        register="vehicles",
        subject=pseudonym("vehicles", sold.plate),
    )
    assert logged.exists(), "the read of the sold car is logged like the others"


def test_the_documents_a_person_sent_or_that_are_about_them_are_in_it_and_nobody_elses(world):
    """Document intake's documents: one the parent sent, one a backlog found to be about them
    (their personal number in it), with what was read from each; a stranger's is not."""
    from civic.documents.pipeline import document_process
    from civic.documents.services import document_receive
    from tests.documents import samples

    parent, stranger = world["parent"], world["strangers"][-1]
    made = {}
    for name, lines, sender in (
        ("sent.pdf", [samples.DUTCH], parent),
        ("about.pdf", [samples.ENGLISH, f"BSN {parent}"], ""),
        ("theirs.pdf", [samples.ENGLISH, f"BSN {stranger}"], ""),
    ):
        document, _ = document_receive(
            data=samples.letter_pdf(lines), original_name=name, channel="backlog"
        )
        if sender:
            document.sender = sender
            document.save(update_fields=["sender"])
        made[name] = document_process(document_id=document.pk)

    export = person_export(personal_number=parent)

    documents = {f["name"]: f for f in export["files"] if f["attached_to"]["kind"] == "document"}
    assert set(documents) == {"sent.pdf", "about.pdf"}
    assert base64.b64decode(documents["sent.pdf"]["content_base64"]).startswith(b"%PDF")
    assert documents["about.pdf"]["attached_to"]["fields"]["personal_number"] == parent
    assert "theirs.pdf" not in json.dumps(export)
