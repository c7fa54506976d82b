"""Writes of the decisions app: answering an offer, asking for a person's review of an
automated decision, a service owner switching a case type's rules between off, shadow and
deciding, and what a jurisdiction's set-up says the rules run as."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civic.cases.selectors import case_for_resident, case_type_codes_of
from civic.cases.services import decision_review_request
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.core.i18n import tr
from civic.decisions.models import Grant, Offer, RuleOutcome, RuleSetMode
from civic.decisions.rule_sets import rule_set_get, rule_sets
from civic.exchange import services as exchange
from civic.exchange.selectors import handler_subscriptions, purpose_get
from civic.identity.models import Role
from civic.identity.selectors import agency_get, staff_roles
from civic.identity.services import representation_check
from civic.notify.services import notification_send


class AlreadyGranted(CivicError):
    """The benefit is already granted for this child and year (to its other parent)."""

    code = "already-granted"


def _open_offer(personal_number: str, offer_id: int) -> Offer:
    offer = (
        Offer.objects.select_for_update()
        .filter(pk=offer_id, personal_number=personal_number)
        .first()
    )
    if offer is None:
        raise NotFound(_("There is no such offer."))
    if offer.status == Offer.Status.GRANTED_ELSEWHERE:
        raise AlreadyGranted(_already_granted_text(offer))
    if offer.status != Offer.Status.OFFERED:
        raise CivicError(_("You already answered this offer."))
    return offer


def _already_granted_text(offer: Offer) -> str:
    return _(
        "This child's benefit for %(year)s has already been granted to another parent. It is "
        "paid once per child, so there is nothing more to do."
    ) % {"year": offer.year}


@transaction.atomic
def offer_accept(*, personal_number: str, offer_id: int) -> Offer:
    """Accept: granted at once where the service needs no application (the resident is told
    in the inbox), otherwise marked accepted; the page then opens the pre-filled form. A
    grant is made once per beneficiary (the child), rule set and year: when another parent's
    yes came first, the unique constraint refuses the second grant and this one is told so
    (``AlreadyGranted``); the other parents' offers for the child close."""
    offer = _open_offer(personal_number, offer_id)
    rule_set = rule_set_get(offer.rule_set)
    if rule_set is None:
        raise NotFound(_("There is no such offer."))
    offer.answered_at = clock.now()
    if rule_set.granted_without_application:
        offer.status = Offer.Status.GRANTED
        offer.case_reference = f"OF-{offer.year % 100:02d}-{offer.pk:07d}"
        beneficiary = offer.beneficiary or offer.personal_number
        try:
            with transaction.atomic():
                Grant.objects.create(
                    rule_set=offer.rule_set,
                    year=offer.year,
                    beneficiary=beneficiary,
                    granted_to=personal_number,
                    offer=offer,
                    reference=offer.case_reference,
                    amount=offer.amount,
                    granted_at=offer.answered_at,
                )
        except IntegrityError:
            raise AlreadyGranted(_already_granted_text(offer)) from None
        if offer.beneficiary:
            Offer.objects.filter(
                rule_set=offer.rule_set,
                year=offer.year,
                beneficiary=offer.beneficiary,
                status=Offer.Status.OFFERED,
            ).exclude(pk=offer.pk).update(
                status=Offer.Status.GRANTED_ELSEWHERE, answered_at=offer.answered_at
            )
        notification_send(
            personal_number=personal_number,
            template="benefit-granted",
            context={
                "service": tr(rule_set.name),
                "amount": f"{offer.amount:,}",
                "reference": offer.case_reference,
            },
            reference=offer.case_reference,
        )
    else:
        offer.status = Offer.Status.ACCEPTED
    offer.save(update_fields=["status", "answered_at", "case_reference"])
    return offer


@transaction.atomic
def offer_decline(*, personal_number: str, offer_id: int) -> Offer:
    offer = _open_offer(personal_number, offer_id)
    offer.status, offer.answered_at = Offer.Status.DECLINED, clock.now()
    offer.save(update_fields=["status", "answered_at"])
    return offer


