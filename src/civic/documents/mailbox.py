"""The e-mail mailbox: documents sent as attachments to an address of the public body, taken in
from its IMAP server (Python's ``imaplib``, so any IMAP server serves: Dovecot, Exchange,
a hosted mailbox).

Every unread message of the folder is read without marking it (``BODY.PEEK[]``); each
attachment that is a PDF or an image is received (stored once, by its hash) and processed
like every document; then the message is marked read. Receiving comes first: a crash before
the mark leaves the message unread, and the next run receives the same bytes as the same
documents. A message without such attachments is marked read too, and counted. The sender's
address is not taken as who the document is about (anyone can write any From line): routing
goes by what the document says.
"""

from __future__ import annotations

import contextlib
import email
import imaplib
import logging
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.core.errors import CivicError
from civic.documents.intake import document_dispatch
from civic.documents.models import Channel, Document
from civic.documents.reading.sniff import SIGNATURES
from civic.documents.services import document_receive

log = logging.getLogger(__name__)


class MailboxUnavailable(CivicError):
    code = "mailbox-unavailable"


@dataclass
class MailboxRun:
    messages: int = 0
    documents: list[Document] = field(default_factory=list)
    without_documents: int = 0  # messages with nothing to read (marked read all the same)


def _connect() -> imaplib.IMAP4:
    host, port = settings.DOCUMENTS_MAILBOX_HOST, settings.DOCUMENTS_MAILBOX_PORT
    if not host:
        raise MailboxUnavailable(_("No mailbox is set: set CIVIC_DOCUMENTS_MAILBOX_HOST."))
    security = settings.DOCUMENTS_MAILBOX_SECURITY
    try:
        if security == "tls":
            imap = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context())
        else:
            imap = imaplib.IMAP4(host, port)
            if security == "starttls":
                imap.starttls(ssl_context=ssl.create_default_context())
        imap.login(settings.DOCUMENTS_MAILBOX_USER, settings.DOCUMENTS_MAILBOX_PASSWORD)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxUnavailable(
            _("The mailbox %(host)s:%(port)s cannot be read: %(error)s")
            % {"host": host, "port": port, "error": error}
        ) from error
    return imap


def _attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    """Every attached file (the pipeline refuses a bad one with its reason, as in a backlog),
    and any unnamed part whose content is a PDF or an image; not the message's own text."""
    found = []
    for number, part in enumerate(message.walk(), start=1):
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or ""
        readable = any(data[:1024].startswith(signature) for signature, _type in SIGNATURES)
        if name or readable:
            found.append((name or f"attachment-{number}", data))
    return found


def mailbox_read() -> MailboxRun:
    """Take in every unread message's attachments, then mark the message read."""
    run = MailboxRun()
    imap = _connect()
    try:
        status, _data = imap.select(settings.DOCUMENTS_MAILBOX_FOLDER)
        if status != "OK":
            raise MailboxUnavailable(
                _("The mailbox has no folder %(folder)s.")
                % {"folder": settings.DOCUMENTS_MAILBOX_FOLDER}
            )
        _status, found = imap.uid("SEARCH", None, "UNSEEN")
        for uid in (found[0] or b"").split():
            _status, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), b"")
            message = email.message_from_bytes(raw, policy=default_policy)
            attachments = _attachments(message)
            for name, data in attachments:
                document, _created = document_receive(
                    data=data, original_name=name, channel=Channel.EMAIL
                )
                transaction.on_commit(lambda pk=document.pk: document_dispatch(pk))
                run.documents.append(document)
            if not attachments:
                run.without_documents += 1
                log.info("mailbox: message %s has no document to read", uid.decode())
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            run.messages += 1
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            imap.logout()
    return run
