"""How often one-time codes may be asked for and guessed: per number and address (services),
per address and, against guessing spread over many addresses, for everyone together.

Counted from the codes and login events already stored, so the limits hold across processes
without a shared cache.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from civic.core import clock
from civic.identity.models import LoginEvent, OneTimeCode

WRONG_CODE = "wrong-or-expired-code"


def _last_hour():
    return clock.now() - timedelta(hours=1)


def address_may_ask_for_codes(*, address: str | None) -> bool:
    asked = OneTimeCode.objects.filter(requested_from=address, created_at__gte=_last_hour())
    return asked.count() < settings.LOGIN_CODE_REQUESTS_PER_ADDRESS


def address_may_enter_codes(*, address: str | None) -> bool:
    wrong = LoginEvent.objects.filter(ip_address=address, outcome=WRONG_CODE, at__gte=_last_hour())
    return wrong.count() < settings.LOGIN_CODE_FAILURES_PER_ADDRESS


def code_login_paused() -> bool:
    wrong = LoginEvent.objects.filter(outcome=WRONG_CODE, at__gte=_last_hour())
    return wrong.count() >= settings.LOGIN_CODE_FAILURES_OVERALL
