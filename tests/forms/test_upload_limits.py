"""Uploads are streamed and stopped at the limit, never read whole into memory: a file over the
field's (or CIVIC_UPLOAD_MAX_MB's) limit gets the error summary naming the limit, with the step's
other answers kept; a request body over CIVIC_REQUEST_MAX_MB is refused before it is read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from civic.forms.models import Draft, FormDefinition, Upload
from civic.forms.services import draft_start, draft_step_save
from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.exchange.builders import create_purpose

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024
CAR_STEP = "/my/apply/parking-permit/car/"


class Spy(FileUploadHandler):
    """Counts the bytes of each file that get past the handlers before it."""

    seen: dict[str, int] = {}

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        Spy.seen[field_name] = 0

    def receive_data_chunk(self, raw_data, start):
        Spy.seen[self.field_name] += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


class NotReadWhole(TemporaryUploadedFile):
    """A large upload as Django hands it over (a temporary file), which fails the test if
    anything reads all of it at once."""

    def __init__(self, name: str, content: bytes):
        super().__init__(name, "application/pdf", len(content), None)
        self.file.write(content)
        self.file.seek(0)

    def read(self, size=-1):
        assert size is not None and 0 < size <= 64 * 1024, f"read({size}) reads the whole file"
        return super().read(size)


@pytest.fixture
def at_the_car_step(client, db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    first = client.get("/my/apply/parking-permit/")
    client.post(first.url, {"form_version": "1", "action": "continue", "shown": ""})
    return Draft.objects.get(applicant=number)


def car_step(lease_contract) -> dict:
    return {
        "form_version": "1",
        "action": "continue",
        "shown": "licence_plate,car_use,lease_contract,start_date",
        "licence_plate": "AB-123-C",
        "car_use": "lease",
        "start_date": "2027-01-01",
        "lease_contract": lease_contract,
    }


def test_a_file_over_the_fields_limit_gets_the_error_summary_and_keeps_the_other_answers(
    client, at_the_car_step
):
    big = SimpleUploadedFile("contract.pdf", PDF + b"0" * (6 * MB), content_type="application/pdf")
    response = client.post(CAR_STEP, car_step(big))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "“contract.pdf” is larger than 5 MB" in page
    assert 'value="AB-123-C"' in page and 'value="2027-01-01"' in page
    assert not Upload.objects.exists()
    assert Draft.objects.get(pk=at_the_car_step.pk).answers == at_the_car_step.answers


def test_reading_stops_at_the_global_limit_and_the_summary_names_it(
    client, at_the_car_step, settings
):
    settings.UPLOAD_MAX_MB = 1
    settings.FILE_UPLOAD_HANDLERS = [
        settings.FILE_UPLOAD_HANDLERS[0],
        "tests.forms.test_upload_limits.Spy",
        *settings.FILE_UPLOAD_HANDLERS[1:],
    ]
    big = SimpleUploadedFile("contract.pdf", PDF + b"0" * (3 * MB), content_type="application/pdf")
    response = client.post(CAR_STEP, car_step(big))
    assert response.status_code == 400
    page = response.content.decode()
    assert "“contract.pdf” is larger than 1 MB" in page and 'value="AB-123-C"' in page
    # Past the limit the rest of the file was skipped, not stored anywhere.
    assert Spy.seen["lease_contract"] <= 1 * MB
    assert not Upload.objects.exists()


def test_the_service_streams_a_file_and_never_reads_it_whole(db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    draft = draft_start(
        form=FormDefinition.objects.get(code="parking-permit"), applicant=number, subject=number
    )
    upload = NotReadWhole("contract.pdf", PDF + b"0" * (3 * MB))
    draft = draft_step_save(
        draft=draft,
        step="car",
        answers={"licence_plate": "AB-123-C", "car_use": "lease", "start_date": "2027-01-01"},
        files={"lease_contract": upload},
    )
    upload.close()  # as Django closes a request's files (the storage moved this one)
    stored = draft.uploads.get()
    assert stored.size == len(PDF) + 3 * MB and stored.content_type == "application/pdf"
    assert stored.file.read(8) == b"%PDF-1.4"


def test_a_request_body_over_the_cap_is_refused_before_it_is_read(
    client, at_the_car_step, settings
):
    settings.REQUEST_MAX_MB = 2
    big = SimpleUploadedFile("contract.pdf", PDF + b"0" * (3 * MB), content_type="application/pdf")
    response = client.post(CAR_STEP, car_step(big))
    assert response.status_code == 413
    page = response.content.decode()
    assert "at most 10 MB a file and 2 MB in all" in page
    assert "what you saved before is kept" in page
    assert Draft.objects.get(pk=at_the_car_step.pk).answers == at_the_car_step.answers


def test_an_api_request_over_the_cap_gets_problem_json(client, db, settings):
    settings.REQUEST_MAX_MB = 1
    response = client.post(
        "/api/exchange/v1/persons/query",
        b"{" + b" " * (2 * MB) + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
