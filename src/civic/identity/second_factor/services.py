"""Every write of the second factor: enrolling, checking a code or a recovery code, and the
reset by an administrator. Keyword-only functions named ``<noun>_<verb>``, each atomic.

A check answers with a :class:`Check`; the caller (the login page) says what it means to the
person and counts a failure towards django-axes's lockout. Besides that lockout (per user name
and address), wrong codes are counted per user across every address: past
``CODE_FAILURES_PER_USER`` the code step pauses for that user for
CIVIC_STAFF_LOGIN_COOLOFF_MINUTES, so that guessing spread over many addresses by someone who
has the password is stopped too.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError
from civic.identity.models import StaffRecoveryCode, StaffSecondFactor, User
from civic.identity.second_factor import codes
from civic.identity.second_factor.sealing import seal, unseal

log = logging.getLogger("civic.identity")

#: Wrong codes (from any address) before a user's code step pauses. Six digits and three
#: accepted steps give odds of about 1 in 33,000 per pause.
CODE_FAILURES_PER_USER = 10


class Check(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    #: The right code of a step already used (or older): someone saw it being typed.
    REPLAYED = "replayed"
    #: Too many wrong codes for this user from all addresses: wait for the cool-off.
    PAUSED = "paused"
    #: The seed cannot be decrypted (the secret key was replaced): an administrator resets it.
    UNREADABLE = "unreadable"
    MISSING = "missing"


class SecondFactorRefused(CivicError):
    code = "second-factor-refused"


def _recovery_codes_make(factor: StaffSecondFactor) -> list[str]:
    made = [codes.recovery_code_new() for _ in range(codes.RECOVERY_CODE_COUNT)]
    StaffRecoveryCode.objects.bulk_create(
        [StaffRecoveryCode(factor=factor, code_hash=codes.recovery_code_digest(c)) for c in made]
    )
    return made


@transaction.atomic
def second_factor_enrol(
    *, user: User, secret: str, code: str
) -> tuple[StaffSecondFactor, list[str]]:
    """Keep ``secret`` as the user's factor once ``code`` shows their app has it; returns the
    factor and its recovery codes (shown this once, kept only as digests). The confirming
    code's step is used up, so it cannot log anyone in again."""
    step = codes.matching_step(secret, code, clock.now())
    if step is None:
        raise SecondFactorRefused(
            _(
                "The code is not right. Check that the app shows Civic and enter the code it shows now."
            )
        )
    factor = _factor_create(user=user, secret=secret, last_used_step=step)
    made = _recovery_codes_make(factor)
    log.info("staff second factor enrolled for user %s", user.pk)
    return factor, made


def _factor_create(*, user: User, secret: str, last_used_step: int = 0, demo: bool = False):
    try:
        with transaction.atomic():
            return StaffSecondFactor.objects.create(
                user=user,
                secret=seal(secret, user_id=user.pk),
                enrolled_at=clock.now(),
                last_used_step=last_used_step,
                demo=demo,
            )
    except IntegrityError:
        # Two browsers enrolled at once, or one enrolled after the other had begun: the
        # first one kept stays; this one starts again from the code step.
        raise SecondFactorRefused(
            _("A second factor was set up for this account in the meantime. Log in again.")
        ) from None


@transaction.atomic
def second_factor_install(
    *, user: User, secret: str, demo: bool = False
) -> tuple[StaffSecondFactor, list[str]]:
    """Give the user a factor with a seed chosen by the caller, without a code: for `civic
    demo`, whose accounts' seeds are printed in its banner (``demo``), and for test fixtures.
    Any earlier factor goes."""
    StaffSecondFactor.objects.filter(user=user).delete()
    factor = _factor_create(user=user, secret=secret, demo=demo)
    return factor, _recovery_codes_make(factor)


def _pause_or_count(factor: StaffSecondFactor, now) -> None:
    factor.failed_attempts += 1
    if factor.failed_attempts >= CODE_FAILURES_PER_USER:
        factor.failed_attempts = 0
        factor.paused_until = now + timedelta(minutes=settings.STAFF_LOGIN_COOLOFF_MINUTES)
        log.warning("staff second factor paused for user %s after wrong codes", factor.user_id)
    factor.save(update_fields=["failed_attempts", "paused_until"])


def _locked_factor(user: User) -> StaffSecondFactor | None:
    return StaffSecondFactor.objects.select_for_update().filter(user=user).first()


@transaction.atomic
def second_factor_check(*, user: User, code: str) -> tuple[Check, StaffSecondFactor | None]:
    """Whether ``code`` is the user's code now. Accepted once: its time step and every earlier
    one are used up. Wrong and replayed codes count towards the user's pause."""
    factor = _locked_factor(user)
    if factor is None:
        return Check.MISSING, None
    now = clock.now()
    if factor.paused_until and factor.paused_until > now:
        return Check.PAUSED, factor
    secret = unseal(factor.secret, user_id=user.pk)
    if secret is None:
        log.error("staff second factor of user %s cannot be decrypted", user.pk)
        return Check.UNREADABLE, factor
    step = codes.matching_step(secret, code, now)
    if step is not None and step > factor.last_used_step:
        factor.last_used_step = step
        factor.failed_attempts = 0
        factor.paused_until = None
        factor.save(update_fields=["last_used_step", "failed_attempts", "paused_until"])
        log.info("staff second factor accepted for user %s", user.pk)
        return Check.ACCEPTED, factor
    outcome = Check.WRONG if step is None else Check.REPLAYED
    log.warning("staff second factor %s for user %s", outcome, user.pk)
    _pause_or_count(factor, now)
    return outcome, factor


@transaction.atomic
def recovery_code_redeem(*, user: User, code: str) -> tuple[Check, StaffSecondFactor | None]:
    """Whether ``code`` is one of the user's unused recovery codes; accepted once."""
    factor = _locked_factor(user)
    if factor is None:
        return Check.MISSING, None
    now = clock.now()
    if factor.paused_until and factor.paused_until > now:
        return Check.PAUSED, factor
    found = factor.recovery_codes.filter(code_hash=codes.recovery_code_digest(code)).first()
    if found is not None and found.used_at is None:
        found.used_at = now
        found.save(update_fields=["used_at"])
        factor.failed_attempts = 0
        factor.save(update_fields=["failed_attempts"])
        left = factor.recovery_codes.filter(used_at__isnull=True).count()
        log.warning("staff recovery code used for user %s (%s left)", user.pk, left)
        return Check.ACCEPTED, factor
    outcome = Check.WRONG if found is None else Check.REPLAYED
    log.warning("staff recovery code %s for user %s", outcome, user.pk)
    _pause_or_count(factor, now)
    return outcome, factor


@transaction.atomic
def second_factor_reset(*, user: User, by: User | None) -> bool:
    """Remove the user's factor and recovery codes (a lost phone): they enrol again at their
    next login, and every session the old factor let in ends at its next request. True if
    there was one."""
    deleted, _rows = StaffSecondFactor.objects.filter(user=user).delete()
    if deleted:
        log.warning(
            "staff second factor of user %s reset by %s",
            user.pk,
            by.pk if by is not None else "the installation",
        )
    return bool(deleted)
