"""Deliver a one-time code by e-mail, to the address the resident registered for messages.

The answer to "send me a code" must not tell whether the number belongs to a resident, not even
by its timing: the request does the same database work for every number and hands the sending
to a background thread, so it never waits for the mail server (nor fails when it is down).
The code is never put in a broker queue: it is a secret for ten minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger("civic.identity")

#: Functions that give the e-mail address a resident registered for messages, or None. The
#: notifications app adds its own when it starts (identity may not import it).
CONTACT_ADDRESS_LOOKUPS: list[Callable[[str], str | None]] = []

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="login-code")
_pending: set[Future] = set()
_pending_lock = threading.Lock()


def outbox_address(personal_number: str) -> str:
    """Where the embedded default's outbox files a code for a resident without an address: a
    keyed pseudonym, so the mail relay never sees the personal number."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"outbox:{personal_number}".encode(), hashlib.sha256
    ).hexdigest()[:20]
    return f"resident-{digest}@residents.civic.invalid"


def code_recipient(*, personal_number: str) -> str | None:
    for lookup in CONTACT_ADDRESS_LOOKUPS:
        if address := lookup(personal_number):
            return address
    if settings.EMAIL_BACKEND_NAME == "outbox":
        return outbox_address(personal_number)
    return None  # no address to send to: the resident logs in another way


def code_deliver(*, personal_number: str, code: str, registered: bool) -> None:
    """Queue the code's message; returns at once. ``registered`` False sends nothing, after the
    same work as a real delivery."""
    recipient = code_recipient(personal_number=personal_number)
    minutes = settings.ONE_TIME_CODE_MINUTES
    subject = _("Your Civic login code")
    body = ngettext(
        "Your one-time login code is %(code)s. It works once, for %(minutes)s minute, in the "
        "browser where you asked for it.\nIf you did not ask for it, you can ignore this message.",
        "Your one-time login code is %(code)s. It works once, for %(minutes)s minutes, in the "
        "browser where you asked for it.\nIf you did not ask for it, you can ignore this message.",
        minutes,
    ) % {"code": code, "minutes": minutes}
    job = _executor.submit(_send, recipient if registered else None, subject, body)
    with _pending_lock:
        _pending.add(job)
    job.add_done_callback(_forget)
    if registered and settings.PRINT_LOGIN_CODES:
        log.warning(
            "DEMO: one-time code for %s***%s is %s", personal_number[:3], personal_number[-2:], code
        )


def _send(recipient: str | None, subject: str, body: str) -> None:
    if recipient is None:
        return
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient])
    except Exception as error:  # a mail server that is down must not end the worker thread
        log.error("a login code could not be sent: %s", type(error).__name__)


def _forget(job: Future) -> None:
    with _pending_lock:
        _pending.discard(job)


def deliveries_wait(timeout: float = 10) -> None:
    """Wait until every queued code has been handed to the mail server (tests, shutdown)."""
    with _pending_lock:
        jobs = list(_pending)
    for job in jobs:
        job.result(timeout=timeout)
