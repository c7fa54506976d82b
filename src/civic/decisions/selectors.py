"""Reads of the decisions app for pages and other apps: a resident's offers, the rules' view
of a case, shadow-mode agreement, the modes of the automatable case types."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth

from civic.cases.selectors import case_type_codes_of
from civic.core import clock
from civic.core.i18n import tr
from civic.decisions.engine import rule_system
from civic.decisions.models import Offer, RuleOutcome, RuleSetMode
from civic.decisions.rule_sets import (
    proactive_reads,
    rule_set_for_case_type,
    rule_set_get,
    rule_sets,
)
from civic.decisions.wording import euros, explanation_view
from civic.exchange.population import POPULATION_FIELDS, read_register
from civic.exchange.selectors import handler_subscriptions, register_catalogue


def offers_for_resident(*, personal_number: str) -> list[dict[str, Any]]:
    """Open offers, newest first, with the service's name, the estimate and why."""
    rows = Offer.objects.filter(
        personal_number=personal_number, status=Offer.Status.OFFERED
    ).order_by("-created_at", "rule_set")[:20]
    out = []
    for offer in rows:
        rule_set = rule_set_get(offer.rule_set)
        if rule_set is None:
            continue
        out.append(
            {
                "id": offer.pk,
                "name": rule_set.label(),
                "service": rule_set.service,
                "amount": euros(offer.amount) if offer.amount else "",
                "why": rule_set.reasons_text(offer.reasons),
                "granted_without_application": rule_set.granted_without_application,
                "form": rule_set.form,
                "created_at": offer.created_at,
            }
        )
    return out


def offer_take_up(*, case_type: str, since) -> dict[str, int] | None:
    """Proactive offers of the rule set behind a case type made since ``since``, and how many
    residents took up (applied or were granted); None when no rule set makes offers for it."""
    rule_set = rule_set_for_case_type(case_type)
    if rule_set is None:
        return None
    offers = Offer.objects.filter(rule_set=rule_set.key, created_at__gte=since)
    taken = offers.filter(status__in=[Offer.Status.ACCEPTED, Offer.Status.GRANTED]).count()
    return {"offered": offers.count(), "taken_up": taken}


