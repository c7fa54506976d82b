"""Residents' one-time login codes and the record of each login."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError
from civic.core.numbers import personal_number_clean
from civic.identity.models import (
    LoginEvent,
    OneTimeCode,
)

log = logging.getLogger("civic.identity")


#: Codes one address may ask for one number per hour; more would let someone flood an outbox.
#: Counted per address, so nobody can use up a resident's own codes from elsewhere.
CODES_PER_HOUR = 5
#: Wrong guesses a code survives; six digits and five guesses give odds of 1 in 200,000.
CODE_ATTEMPTS = 5


class LoginRefused(CivicError):
    code = "login-refused"


def _code_digest(personal_number: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{personal_number}:{code}".encode(), hashlib.sha256).hexdigest()


def _binding_digest(binding: str) -> str:
    if not binding:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"code-binding:{binding}".encode(), hashlib.sha256).hexdigest()


def login_event_record(
    *, method: str, personal_number: str, outcome: str, ip_address: str | None
) -> None:
    LoginEvent.objects.create(
        at=clock.now(),
        method=method,
        personal_number_hint=personal_number[:3],
        outcome=outcome,
        ip_address=ip_address,
    )
    log.info("resident login %s via %s from %s", outcome, method, ip_address)


@transaction.atomic
def one_time_code_issue(
    *, personal_number: str, binding: str = "", requested_from: str | None = None
) -> str:
    """Make a fresh login code for ``personal_number`` and return it (the caller delivers it).

    ``binding`` (a secret nonce kept in the asking browser's session) ties the code to that
    session; an empty binding (the support command) lets it work anywhere. The session's earlier
    unused codes stop working; other sessions' codes do not. Refuses past CODES_PER_HOUR for the
    same number from the same address.
    """
    number = personal_number_clean(personal_number)
    now = clock.now()
    recent = OneTimeCode.objects.filter(
        personal_number=number,
        requested_from=requested_from,
        created_at__gte=now - timedelta(hours=1),
    ).count()
    if recent >= CODES_PER_HOUR:
        raise LoginRefused(
            _("Too many codes were requested for this personal number. Try again in an hour.")
        )
    binding_hash = _binding_digest(binding)
    OneTimeCode.objects.filter(
        personal_number=number, binding_hash=binding_hash, used_at__isnull=True
    ).update(used_at=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.create(
        personal_number=number,
        code_hash=_code_digest(number, code),
        binding_hash=binding_hash,
        requested_from=requested_from,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.ONE_TIME_CODE_MINUTES),
    )
    return code


@transaction.atomic
def one_time_code_redeem(*, personal_number: str, code: str, binding: str = "") -> bool:
    """True, once, for the newest unexpired code of the number that this session may use (its
    own, or one made by the support command); counts wrong guesses against that code."""
    number = personal_number_clean(personal_number)
    now = clock.now()
    current = (
        OneTimeCode.objects.select_for_update()
        .filter(
            personal_number=number,
            binding_hash__in={_binding_digest(binding), ""},
            used_at__isnull=True,
            expires_at__gt=now,
        )
        .order_by("-created_at")
        .first()
    )
    if current is None:
        return False
    if hmac.compare_digest(current.code_hash, _code_digest(number, code.strip())):
        current.used_at = now
        current.save(update_fields=["used_at"])
        return True
    current.failed_attempts += 1
    if current.failed_attempts >= CODE_ATTEMPTS:
        current.used_at = now  # burnt: the resident asks for a new code
    current.save(update_fields=["failed_attempts", "used_at"])
    return False
