"""Backlog mode (`civic documents process --folder DIR --report FILE`): every file reported,
bad ones refused without stopping the batch, duplicates read once, a rerun after a crash
reads what was left and nothing twice."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from civic.documents.models import Channel, Document, DocumentPage, DocumentType, Status
from civic.documents.services import document_receive
from tests.documents import samples
from tests.setup.builders import civic

KEYS = {"file", "type", "confidence", "fields", "personal_data", "routed_to", "refused"}


def _backlog(folder):
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(samples.letter_pdf([samples.ENGLISH, samples.DUTCH]))
    (folder / "sub").mkdir()
    (folder / "sub" / "same letter.pdf").write_bytes((folder / "letter.pdf").read_bytes())
    (folder / "scan.png").write_bytes(samples.encoded(samples.scan_image([samples.DUTCH])))
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "locked.pdf").write_bytes(samples.letter_pdf(["x"], encrypt_with="secret"))
    (folder / "broken.pdf").write_bytes(samples.corrupt_pdf())
    (folder / "bomb.png").write_bytes(samples.decompression_bomb())
    (folder / "wide.png").write_bytes(samples.wide_image())
    (folder / "invoice.pdf").write_bytes(samples.zip_named_pdf())
    (folder / "setup.pdf").write_bytes(samples.EXECUTABLE)
    return folder


EXPECTED_REFUSALS = {
    "letter.pdf": None,
    "sub/same letter.pdf": None,
    "scan.png": None,
    "empty.pdf": "empty",
    "locked.pdf": "encrypted-pdf",
    "broken.pdf": "corrupt",
    "bomb.png": "decompression-bomb",
    "wide.png": "image-too-large",
    "invoice.pdf": "type-mismatch",
    "setup.pdf": "type-mismatch",
}


def _report(path, *, set_up: bool = True):
    """The report's rows by file, each checked. With the jurisdiction ``set_up`` every read
    document is routed (to a case or the intake queue); on a bare database nothing is."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        assert row.keys() >= KEYS
        if row["refused"]:  # a refused document has no type, no fields, no findings
            assert (row["type"], row["confidence"], row["to_person"]) == (None, None, None)
            assert (row["fields"], row["personal_data"]) == ({}, [])
        else:
            assert row["type"] in DocumentType.values and 0 <= row["confidence"] <= 1
            assert row["to_person"] is (row["type"] == "other")
            assert isinstance(row["fields"], dict) and isinstance(row["personal_data"], list)
        if set_up and not row["refused"]:
            assert row["routed_to"].startswith(("case:", "queue:")), row
        else:
            assert row["routed_to"] == "unrouted"
    return {row["file"]: row for row in rows}


@pytest.mark.django_db
def test_a_mixed_backlog_is_read_refusals_and_all_and_a_rerun_reads_nothing_again(
    media, tmp_path, capsys
):
    folder = _backlog(tmp_path / "in")
    report = tmp_path / "report.json"
    call_command("documents", "process", folder=folder, report=report, no_progress=True)
    rows = _report(report)
    assert {name: row["refused"] for name, row in rows.items()} == EXPECTED_REFUSALS
    assert rows["letter.pdf"]["sha256"] == rows["sub/same letter.pdf"]["sha256"]
    assert rows["scan.png"]["pages"] == 1
    assert Document.objects.count() == 9  # the duplicate is one document
    assert "9 documents read now, 1 read before or duplicates, 7 refused" in capsys.readouterr().out
    read_at = dict(Document.objects.values_list("sha256", "processed_at"))

    call_command("documents", "process", folder=folder, report=report, no_progress=True)
    assert "0 documents read now, 10 read before" in capsys.readouterr().out
    assert dict(Document.objects.values_list("sha256", "processed_at")) == read_at
    assert _report(report) == rows


