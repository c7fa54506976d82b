"""Reads of the exchange for other apps and pages: the in-process query path, what an actor
may ask, a resident's usage (the data tracker), and access-log proofs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core import clock
from civic.exchange.actors import Actor
from civic.exchange.aggregates import (
    AGE_BANDS,
    LARGEST_HOUSEHOLD,
    NACE_SECTIONS,
    Counts,
    aggregate_read,
)
from civic.exchange.errors import QueryRefused
from civic.exchange.models import AccessLogEntry, Delivery, Grant, Purpose
from civic.exchange.places import home_neighbourhoods, neighbourhoods_list
from civic.exchange.population import (
    Population,
    address_ranges,
    neighbourhoods_of,
    population_of,
    population_read,
)
from civic.exchange.processing_limits import (  # noqa: F401 (for compliance and the portal)
    OBJECTABLE,
    processing_limits_of,
)
from civic.exchange.proofs import consistency_proof_get, inclusion_proof_get, signing_keys_list
from civic.exchange.pseudonyms import person_pseudonym
from civic.exchange.query import purpose_controller, register_query
from civic.exchange.subject_access import subject_consents, subject_log, subject_records
from civic.identity.models import Authorisation
from civic.identity.selectors import agency_list, agency_scoped
from civic.registers import selectors as registers
from civic.registers.catalogue import REGISTERS, register_get
from civic.registers.changes import EVENT_FIELDS
from civic.registers.selectors import parents_of

__all__ = [
    "AGE_BANDS",
    "LARGEST_HOUSEHOLD",
    "NACE_SECTIONS",
    "Actor",
    "Counts",
    "Grant",
    "Population",
    "QueryRefused",
    "address_ranges",
    "aggregate_read",
    "allowed_list",
    "consistency_proof_get",
    "home_neighbourhoods",
    "inclusion_proof_get",
    "neighbourhoods_list",
    "neighbourhoods_of",
    "person_fetch",
    "population_of",
    "population_read",
    "purpose_controller_get",
    "records_fetch",
    "signing_keys_list",
    "subject_consents",
    "subject_log",
    "subject_records",
    "usage_page",
]


def person_fetch(
    *,
    subject: str,
    fields: list[str],
    purpose: str,
    actor: Actor,
    case: str = "",
    valid_at: dt.date | None = None,
    known_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """One person's records, for staff pages and jobs: the same checks and log as the API."""
    answer = register_query(
        actor=actor,
        register="persons",
        subjects=[subject],
        fields=fields,
        purpose=purpose,
        case=case,
        valid_at=valid_at,
        known_at=known_at,
    )
    return answer["results"][0]["records"]


def records_fetch(
    *,
    register: str,
    subject: str,
    fields: list[str],
    purpose: str,
    actor: Actor,
    case: str = "",
) -> dict[str, Any]:
    """One subject's records of any register, for other apps: the same checks and log as the API."""
    answer = register_query(
        actor=actor,
        register=register,
        subjects=[subject],
        fields=fields,
        purpose=purpose,
        case=case,
    )
    return answer["results"][0]["records"]


def purpose_get(*, code: str) -> Purpose | None:
    return Purpose.objects.filter(code=code).first()


def purpose_controller_get(*, code: str) -> str | None:
    """The code of the agency controlling purpose ``code``, or None if there is none."""
    return purpose_controller(code)


def purposes_list() -> list[Purpose]:
    return list(Purpose.objects.select_related("controller").order_by("code"))


def grants_open_list() -> list[Grant]:
    """The grants in force with no end date: those a jurisdiction's set-up manages (a grant
    with an end date is someone's temporary decision, left alone)."""
    return list(
        Grant.objects.filter(revoked_at__isnull=True, valid_until__isnull=True)
        .select_related("purpose", "agency", "api_client")
        .order_by("purpose__code", "register", "pk")
    )


def grants_in_force_list() -> list[Grant]:
    """Every grant not revoked and not past its end (one starting later included): the
    recipients the record of processing lists, each with its purpose, grantee and agency."""
    return list(
        Grant.objects.filter(revoked_at__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=clock.now()))
        .select_related("purpose", "agency", "api_client", "api_client__agency")
        .order_by("purpose__code", "register", "pk")
    )


def handler_subscriptions(*, job: str) -> list:
    """The active in-process subscriptions a job holds (register events it handles)."""
    from civic.exchange.models import Subscription

    return list(
        Subscription.objects.filter(
            kind=Subscription.Kind.HANDLER, job=job, cancelled_at__isnull=True
        ).select_related("purpose", "agency")
    )


def event_subscriptions_of(*, api_client) -> list:
    """The client's active webhooks for case events (register events' are on the exchange
    API), oldest first."""
    from civic.exchange.models import Subscription

    return list(
        Subscription.objects.filter(
            api_client=api_client, register="", cancelled_at__isnull=True
        ).order_by("id")
    )


def register_catalogue() -> dict[str, dict[str, Any]]:
    """Each register's authority, attribute names and the event types it publishes with their
    fields: what a set-up's grants and subscriptions may name, and whom a form names as the
    source of a prefilled value."""
    return {
        key: {
            "authority": register.authority,
            "attributes": register.attribute_names(),
            "events": {t: fields for t, (r, fields) in EVENT_FIELDS.items() if r == key},
        }
        for key, register in REGISTERS.items()
    }