def offer_take_up_months() -> list[dict[str, Any]]:
    """``offer_take_up`` per service and month the offers were made (``"YYYY-MM"``): how many
    proactive offers its rule set made, and how many residents took up (applied or were
    granted). Counts only, never a person."""
    services = {key: rule_set.service or key for key, rule_set in rule_sets().items()}
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for key, month, status, count in (
        Offer.objects.annotate(month=TruncMonth("created_at"))
        .values_list("rule_set", "month", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        found = (services.get(key, key), month.strftime("%Y-%m"))
        row = rows.setdefault(
            found, {"service": found[0], "month": found[1], "offered": 0, "taken_up": 0}
        )
        row["offered"] += count
        if status in (Offer.Status.ACCEPTED, Offer.Status.GRANTED):
            row["taken_up"] += count
    return [rows[key] for key in sorted(rows)]


def offer_of_resident(*, personal_number: str, offer_id: int) -> Offer | None:
    return Offer.objects.filter(pk=offer_id, personal_number=personal_number).first()


def case_explanation(
    *, reference: str, outcome: str = "", with_shadow: bool = False
) -> dict[str, Any] | None:
    """The rules' explanation of a case they decided or sent on. Shadow outcomes only for
    staff (``with_shadow``): a resident is told what was decided, not what the rules would
    have done."""
    recorded = RuleOutcome.objects.filter(case_reference=reference)
    if not with_shadow:
        recorded = recorded.exclude(route=RuleOutcome.Route.SHADOW)
    recorded = recorded.first()
    if recorded is None:
        return None
    view = explanation_view(
        recorded.explanation, rule_set_get(recorded.rule_set), outcome or recorded.outcome
    )
    return {
        **view,
        "route": recorded.route,
        "shadow": recorded.route == RuleOutcome.Route.SHADOW,
        "automated": recorded.route == RuleOutcome.Route.DECIDED,
        "review_requested": recorded.review_requested_at is not None,
    }


def _case_types_of(user) -> set[str]:

    return case_type_codes_of(user=user)


def shadow_report(*, case_type: str, user, limit: int = 50) -> dict[str, Any] | None:
    """How often the rules agreed with the caseworkers, and where they did not; None when the
    case type is not one of the user's agency (its case references are that agency's)."""
    if case_type not in _case_types_of(user):
        return None
    return _shadow_report(case_type, limit)


def _shadow_report(case_type: str, limit: int) -> dict[str, Any]:
    compared = RuleOutcome.objects.filter(
        case_type=case_type, route=RuleOutcome.Route.SHADOW, agreed__isnull=False
    )
    total = compared.count()
    agreed = compared.filter(agreed=True).count()
    return {
        "case_type": case_type,
        "compared": total,
        "agreed": agreed,
        "rate": round(100 * agreed / total, 1) if total else None,
        "waiting": RuleOutcome.objects.filter(
            case_type=case_type, route=RuleOutcome.Route.SHADOW, agreed__isnull=True
        ).count(),
        "disagreements": [
            {
                "reference": r.case_reference,
                "rules": r.outcome,
                "caseworker": r.caseworker_outcome,
                "gaps": [tr(gap) for gap in r.explanation.get("gaps", [])],
                "household_income": r.explanation.get("household_income"),
            }
            for r in compared.filter(agreed=False).order_by("-computed_at")[:limit]
        ],
    }


def modes_list(*, user) -> list[dict[str, Any]]:
    """The automatable case types of the user's agency: rule set, mode and (in shadow)
    agreement so far."""
    by_case_type = {r.case_type: r for r in rule_sets().values() if r.case_type}
    own = _case_types_of(user)
    out = []
    for mode in RuleSetMode.objects.filter(case_type__in=own).order_by("case_type"):
        rule_set = by_case_type.get(mode.case_type)
        if rule_set is None:
            continue
        out.append(
            {
                "case_type": mode.case_type,
                "rule_set": rule_set.label(),
                "mode": mode.mode,
                "mode_label": mode.get_mode_display(),
                "changed_by": mode.changed_by,
                "changed_at": mode.changed_at,
                "report": _shadow_report(mode.case_type, 0),
            }
        )
    return out


def rule_set_modes() -> dict[str, dict[str, Any]]:
    """case type -> its mode and who chose it on the rules page (empty: nobody yet)."""
    return {
        m.case_type: {"mode": m.mode, "changed_by": m.changed_by, "changed_at": m.changed_at}
        for m in RuleSetMode.objects.order_by("case_type")
    }


def proactive_setup_get() -> dict[str, Any] | None:
    """Who proactive checks run as and the life events they follow; None before the
    jurisdiction's set-up named them."""
    from civic.decisions.models import ProactiveSetup
    from civic.decisions.proactive import JOB

    setup = ProactiveSetup.objects.first()
    if setup is None:
        return None
    events = sorted({t for s in handler_subscriptions(job=JOB) for t in s.event_types})
    return {"agency": setup.agency, "purpose": setup.purpose, "life_events": events}


def rules_grants_needed(
    *,
    proactive: dict[str, Any] | None,
    case_types: dict[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    """The grants the rules' jobs read under: the proactive job (every register a run reads
    and the data of the life events it follows, under its purpose) and the decision job of
    each case type a rule set decides (``case_types``: code -> (purpose, agency)), only from
    the registers that rule set needs."""
    from civic.decisions.automation import DECISION_JOB
    from civic.decisions.proactive import JOB

    def by_register(parts) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for part in parts:
            found.setdefault(read_register(part), set()).update(POPULATION_FIELDS[part])
        return found

    needed = []
    if proactive:
        events = register_catalogue()["persons"]["events"]
        extra = {f for t in proactive.get("life_events", []) for f in events[t]}
        for register, fields in by_register(("persons", *proactive_reads())).items():
            needed.append(
                {
                    "purpose": proactive["purpose"],
                    "register": register,
                    "attributes": sorted(fields | (extra if register == "persons" else set())),
                    "job": JOB,
                    "agency": proactive["agency"],
                    "for": "proactive checks",
                }
            )
    for code, (purpose, agency) in sorted(case_types.items()):
        rule_set = rule_set_for_case_type(code)
        for register, fields in by_register(rule_set.reads if rule_set else ()).items():
            needed.append(
                {
                    "purpose": purpose,
                    "register": register,
                    "attributes": sorted(fields),
                    "job": DECISION_JOB,
                    "agency": agency,
                    "for": f"automated decisions of {code}",
                }
            )
    return needed


def automatable_case_types() -> list[str]:
    """Case types a rule set can decide (their mode can be set)."""
    return sorted({r.case_type for r in rule_sets().values() if r.case_type})


def mode_of_case_type(*, case_type: str, user) -> dict[str, Any] | None:
    """One row of ``modes_list``; None for a case type of another agency (never reveal it)."""
    return next((r for r in modes_list(user=user) if r["case_type"] == case_type), None)


def parameter_amount_words(_service_code: str, path: str) -> str | None:
    """The amount in force today of the rule package's parameter ``path``
    (``parking_permit.first_permit_fee``), in the reader's words ("€120"); None when the package
    has no such parameter or no value for today."""
    try:
        node = rule_system().parameters(clock.now().date().isoformat())
        for part in path.split("."):
            node = getattr(node, part)
        return euros(node)
    except (AttributeError, TypeError, ValueError, LookupError):
        return None


def offers_taken_up(*, since) -> dict[str, int]:
    """Every proactive offer made since ``since``, and how many residents took up."""
    offers = Offer.objects.filter(created_at__gte=since)
    taken = offers.filter(status__in=[Offer.Status.ACCEPTED, Offer.Status.GRANTED]).count()
    return {"offered": offers.count(), "taken_up": taken}


def decisions_explained(*, references) -> int:
    """How many of the cases ``references`` (a query of case references) the rules decided
    with an explanation recorded, that the resident can read on their case."""
    return (
        RuleOutcome.objects.filter(case_reference__in=references, route=RuleOutcome.Route.DECIDED)
        .exclude(explanation={})
        .values("case_reference")
        .distinct()
        .count()
    )
