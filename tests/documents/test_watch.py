"""The watched folder: a file dropped in is received, moved aside and routed once; a file still
being written waits for the next look; hidden files are left alone."""

from __future__ import annotations

import os
import time

import pytest
from django.core.management import call_command

from civic.documents.models import Channel, Document, Status
from civic.documents.watch import folder_scan
from tests.documents import samples

pytestmark = pytest.mark.django_db


def _aged(path, seconds: float = 10) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_a_dropped_file_is_taken_in_moved_aside_and_routed(
    media, tmp_path, capsys, django_capture_on_commit_callbacks
):
    folder = tmp_path / "drop"
    (folder / "scanner-2").mkdir(parents=True)
    letter = folder / "scanner-2" / "letter.pdf"
    letter.write_bytes(samples.letter_pdf([samples.DUTCH]))
    _aged(letter)
    (folder / ".lock").write_text("the scanner's own")
    _aged(folder / ".lock")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents", "watch", folder=folder, once=True, settle=2.0)
    assert "scanner-2/letter.pdf: received as document" in capsys.readouterr().out
    document = Document.objects.get()
    assert document.channel == Channel.WATCHED_FOLDER and document.status == Status.PROCESSED
    assert document.routed_to == "queue:havenstad"
    assert not letter.exists() and (folder / ".lock").exists()
    (kept,) = (folder / ".received").rglob("letter.pdf")
    assert kept.read_bytes() == document.file.read()

    assert folder_scan(folder) == []  # nothing left to take
    assert Document.objects.count() == 1


def test_a_file_still_being_written_waits_for_the_next_look(media, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    fresh = folder / "scan.pdf"
    fresh.write_bytes(samples.letter_pdf([samples.ENGLISH]))
    assert folder_scan(folder, settle=30) == []
    assert fresh.exists() and not Document.objects.exists()
    _aged(fresh, 60)
    (arrival,) = folder_scan(folder, settle=30)
    assert arrival.name == "scan.pdf" and arrival.document is not None


def test_a_bad_file_is_refused_with_its_reason_and_the_others_are_taken(
    media, tmp_path, django_capture_on_commit_callbacks
):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "letter.pdf").write_bytes(samples.letter_pdf([samples.ENGLISH]))
    for path in folder.iterdir():
        _aged(path)
    with django_capture_on_commit_callbacks(execute=True):
        arrivals = {a.name: a.document for a in folder_scan(folder)}
    assert set(arrivals) == {"empty.pdf", "letter.pdf"}
    assert Document.objects.get(original_name="empty.pdf").refusal_reason == "empty"
    assert Document.objects.get(original_name="letter.pdf").status == Status.PROCESSED
