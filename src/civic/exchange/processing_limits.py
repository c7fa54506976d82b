"""Objections (GDPR art. 21) and restrictions (art. 18) as the exchange enforces them.

An upheld objection to a purpose resting on a public task or legitimate interests stops every
release of the person's data under that purpose; a restriction stops every release except
under the purposes art. 18(2) allows: the person's own reads and export, purposes resting on
their consent, and those named in CIVIC_RESTRICTION_PURPOSES (storage, legal claims).

Cost: whether any limit is in force at all is kept in the process's memo (core.memo, dropped
whenever a ProcessingLimit row is saved); while none is, a query pays nothing. Otherwise it pays
one indexed statement for all its subjects, and a population chunk one statement for the
purpose. A refusal is counted on the limit (an UPDATE, which sends no signal and so leaves the
memo alone) and logged; it is no access-log entry, since nothing was released.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.core import clock, memo
from civic.exchange.actors import Actor
from civic.exchange.errors import NotGranted, ObjectionUpheld, ProcessingRestricted
from civic.exchange.models import AccessLogEntry, LegalGround, ProcessingLimit, Purpose
from civic.exchange.pseudonyms import person_pseudonym
from civic.registers.catalogue import REGISTERS

log = logging.getLogger("civic.exchange")

#: The legal grounds an objection can be upheld against (art. 21(1): arts. 6(1)(e) and (f)).
OBJECTABLE = {LegalGround.PUBLIC_TASK, LegalGround.LEGITIMATE_INTERESTS}


def restriction_allows(purpose: Purpose) -> bool:
    """Whether art. 18(2) lets ``purpose`` read restricted data (consent is checked apart)."""
    return (
        purpose.legal_ground == LegalGround.CONSENT
        or purpose.code in {settings.OWN_DATA_PURPOSE, settings.SUBJECT_ACCESS_PURPOSE}
        or purpose.code in settings.RESTRICTION_PURPOSES
    )


def _any_in_force() -> bool:
    """Whether any limit may be in force: from the memo where it is shared, else assumed (the
    lookup itself then answers, in the one statement it costs anyway)."""
    if not memo.shared():
        return True
    return memo.remembered(
        ("processing-limits",),
        lambda: ProcessingLimit.objects.filter(lifted_at__isnull=True).exists(),
        keep=lambda _found: True,
    )


def limits_stop_purpose(purpose: Purpose) -> bool:
    """Whether any limit in force stops ``purpose`` now: the memo first, then one EXISTS
    statement (a population count skips its pass over the residents when none does)."""
    return _any_in_force() and _in_force(purpose).exists()


def _in_force(purpose: Purpose):
    """The limits in force that stop ``purpose``."""
    found = ProcessingLimit.objects.filter(lifted_at__isnull=True)
    stops = Q(kind=ProcessingLimit.Kind.OBJECTION, purpose_id=purpose.pk)
    if not restriction_allows(purpose):
        stops |= Q(kind=ProcessingLimit.Kind.RESTRICTION)
    return found.filter(stops)


def _refusals_count(limit_ids: list[int], purpose: Purpose, actor: Actor) -> None:
    ProcessingLimit.objects.filter(pk__in=limit_ids).update(
        refusals=F("refusals") + 1, last_refused_at=clock.now()
    )
    log.warning(
        "exchange refused %s read(s) under %s by %s %s: objection or restriction in force",
        len(limit_ids),
        purpose.code,
        actor.kind,
        actor.id,
    )


def limits_check(actor: Actor, purpose: Purpose, register: str, subjects: list[str]) -> None:
    """Refuse the query if a subject objected to ``purpose`` or is restricted: one indexed
    statement for all subjects (none while no limit is in force anywhere)."""
    if actor.kind == AccessLogEntry.ActorKind.RESIDENT or REGISTERS[register].subject != "person":
        return  # the person's own data (or someone's they act for), or no person's at all
    if purpose.legal_ground not in OBJECTABLE and restriction_allows(purpose):
        return
    if not _any_in_force():
        return
    pseudonyms = {person_pseudonym(s): s for s in subjects}
    stopped = list(
        _in_force(purpose).filter(subject__in=pseudonyms).values_list("pk", "subject", "kind")
    )
    if not stopped:
        return
    _refusals_count([pk for pk, _subject, _kind in stopped], purpose, actor)
    items = sorted({pseudonyms[subject] for _pk, subject, _kind in stopped})
    if any(kind == ProcessingLimit.Kind.OBJECTION for _pk, _subject, kind in stopped):
        raise ObjectionUpheld(
            ngettext(
                "%(count)s subject objected to purpose “%(purpose)s” and the objection was "
                "upheld (GDPR art. 21); nothing was released.",
                "%(count)s subjects objected to purpose “%(purpose)s” and the objections were "
                "upheld (GDPR art. 21); nothing was released.",
                len(items),
            )
            % {"count": len(items), "purpose": purpose.code},
            items=items,
        )
    raise ProcessingRestricted(
        ngettext(
            "The data of %(count)s subject is restricted (GDPR art. 18): purpose “%(purpose)s” "
            "may not read it now; nothing was released.",
            "The data of %(count)s subjects is restricted (GDPR art. 18): purpose “%(purpose)s” "
            "may not read it now; nothing was released.",
            len(items),
        )
        % {"count": len(items), "purpose": purpose.code},
        items=items,
    )


def stopped_among(actor: Actor, purpose: Purpose, personal_numbers: list[str]) -> set[str]:
    """Of a population chunk's people, those the purpose may not read now (counted as refused):
    one statement for the purpose's limits, pseudonyms computed only if there are any."""
    if purpose.legal_ground not in OBJECTABLE and restriction_allows(purpose):
        return set()
    if not personal_numbers or not _any_in_force():
        return set()
    limits = dict(_in_force(purpose).values_list("subject", "pk"))
    if not limits:
        return set()
    stopped = {n for n in personal_numbers if person_pseudonym(n) in limits}
    if stopped:
        _refusals_count([limits[person_pseudonym(n)] for n in stopped], purpose, actor)
    return stopped


@transaction.atomic
def processing_limit_set(
    *, personal_number: str, kind: str, reference: str, purpose: Purpose | None = None
) -> ProcessingLimit:
    """Put an upheld objection to ``purpose`` or a restriction in force from now on."""
    if kind == ProcessingLimit.Kind.OBJECTION:
        if purpose is None or purpose.legal_ground not in OBJECTABLE:
            raise NotGranted(
                _(
                    "An objection can be upheld only against a purpose resting on a public task "
                    "or legitimate interests (GDPR art. 21(1)); choose one."
                ),
                items=[purpose.code if purpose else ""],
            )
    else:
        purpose = None
    return ProcessingLimit.objects.create(
        subject=person_pseudonym(personal_number),
        kind=kind,
        purpose=purpose,
        reference=reference,
        since=clock.now(),
    )


@transaction.atomic
def processing_limit_lift(*, reference: str) -> int:
    """Lift the limits the request set (saved one by one, so every process's memo hears)."""
    lifted = 0
    for limit in ProcessingLimit.objects.select_for_update().filter(
        reference=reference, lifted_at__isnull=True
    ):
        limit.lifted_at = clock.now()
        limit.save(update_fields=["lifted_at"])
        lifted += 1
    return lifted


def processing_limits_of(*, personal_number: str) -> list[ProcessingLimit]:
    """The person's objections and restrictions, in force first, for their own pages."""
    return list(
        ProcessingLimit.objects.filter(subject=person_pseudonym(personal_number))
        .select_related("purpose")
        .order_by(F("lifted_at").desc(nulls_first=True), "-since")
    )