def review_request(*, personal_number: str, reference: str, reason: str):
    """Take an automated decision to a person: a task for the team, noted on the case. A
    representative asks only while the right to act for the person still holds (checked before
    the transaction, so that a refusal is kept)."""

    case = case_for_resident(personal_number=personal_number, reference=reference)
    if case is None:
        raise NotFound(_("There is no such case."))
    if personal_number != case.subject:
        representation_check(
            representative=personal_number, person=case.subject, where="decisions:review"
        )
    with transaction.atomic():
        task = decision_review_request(case=case, personal_number=personal_number, reason=reason)
        RuleOutcome.objects.filter(case_reference=reference).update(review_requested_at=clock.now())
    return task


@transaction.atomic
def mode_set(*, case_type: str, mode: str, user) -> RuleSetMode:
    """Switch the rules of an automatable case type; only a service owner of the agency that
    handles the case type may (another agency's case type is "not found")."""

    if Role.SERVICE_OWNER not in staff_roles(user=user):
        raise CivicError(_("Only a service owner can change what the rules may do."))
    if case_type not in case_type_codes_of(user=user) or not any(
        r.case_type == case_type for r in rule_sets().values()
    ):
        raise NotFound(_("No rule set handles this case type."))
    if mode not in RuleSetMode.Mode.values:
        raise CivicError(_("Choose off, shadow or deciding."))
    setting, _created = RuleSetMode.objects.select_for_update().get_or_create(case_type=case_type)
    setting.mode = mode
    setting.changed_by = (user.get_full_name() or user.username)[:120]
    setting.changed_at = clock.now()
    setting.save()
    return setting


#: The handler that turns a register event into a check of the household concerned.
LIFE_EVENT_HANDLER = "civic.decisions.events.life_event_received"


@transaction.atomic
def proactive_setup_set(*, agency: str, purpose: str, life_events: list[str]):
    """Proactive checks run as the job of ``agency`` under ``purpose``; the register events
    in ``life_events`` re-check the household concerned (an in-process subscription of the
    job, which its grants must cover). The jurisdiction's set-up calls this."""
    from civic.decisions.models import ProactiveSetup
    from civic.decisions.proactive import JOB

    the_agency, the_purpose = agency_get(code=agency), purpose_get(code=purpose)
    if the_agency is None or the_purpose is None:
        raise NotFound(
            _("There is no agency %(agency)s or no purpose %(purpose)s.")
            % {"agency": agency, "purpose": purpose}
        )
    setup = ProactiveSetup.objects.select_for_update().first() or ProactiveSetup()
    if (setup.agency, setup.purpose) != (agency, purpose) or setup.pk is None:
        setup.agency, setup.purpose, setup.updated_at = agency, purpose, clock.now()
        setup.save()
    wanted = sorted(set(life_events))
    current = handler_subscriptions(job=JOB)
    if [
        (s.purpose.code, s.agency.code if s.agency else "", sorted(s.event_types)) for s in current
    ] == ([(purpose, agency, wanted)] if wanted else []):
        return setup
    for subscription in current:
        exchange.subscription_cancel(subscription=subscription)
    if wanted:
        exchange.subscription_create(
            purpose=the_purpose,
            register="persons",
            event_types=wanted,
            handler=LIFE_EVENT_HANDLER,
            job=JOB,
            agency=the_agency,
        )
    return setup


@transaction.atomic
def mode_ensure(*, case_type: str, mode: str) -> RuleSetMode:
    """The mode a jurisdiction's set-up gives a case type: set while nobody has chosen one
    on the rules page; a service owner's choice stands."""
    if mode not in RuleSetMode.Mode.values:
        raise CivicError(_("Choose off, shadow or deciding."))
    setting, _created = RuleSetMode.objects.select_for_update().get_or_create(
        case_type=case_type, defaults={"mode": mode}
    )
    if setting.changed_at is None and setting.mode != mode:
        setting.mode = mode
        setting.save(update_fields=["mode"])
    return setting