@pytest.mark.django_db
def test_a_document_left_unread_by_a_crash_is_read_once_by_the_next_run(media, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = samples.letter_pdf([samples.ENGLISH])
    (folder / "letter.pdf").write_bytes(data)
    # What a crash between receiving and committing the pages leaves: the stored original, its
    # row still "received", and a page image already written.
    document, _ = document_receive(data=data, original_name="letter.pdf", channel=Channel.BACKLOG)
    leftover = media / "documents" / document.sha256[:2] / document.sha256 / "page-1.png"
    leftover.write_bytes(b"half a picture")

    call_command("documents", "process", folder=folder, no_progress=True)
    document.refresh_from_db()
    assert document.status == Status.PROCESSED
    (page,) = DocumentPage.objects.filter(document=document)
    assert page.image.name.endswith("/page-1.png")  # the leftover replaced, not a second copy
    assert page.image.read(4) == b"\x89PNG"
    assert sorted(p.name for p in leftover.parent.iterdir()) == ["original", "page-1.png"]


@pytest.mark.slow
def test_the_command_reads_a_backlog_across_two_processes_on_a_fresh_database(
    fresh_database, tmp_path
):
    folder = _backlog(tmp_path / "in")
    report = tmp_path / "report.json"
    run = civic(
        "documents", "process", "--folder", str(folder), "--report", str(report),
        "--workers", "2", env=fresh_database,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "10/10" in run.stderr  # the progress bar
    rows = _report(report, set_up=False)
    assert {name: row["refused"] for name, row in rows.items()} == EXPECTED_REFUSALS
    again = civic(
        "documents", "process", "--folder", str(folder), "--workers", "2", env=fresh_database
    )
    assert again.returncode == 0, again.stderr
    assert "0 documents read now, 10 read before" in again.stdout


@pytest.mark.django_db
def test_the_report_gives_each_document_its_type_and_confidence(media, tmp_path):
    from civic.documents.training.generate import sample_make

    folder = tmp_path / "in"
    folder.mkdir()
    payslip = sample_make(40, 8, scan=False)
    (folder / "payslip.pdf").write_bytes(payslip.pdf)
    for index, name in ((17, "invoice.pdf"), (75, "minutes.pdf")):
        (folder / name).write_bytes(sample_make(40, index, scan=False).pdf)
    report = tmp_path / "report.json"
    call_command("documents", "process", folder=folder, report=report, no_progress=True)
    rows = _report(report)
    assert {name: (row["type"], row["to_person"]) for name, row in rows.items()} == {
        "payslip.pdf": ("payslip", False),
        "invoice.pdf": ("invoice", False),
        "minutes.pdf": ("other", True),  # a residents' meeting's minutes: a person looks
    }
    # The payslip's own fields, extracted as a payslip's: what it was printed with.
    printed = payslip.truth["fields"]
    found = rows["payslip.pdf"]["fields"]
    for name in ("personal_number", "net_amount", "gross_amount", "iban"):
        assert found.get(name) == printed[name], name
    document = Document.objects.get(sha256=rows["payslip.pdf"]["sha256"])
    assert (document.document_type, document.type_confidence) == (
        "payslip",
        rows["payslip.pdf"]["confidence"],
    )


@pytest.mark.django_db
def test_with_celery_each_document_is_a_task_and_the_command_waits_for_them(
    media, tmp_path, settings, capsys
):
    """CIVIC_DOCUMENTS_PROCESSING=celery: one task per document, run eagerly here as a worker
    would (a real worker on RabbitMQ runs it in tests/production); the report is the same."""
    from civic.celery import app

    settings.DOCUMENTS_PROCESSING = "celery"
    folder = _backlog(tmp_path / "in")
    report = tmp_path / "report.json"
    app.conf.task_always_eager = True
    try:
        call_command("documents", "process", folder=folder, report=report, no_progress=True)
    finally:
        app.conf.task_always_eager = False
    rows = _report(report)
    assert {name: row["refused"] for name, row in rows.items()} == EXPECTED_REFUSALS
    assert "9 documents read now, 1 read before or duplicates, 7 refused" in capsys.readouterr().out


@pytest.mark.django_db
def test_documents_the_workers_never_finish_are_reported_and_left_for_a_rerun(
    media, tmp_path, settings, monkeypatch
):
    from civic.documents import backlog

    settings.DOCUMENTS_PROCESSING = "celery"
    monkeypatch.setattr(backlog, "WORKERS_QUIET_SECONDS", 1)
    monkeypatch.setattr(backlog.document_process_task, "delay", lambda document_id: None)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(samples.letter_pdf([samples.ENGLISH]))
    run = backlog.backlog_process(folder)
    (row,) = run.rows
    assert run.failed == 1 and "not finished by the workers within 1 s" in row["error"]
    assert Document.objects.get().status == Status.RECEIVED  # the next run takes it

    settings.DOCUMENTS_PROCESSING = "inline"
    again = backlog.backlog_process(folder)
    assert again.read == 1 and again.rows[0]["routed_to"] == "queue:havenstad"
