"""When the media disk cannot take a file (full, or past a size limit), the resident gets a
clear page and nothing is half stored: no upload row, no partly written file, no submission
without its receipt. The kernel's file-size limit (RLIMIT_FSIZE) makes the disk refuse for
real; the fault benchmark (benchmarks/faults.py) does the same with a full tmpfs."""

from __future__ import annotations

import contextlib
import resource
import signal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civic.cases.models import Case
from civic.forms.models import Draft, FormDefinition, Submission, Upload
from civic.forms.services import draft_start, draft_step_save
from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.cases.builders import PARKING_ANSWERS
from tests.exchange.builders import create_purpose
from tests.forms.test_upload_limits import CAR_STEP, PDF, car_step

KIB = 1024


@contextlib.contextmanager
def files_limited_to(size: int):
    """No file of this process may grow past ``size`` bytes: a write beyond fails with EFBIG,
    as one on a full disk fails with ENOSPC."""
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def resident(client, db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return number


def test_an_upload_the_disk_cannot_take_is_refused_clearly_and_leaves_nothing(
    client, resident, media
):
    first = client.get("/my/apply/parking-permit/")
    client.post(first.url, {"form_version": "1", "action": "continue", "shown": ""})
    draft = Draft.objects.get(applicant=resident)
    contract = PDF + b"0" * (300 * KIB)
    with files_limited_to(100 * KIB):
        response = client.post(
            CAR_STEP, car_step(SimpleUploadedFile("contract.pdf", contract, "application/pdf"))
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Your document could not be stored just now" in page
    assert not Upload.objects.exists()
    assert _files(media) == []  # not even the part that fitted
    assert Draft.objects.get(pk=draft.pk).answers == draft.answers
    # Once there is room again the same upload goes through.
    response = client.post(
        CAR_STEP, car_step(SimpleUploadedFile("contract.pdf", contract, "application/pdf"))
    )
    assert response.status_code == 302
    assert [u.file.name for u in Upload.objects.all()] == [
        str(p.relative_to(media)) for p in _files(media)
    ]


def test_an_application_whose_receipt_cannot_be_stored_is_not_sent_and_says_so(
    client, resident, media
):
    draft = draft_start(
        form=FormDefinition.objects.get(code="parking-permit"),
        applicant=resident,
        subject=resident,
    )
    for step, answers in PARKING_ANSWERS.items():
        draft = draft_step_save(draft=draft, step=step, answers=dict(answers), confirm_prefill=True)
    with files_limited_to(1 * KIB):
        response = client.post("/my/apply/parking-permit/check/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Your application was not sent" in page and "your answers are kept" in page
    assert not Submission.objects.exists() and not Case.objects.exists()
    assert _files(media) == []
    response = client.post("/my/apply/parking-permit/check/")
    assert response.status_code == 302 and "/sent/" in response["Location"]
    assert Case.objects.filter(submission__draft=draft).count() == 1
