"""Every write of the identity app: agencies, staff, residents' accounts, API clients, codes.

Keyword-only functions named ``<noun>_<verb>``, each atomic.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from civic.core import clock, memo
from civic.core.errors import CivicError
from civic.core.numbers import personal_number_clean
from civic.identity.events import api_client_revoked_publish
from civic.identity.models import (
    Agency,
    ApiClient,
    LoginEvent,
    OneTimeCode,
    ResidentAccount,
    Role,
    StaffRole,
    User,
)

log = logging.getLogger("civic.identity")

#: Codes one address may ask for one number per hour; more would let someone flood an outbox.
#: Counted per address, so nobody can use up a resident's own codes from elsewhere.
CODES_PER_HOUR = 5
#: Wrong guesses a code survives; six digits and five guesses give odds of 1 in 200,000.
CODE_ATTEMPTS = 5


class LoginRefused(CivicError):
    code = "login-refused"


class RepresentationRefused(CivicError):
    """Acting for someone without the right to, today: refused, and the refusal kept."""

    code = "representation-refused"
    status = 403


def agency_ensure(*, code: str, name: str, name_nl: str = "", kind: str = "national") -> Agency:
    agency, _created = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "name_nl": name_nl, "kind": kind}
    )
    return agency


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    agency: Agency,
    roles: list[str],
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise CivicError(_("Unknown role(s): %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    user = User(
        username=username,
        kind=User.Kind.STAFF,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        # Service owners and administrators work in the back office (Django admin), within
        # their agency: an administrator is the agency's, not a superuser of the installation.
        is_staff=bool({Role.ADMINISTRATOR, Role.SERVICE_OWNER} & set(roles)),
        is_superuser=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    StaffRole.objects.bulk_create([StaffRole(user=user, role=role) for role in roles])
    return user


def resident_account_ensure(*, personal_number: str) -> User:
    """The resident's user, created on first login. Refuses a number that fails its check."""
    number = personal_number_clean(personal_number)
    account = ResidentAccount.objects.select_related("user").filter(personal_number=number).first()
    if account:
        return account.user
    with transaction.atomic():
        user = User(username=f"resident-{number}", kind=User.Kind.RESIDENT)
        user.set_unusable_password()
        user.save()
        ResidentAccount.objects.create(user=user, personal_number=number)
    return user


def _secret_digest(secret: str) -> str:
    # API secrets are 256 random bits, so a fast hash is safe and keeps each call cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


def api_client_create(
    *,
    agency: Agency,
    name: str,
    subjects_per_minute: int | None = None,
    subjects_per_day: int | None = None,
) -> tuple[ApiClient, str]:
    """Create an API client; returns it with its secret, which is shown this once only. The
    limits left None follow the installation's defaults."""
    api_client_limits_check(subjects_per_minute, subjects_per_day)
    secret = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        agency=agency,
        name=name,
        client_id=f"{agency.code}-{secrets.token_hex(6)}",
        secret_hash=_secret_digest(secret),
        subjects_per_minute=subjects_per_minute,
        subjects_per_day=subjects_per_day,
    )
    return client, secret


def api_client_limits_check(per_minute: int | None, per_day: int | None) -> None:
    """Refuse limits that are no limits (CivicError saying why); None is the default."""
    for value in (per_minute, per_day):
        if value is not None and value < 1:
            raise CivicError(_("A limit is a whole number of at least 1, or the default."))
    if per_minute is not None and per_day is not None and per_minute > per_day:
        raise CivicError(
            _("A client's limit a minute (%(minute)s) cannot be above its limit a day (%(day)s).")
            % {"minute": per_minute, "day": per_day}
        )


def api_client_limits_set(
    *, client: ApiClient, subjects_per_minute: int | None, subjects_per_day: int | None
) -> ApiClient:
    """Set the subjects the exchange releases to ``client`` a minute and a day (None: the
    installation's default). Takes effect at the client's next call."""
    api_client_limits_check(subjects_per_minute, subjects_per_day)
    client.subjects_per_minute = subjects_per_minute
    client.subjects_per_day = subjects_per_day
    client.save(update_fields=["subjects_per_minute", "subjects_per_day"])
    log.info(
        "API client %s limits set: %s a minute, %s a day",
        client.client_id,
        subjects_per_minute or "default",
        subjects_per_day or "default",
    )
    return client


_CLIENT_LOOKUP = (
    f"SELECT c.id, c.name, c.secret_hash, c.revoked_at, c.subjects_per_minute, "  # noqa: S608
    f"c.subjects_per_day, a.id, a.code, a.name "
    f"FROM {ApiClient._meta.db_table} c JOIN {Agency._meta.db_table} a ON a.id = c.agency_id "
    f"WHERE c.client_id = %s"
)


