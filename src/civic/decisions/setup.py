"""What the rules need on a new installation: the purpose of proactive checks, the job's
grants, the subscription that turns register events into life-event checks, and the mode of
each automatable case type. Idempotent; `civic demo` and the tests call it."""

from __future__ import annotations

from civic.decisions.models import RuleSetMode
from civic.decisions.proactive import AGENCY, JOB, PURPOSE
from civic.exchange import services as exchange_services
from civic.exchange.population import POPULATION_FIELDS
from civic.exchange.selectors import purpose_get
from civic.identity.selectors import agency_get

#: Job that reads a household when the rules decide an application (under the case's purpose).
DECISION_JOB = "automated-decisions"
#: Register events that re-check the household concerned.
LIFE_EVENTS = [
    "org.civic.persons.born",
    "org.civic.persons.moved",
    "org.civic.persons.died",
    "org.civic.persons.partnered",
    "org.civic.persons.partnership-ended",
]
#: Automatable case types and the mode a new installation gives them: the school clothing
#: grant is decided by the rules; the others start off until a service owner chooses.
DEFAULT_MODES = {
    "school-clothing-grant": RuleSetMode.Mode.DECIDING,
    "dog-tax": RuleSetMode.Mode.OFF,
    "parking-permit": RuleSetMode.Mode.OFF,
}
#: The demo shows each mode: dog tax decided by the rules, parking permits shadowed.
DEMO_MODES = {"dog-tax": RuleSetMode.Mode.DECIDING, "parking-permit": RuleSetMode.Mode.SHADOW}


def rules_platform_ensure(*, life_events: bool = True) -> None:
    havenstad = agency_get(code=AGENCY)
    purpose = exchange_services.purpose_ensure(
        code=PURPOSE,
        name="Check eligibility for proactive services",
        name_nl="Controle op recht op proactieve diensten",
        description="We check the registers we already hold so that we can offer you benefits "
        "and services you are probably entitled to, without you having to apply first.",
        description_nl="We kijken in de registraties die we al hebben, zodat we u regelingen en "
        "diensten kunnen aanbieden waar u waarschijnlijk recht op hebt, zonder dat u eerst "
        "hoeft aan te vragen.",
        controller=havenstad,
        legal_ground="public_task",
        legal_basis="Wet proactieve dienstverlening (demo), art. 3; Participatiewet art. 7",
    )
    for register, fields in POPULATION_FIELDS.items():
        exchange_services.grant_ensure(
            purpose=purpose, register=register, attributes=fields, job=JOB, agency=havenstad
        )
    if life_events:
        life_events_subscribe()
    for case_type, mode in DEFAULT_MODES.items():
        RuleSetMode.objects.get_or_create(case_type=case_type, defaults={"mode": mode})
    decision_grants_ensure()


def life_events_subscribe() -> None:
    """Register events re-check the household concerned: an in-process subscription of the
    proactive job, with the grants its events' data needs."""
    from civic.exchange.models import Subscription

    havenstad = agency_get(code=AGENCY)
    purpose = purpose_get(code=PURPOSE)
    if not Subscription.objects.filter(
        job=JOB, purpose=purpose, cancelled_at__isnull=True
    ).exists():
        exchange_services.grant_ensure(
            purpose=purpose,
            register="persons",
            attributes=sorted(
                {
                    "identity.birth_date",
                    "identity.date_of_death",
                    "parentage.parent",
                    "residence.address",
                    "residence.valid_from",
                    "partnership.partner",
                    "partnership.kind",
                    "partnership.valid_from",
                    "partnership.valid_to",
                }
            ),
            job=JOB,
            agency=havenstad,
        )
        exchange_services.subscription_create(
            purpose=purpose,
            register="persons",
            event_types=LIFE_EVENTS,
            handler="civic.decisions.events.life_event_received",
            job=JOB,
            agency=havenstad,
        )


def decision_grants_ensure() -> None:
    """The decision job reads the applicant's household under each automatable case type's
    purpose (the purpose of its form), only from the registers its rule set needs."""
    from civic.cases.selectors import case_type_purposes
    from civic.decisions.rule_sets import rule_set_for_case_type

    for case_type, purpose_code in case_type_purposes(codes=list(DEFAULT_MODES)).items():
        purpose = purpose_get(code=purpose_code)
        rule_set = rule_set_for_case_type(case_type)
        if purpose is None or rule_set is None:
            continue
        agency = agency_get(code=purpose.controller.code)
        for register in rule_set.reads:
            exchange_services.grant_ensure(
                purpose=purpose,
                register=register,
                attributes=POPULATION_FIELDS[register],
                job=DECISION_JOB,
                agency=agency,
            )


def demo_rules_ensure() -> int:
    """The demo's modes, and shadow comparisons for the caseworkers' past parking decisions."""
    from civic.decisions.shadow import shadow_replay

    for case_type, mode in DEMO_MODES.items():
        RuleSetMode.objects.filter(case_type=case_type, changed_at__isnull=True).update(mode=mode)
    return shadow_replay(case_type="parking-permit")
