"""The e-mail mailbox, read from a real IMAP server (Dovecot): each unread message's attachments
are taken in and read, the message is marked read and not taken twice, a message without a
document is counted, and a bad attachment is refused without stopping the others."""

from __future__ import annotations

import imaplib

import pytest
from django.core.management import CommandError, call_command

from civic.documents.models import Channel, Document, Status
from tests.documents import samples
from tests.documents.imap_server import PASSWORD, deliver, dovecot

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(tmp_path, settings):
    with dovecot(tmp_path / "imap") as server:
        settings.DOCUMENTS_MAILBOX_HOST = server.host
        settings.DOCUMENTS_MAILBOX_PORT = server.port
        settings.DOCUMENTS_MAILBOX_SECURITY = "none"
        settings.DOCUMENTS_MAILBOX_USER = "intake"
        settings.DOCUMENTS_MAILBOX_PASSWORD = PASSWORD
        yield server


def _unread(server) -> int:
    imap = imaplib.IMAP4(server.host, server.port)
    imap.login("intake", PASSWORD)
    imap.select("INBOX")
    _status, found = imap.search(None, "UNSEEN")
    imap.logout()
    return len(found[0].split())


def test_the_attachments_of_unread_messages_are_taken_in_and_read_once(
    media, mailbox, capsys, django_capture_on_commit_callbacks
):
    letter = samples.letter_pdf([samples.DUTCH])
    scan = samples.encoded(samples.scan_image([samples.ENGLISH]))
    deliver(mailbox, "Bezwaar", [("bezwaar.pdf", letter, "application/pdf"),
                                  ("scan.png", scan, "image/png")])  # fmt: skip
    deliver(mailbox, "Vraag", [])
    deliver(mailbox, "Kapot", [("kapot.pdf", b"", "application/pdf")])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents", "mailbox", once=True)
    out = capsys.readouterr().out
    assert "3 messages read: 3 documents taken in, 1 messages without a document." in out
    documents = {d.original_name: d for d in Document.objects.all()}
    assert set(documents) == {"bezwaar.pdf", "scan.png", "kapot.pdf"}
    assert {d.channel for d in documents.values()} == {Channel.EMAIL}
    assert documents["bezwaar.pdf"].status == Status.PROCESSED
    assert documents["bezwaar.pdf"].routed_to == "queue:havenstad"
    assert documents["scan.png"].pages == 1
    assert documents["kapot.pdf"].refusal_reason == "empty"
    assert _unread(mailbox) == 0

    call_command("documents", "mailbox", once=True)
    assert "0 messages read" in capsys.readouterr().out
    assert Document.objects.count() == 3


def test_a_mailbox_that_cannot_be_reached_or_refuses_the_login_says_so(mailbox, settings):
    settings.DOCUMENTS_MAILBOX_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("documents", "mailbox", once=True)
    settings.DOCUMENTS_MAILBOX_HOST = ""
    with pytest.raises(CommandError, match="No mailbox is set"):
        call_command("documents", "mailbox", once=True)
