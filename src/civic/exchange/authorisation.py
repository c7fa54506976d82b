"""Who may read what: an actor's active grants for a purpose, the attributes they cover,
a resident's own records (or those of someone they act for), and consent. The query path
(``query.py``) calls these before anything is read."""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.core import clock, memo
from civic.exchange import sql
from civic.exchange.actors import Actor
from civic.exchange.errors import NoConsent, NotGranted
from civic.exchange.models import AccessLogEntry, Consent, Grant, LegalGround, Purpose
from civic.exchange.pseudonyms import pseudonym
from civic.identity.selectors import may_represent
from civic.identity.services import representation_refusal_record
from civic.registers.catalogue import REGISTERS, Classification, Register


def grants_active(*, actor: Actor, purpose: Purpose, register: str | None = None):
    now = clock.now()
    grants = Grant.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now),
        purpose=purpose,
        valid_from__lte=now,
        revoked_at__isnull=True,
    )
    if register:
        grants = grants.filter(register=register)
    if actor.kind == AccessLogEntry.ActorKind.API_CLIENT:
        return grants.filter(api_client_id=actor.api_client_pk)
    if actor.kind == AccessLogEntry.ActorKind.STAFF:
        return grants.filter(staff_role__in=actor.roles, agency__code=actor.agency)
    if actor.kind == AccessLogEntry.ActorKind.JOB:
        return grants.filter(job=actor.id, agency__code=actor.agency)
    if actor.kind == AccessLogEntry.ActorKind.RESIDENT:
        return grants.filter(residents=True)
    return grants.none()


def _granted_attributes(actor: Actor, purpose: Purpose, register: str) -> set[str]:
    """The union of the attributes the actor's active grants allow (one fixed statement)."""
    table = Grant._meta.db_table
    if actor.kind == AccessLogEntry.ActorKind.API_CLIENT:
        return _client_granted(actor.api_client_pk, purpose.pk, register)
    if actor.kind == AccessLogEntry.ActorKind.STAFF:
        if not actor.roles:
            return set()
        marks = ", ".join(["%s"] * len(actor.roles))
        grantee = f"staff_role IN ({marks}) AND agency_id = (SELECT id FROM identity_agency WHERE code = %s)"  # noqa: S608
        params = [*sorted(actor.roles), actor.agency]
    elif actor.kind == AccessLogEntry.ActorKind.JOB:
        grantee, params = (
            "job = %s AND agency_id = (SELECT id FROM identity_agency WHERE code = %s)",
            [actor.id, actor.agency],
        )
    elif actor.kind == AccessLogEntry.ActorKind.RESIDENT:
        # Which subjects a resident may read is checked by the caller: their own, or a
        # represented person's.
        grantee, params = "residents = %s", [True]
    else:
        return set()
    now = sql.moment(clock.now())
    rows = sql.fetch(
        f"SELECT attributes FROM {table} WHERE purpose_id = %s AND register = %s AND revoked_at IS NULL "  # noqa: S608
        f"AND valid_from <= %s AND (valid_until IS NULL OR valid_until > %s) AND {grantee}",
        [purpose.pk, register, now, now, *params],
    )
    granted: set[str] = set()
    for (attributes,) in rows:
        granted.update(json.loads(attributes) if isinstance(attributes, str) else attributes)
    return granted


def _client_granted(client_pk: int, purpose_pk: int, register: str) -> set[str]:
    """An API client's granted attributes now: its unrevoked grants (from the process's memo,
    core.memo, or one statement), their validity checked against the clock on every call."""
    rows = memo.remembered(
        ("grants", client_pk, purpose_pk, register),
        lambda: list(
            Grant.objects.filter(
                api_client_id=client_pk,
                purpose_id=purpose_pk,
                register=register,
                revoked_at__isnull=True,
            ).values_list("attributes", "valid_from", "valid_until")
        ),
        keep=lambda _rows: True,  # none is an answer too: the client's next call is refused
    )
    now = clock.now()
    granted: set[str] = set()
    for attributes, valid_from, valid_until in rows:
        if valid_from <= now and (valid_until is None or valid_until > now):
            granted.update(attributes)
    return granted


def _public_attributes(register: Register) -> set[str]:

    return {
        f"{record.key}.{a.name}"
        for record in register.records
        for a in record.attributes
        if a.classification == Classification.PUBLIC
    }


def authorise(
    actor: Actor, purpose: Purpose, register: str, fields: list[str], subjects: list[str]
) -> None:
    if actor.kind == AccessLogEntry.ActorKind.RESIDENT:
        if (
            actor.on_behalf_of
            and may_represent(representative=actor.id, person=actor.on_behalf_of) is None
        ):
            representation_refusal_record(
                actor=actor.id, person=actor.on_behalf_of, where=f"exchange:{register}"
            )
            raise NotGranted(_("You may not act for this person."), items=[actor.on_behalf_of])
        own = {actor.id, actor.on_behalf_of} - {""}
        if REGISTERS[register].subject != "person":
            # Residents may read public registers (their address's details), nothing else there.
            public = _public_attributes(REGISTERS[register])
            if not set(fields) <= public:
                raise NotGranted(
                    _("A resident may read only the public data of this register."),
                    items=sorted(set(fields) - public),
                )
        elif not set(subjects) <= own:
            raise NotGranted(
                _("A resident may read only their own data, or data of someone they act for."),
                items=[s for s in subjects if s not in own],
            )
        if purpose.code == settings.OWN_DATA_PURPOSE:
            return
    granted = _granted_attributes(actor, purpose, register)
    if not granted:
        raise NotGranted(
            _("You hold no grant for purpose “%(purpose)s” on register “%(register)s”.")
            % {"purpose": purpose.code, "register": register},
            items=[purpose.code],
        )
    refused = [f for f in fields if f not in granted]
    if refused:
        raise NotGranted(
            _(
                "Your grant for purpose “%(purpose)s” does not cover %(fields)s; nothing was released."
            )
            % {"purpose": purpose.code, "fields": ", ".join(f"“{f}”" for f in refused)},
            items=refused,
        )


def consent_check(purpose: Purpose, register: str, subjects: list[str]) -> None:
    if purpose.legal_ground != LegalGround.CONSENT:
        return
    pseudonyms = {pseudonym(register, s): s for s in subjects}
    consenting = set(
        Consent.objects.filter(
            purpose=purpose, subject__in=pseudonyms, withdrawn_at__isnull=True
        ).values_list("subject", flat=True)
    )
    missing = [s for p, s in pseudonyms.items() if p not in consenting]
    if missing:
        raise NoConsent(
            ngettext(
                "Purpose “%(purpose)s” rests on consent, and %(count)s subject has not given it (or withdrew it).",
                "Purpose “%(purpose)s” rests on consent, and %(count)s subjects have not given it (or withdrew it).",
                len(missing),
            )
            % {"purpose": purpose.code, "count": len(missing)},
            items=missing,
        )
