"""Acting for someone else: authorisations given, checked and refused."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError
from civic.core.numbers import personal_number_clean

log = logging.getLogger("civic.identity")


class RepresentationRefused(CivicError):
    """Acting for someone without the right to, today: refused, and the refusal kept."""

    code = "representation-refused"
    status = 403


def authorisation_grant(*, grantor: str, representative: str, valid_until, scope: str = "all"):
    """Let ``representative`` act for ``grantor`` until ``valid_until`` (at most a year ahead)."""

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