def catalogue_list() -> list[dict[str, Any]]:
    """The register catalogue (public): every register, its authority and legal basis, every
    attribute's classification and retention."""
    return registers.catalogue_list()


def catalogue_register(*, key: str) -> dict[str, Any] | None:
    return registers.catalogue_register(key=key)


def jurisdiction_get():
    """The jurisdiction the registers describe, with its summary (public figures only)."""
    return registers.jurisdiction_get()


def purposes_for_forms(*, user) -> list[Purpose]:
    """Purposes a form of the user's agency may read under: controlled by the agency, and
    not confidential (the resident sees every use of their data as they fill in a form)."""

    return list(
        agency_scoped(Purpose.objects.filter(confidential=False), user=user, path="controller")
    )


def allowed_list(*, actor: Actor) -> list[dict[str, Any]]:
    from civic.exchange.authorisation import grants_active

    out = []
    for purpose in Purpose.objects.order_by("code"):
        for grant in grants_active(actor=actor, purpose=purpose).order_by("register"):
            out.append(
                {
                    "purpose": purpose.code,
                    "purpose_name": purpose.name,
                    "legal_ground": purpose.legal_ground,
                    "legal_basis": purpose.legal_basis,
                    "register": grant.register,
                    "fields": grant.attributes,
                    "valid_until": grant.valid_until,
                }
            )
    return out


def _localised(purpose: Purpose | None, field: str) -> str:
    if purpose is None:
        return ""
    dutch = translation.get_language() == "nl"
    return (getattr(purpose, f"{field}_nl") if dutch else "") or getattr(purpose, field)


def usage_page(
    *,
    personal_number: str,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> dict[str, Any]:
    """The resident's own entries, newest first; embargoed ones only once their date has come."""

    me = person_pseudonym(personal_number)
    # Uses of my data, and what I did for people I act for: both people see an act for someone.
    # Two queries, each on its own index, rather than one OR that no index serves.
    window = Q(visible_from__lte=clock.now())
    if since:
        window &= Q(at__gte=since)
    if until:
        window &= Q(at__lt=until)
    about_me = AccessLogEntry.objects.filter(window, subject=me)
    for_others = (
        AccessLogEntry.objects.filter(window, actor=me).exclude(on_behalf_of="").exclude(subject=me)
    )
    total = about_me.count() + for_others.count()
    wanted = offset + limit
    candidates = list(about_me.order_by("-at", "-id")[:wanted]) + list(
        for_others.order_by("-at", "-id")[:wanted]
    )
    candidates.sort(key=lambda e: (e.at, e.id), reverse=True)
    page = candidates[offset:wanted]
    purposes = {p.code: p for p in Purpose.objects.filter(code__in={e.purpose for e in page})}
    dutch = translation.get_language() == "nl"
    agencies = {a.code: (a.name_nl if dutch and a.name_nl else a.name) for a in agency_list()}
    representatives = _representatives(personal_number) if any(e.on_behalf_of for e in page) else {}
    return {
        "total": total,
        "offset": offset,
        "limit": limit,
        "entries": [
            {
                "at": e.at,
                "organisation": _who(e, me, agencies, representatives),
                "acting_for_someone": bool(e.on_behalf_of),
                "purpose": _localised(purposes.get(e.purpose), "name") or e.purpose,
                "purpose_description": _localised(purposes.get(e.purpose), "description"),
                "legal_basis": e.legal_basis,
                "register": e.register,
                "fields": e.fields.split(","),
                "field_names": _plain_names(e.register, e.fields.split(",")),
                "kind": e.kind,
                "position": e.position,
            }
            for e in page
        ],
    }


def _plain_names(register: str, fields: list[str]) -> list[str]:
    """The catalogue's words for each released value ("Given names, in full."), not its key."""
    catalogue = register_get(register)
    out = []
    for name in fields:
        attribute = catalogue.attribute_get(name) if catalogue else None
        out.append(str(attribute.description) if attribute else name)
    return out


def _representatives(personal_number: str) -> dict[str, str]:
    """Pseudonym -> masked number of the people who may act for this person: the log knows
    representatives only by pseudonym, so the tracker matches the ones it can name."""

    numbers = set(parents_of(personal_number=personal_number))
    numbers |= set(
        Authorisation.objects.filter(grantor=personal_number).values_list(
            "representative", flat=True
        )
    )
    return {person_pseudonym(n): f"{n[:3]}***{n[-2:]}" for n in numbers}


def _who(
    entry: AccessLogEntry, me: str, agencies: dict[str, str], representatives: dict[str, str]
) -> str:
    if entry.actor_kind != AccessLogEntry.ActorKind.RESIDENT:
        return agencies.get(entry.agency, entry.agency)
    if entry.on_behalf_of and entry.actor == me and entry.subject != me:
        return _("You, acting for someone else")
    if entry.on_behalf_of:
        who = representatives.get(entry.actor)
        return _("%(who)s, acting for you") % {"who": who} if who else _("Someone acting for you")
    return _("You")


def deliveries_standing() -> dict[str, int]:
    """How many register-event deliveries are in each status, for the operator."""
    counts = dict(
        Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Delivery.Status.values}


def deliveries_stopped(*, limit: int) -> list:
    """The latest deliveries that will not be made (dead or withdrawn), newest first."""
    return list(
        Delivery.objects.filter(
            status__in=[Delivery.Status.DEAD, Delivery.Status.WITHDRAWN]
        ).order_by("-id")[:limit]
    )
