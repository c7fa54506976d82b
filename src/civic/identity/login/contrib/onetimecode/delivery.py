"""Deliver a one-time code to the resident's outbox (a file under var/outbox by default)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger("civic.identity")


def outbox_address(personal_number: str) -> str:
    # The embedded default has no e-mail addresses for residents; the outbox is keyed by number.
    return f"{personal_number}@residents.civic.invalid"


def code_deliver(*, personal_number: str, code: str) -> None:
    minutes = settings.ONE_TIME_CODE_MINUTES
    send_mail(
        subject=_("Your Civic login code"),
        message=ngettext(
            "Your one-time login code is %(code)s. It works once, for %(minutes)s minute.\n"
            "If you did not ask for it, you can ignore this message.",
            "Your one-time login code is %(code)s. It works once, for %(minutes)s minutes.\n"
            "If you did not ask for it, you can ignore this message.",
            minutes,
        )
        % {"code": code, "minutes": minutes},
        from_email=None,
        recipient_list=[outbox_address(personal_number)],
    )
    if settings.PRINT_LOGIN_CODES:
        log.warning(
            "DEMO: one-time code for %s***%s is %s", personal_number[:3], personal_number[-2:], code
        )