def _client_row(client_id: str) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(_CLIENT_LOOKUP, [client_id])
        return cursor.fetchone()


def api_client_authenticate(*, client_id: str, secret: str) -> ApiClient | None:
    """The client, if the id and secret match and it is not revoked. Runs on every API call, so
    it is one fixed statement rather than a composed query, and its row is kept in the
    process's memo (core.memo: dropped in every process when a client or agency changes, so a
    revoked client is refused at its next call). The secret is checked on every call against
    the stored SHA-256; an unknown client id is never kept."""
    if "\x00" in client_id:
        # No client id holds one, and PostgreSQL refuses it as a parameter (a 500, not a 401).
        return None
    row = memo.remembered(("api-client", client_id), lambda: _client_row(client_id))
    if row is None:
        return None
    pk, name, secret_hash, revoked_at, per_minute, per_day, agency_pk, agency_code, agency_name = (
        row
    )
    if revoked_at is not None or not hmac.compare_digest(secret_hash, _secret_digest(secret)):
        return None
    return ApiClient(
        id=pk,
        client_id=client_id,
        name=name,
        secret_hash=secret_hash,
        subjects_per_minute=per_minute,
        subjects_per_day=per_day,
        agency=Agency(id=agency_pk, code=agency_code, name=agency_name),
    )


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    """Its next API call gets 401; its subscriptions end and nothing more is delivered to it,
    not even what was already queued (the exchange handles the event, in this transaction)."""
    client.revoked_at = client.revoked_at or clock.now()
    client.save(update_fields=["revoked_at"])
    api_client_revoked_publish(client_id=client.client_id)
    return client


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


def authorisation_grant(*, grantor: str, representative: str, valid_until, scope: str = "all"):
    """Let ``representative`` act for ``grantor`` until ``valid_until`` (at most a year ahead)."""
    from datetime import timedelta

    from civic.identity.models import Authorisation

    grantor, representative = personal_number_clean(grantor), personal_number_clean(representative)
    if grantor == representative:
        raise CivicError(_("You cannot authorise yourself."))
    today = clock.today()
    if not today < valid_until <= today + timedelta(days=366):
        raise CivicError(_("The end date must be after today and at most one year ahead."))
    return Authorisation.objects.create(
        grantor=grantor, representative=representative, valid_until=valid_until, scope=scope
    )


def authorisation_revoke(*, grantor: str, authorisation_id: int) -> bool:
    from civic.identity.models import Authorisation

    return bool(
        Authorisation.objects.filter(
            pk=authorisation_id, grantor=grantor, revoked_at__isnull=True
        ).update(revoked_at=clock.now())
    )


def representation_check(
    *, representative: str, person: str, where: str, right: str = "act"
) -> None:
    """Refuse ``representative`` acting for ``person`` unless the right holds now: ``act``
    (apply, send, answer, object: a parent, or an authorisation for everything) or ``look``
    (any authorisation). Called by services at every step, so that narrowing, revoking or the
    end of an authorisation stops what is in flight at its next step. The refusal is recorded
    before RepresentationRefused is raised: call this before opening a transaction, or the
    record goes with its rollback."""
    from civic.identity.selectors import may_apply_for, may_represent

    if representative == person:
        return
    may_look = may_represent(representative=representative, person=person) is not None
    if may_look and (
        right == "look" or may_apply_for(representative=representative, person=person)
    ):
        return
    representation_refusal_record(actor=representative, person=person, where=where)
    if may_look:
        raise RepresentationRefused(
            _("You may look at this person's data, but not apply for them.")
        )
    raise RepresentationRefused(
        _(
            "You may no longer act for this person: your right to act for them has ended or "
            "was withdrawn."
        )
    )


def representation_refusal_record(*, actor: str, person: str, where: str) -> None:
    from civic.identity.models import RepresentationRefusal

    RepresentationRefusal.objects.create(
        at=clock.now(), actor_hint=actor[:3], represented_hint=person[:3], where=where[:100]
    )
    log.warning("refused: %s*** tried to act for %s*** at %s", actor[:3], person[:3], where)


def user_language_set(*, user, language: str) -> None:
    """Remember a logged-in user's language, so it follows them to other devices."""
    if user.is_authenticated and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


# The staff's second factor has its own module (identity/second_factor/services.py); other
# apps, the back office and the CLI reach its writes here, as every other write of identity.
from civic.identity.second_factor.services import (  # noqa: E402
    recovery_code_redeem,
    second_factor_check,
    second_factor_enrol,
    second_factor_install,
    second_factor_reset,
)

__all__ = [
    "recovery_code_redeem",
    "second_factor_check",
    "second_factor_enrol",
    "second_factor_install",
    "second_factor_reset",
]
