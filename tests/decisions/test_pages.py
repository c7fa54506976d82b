"""The pages of rules as code: offers on the dashboard, accepting and declining them, the
explanation of an automated decision with a review request, and the staff rules pages."""

from __future__ import annotations

import pytest

from civic.decisions.models import Offer, RuleSetMode
from civic.decisions.proactive import household_evaluate
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.notify.models import Message
from tests.builders import create_staff
from tests.decisions.builders import a_school_clothing_application, households_with_school_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_income(jurisdiction, settings):
    from tests.exchange.builders import create_purpose

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    return next(
        a for a, income, known in households_with_school_children() if known and income < 20_000
    )


def _as_resident(client, number):
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return client


def test_offers_show_on_the_dashboard_and_can_be_granted_or_declined(client, low_income):
    household_evaluate(personal_numbers=[low_income])
    offers = Offer.objects.filter(personal_number=low_income)
    assert offers.filter(rule_set="child_benefit").exists()
    page = _as_resident(client, low_income).get("/my/").content.decode()
    assert "Child benefit" in page and "Yes, grant it" in page
    child_benefit = offers.get(rule_set="child_benefit")
    response = client.post(f"/my/offers/{child_benefit.pk}/", {"answer": "accept"})
    assert response.status_code == 302 and "offer=granted" in response["Location"]
    child_benefit.refresh_from_db()
    assert child_benefit.status == "granted"
    assert Message.objects.filter(recipient=low_income, template_code="benefit-granted").exists()
    # Answering twice changes nothing.
    client.post(f"/my/offers/{child_benefit.pk}/", {"answer": "decline"})
    child_benefit.refresh_from_db()
    assert child_benefit.status == "granted"
    # An offer with a form opens the pre-filled application.
    grant = offers.filter(rule_set="school_clothing_grant").first()
    if grant is not None:
        response = client.post(f"/my/offers/{grant.pk}/", {"answer": "accept"})
        assert response["Location"] == "/my/apply/kindpakket/"
    other = offers.exclude(status__in=["granted", "accepted"]).first()
    if other is not None:
        client.post(f"/my/offers/{other.pk}/", {"answer": "decline"})
        other.refresh_from_db()
        assert other.status == "declined"
        assert other.rule_set not in client.get("/my/").content.decode()


def test_someone_elses_offer_cannot_be_answered(client, low_income, jurisdiction):
    household_evaluate(personal_numbers=[low_income])
    offer = Offer.objects.filter(personal_number=low_income).first()
    from civic.registers.selectors import demo_resident_personal_number

    _as_resident(client, demo_resident_personal_number())
    client.post(f"/my/offers/{offer.pk}/", {"answer": "accept"})
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_the_case_page_explains_the_automated_decision_and_takes_a_review(client, low_income):
    case = a_school_clothing_application(low_income)
    page = _as_resident(client, low_income).get(f"/my/cases/{case.reference}/").content.decode()
    assert "How the rules decided" in page
    assert "income register" in page and "Verordening kindregeling Havenstad 2026" in page
    assert "What would change it" in page
    # Each figure cites the law of the year computed, national law linked to its article.
    assert 'href="https://wetten.overheid.nl/jci1.3:c:BWBR0015703&amp;artikel=21' in page
    assert "civic:havenstad:verordening-kindregeling-2026:artikel=4" in page
    refused = client.post(f"/my/cases/{case.reference}/", {"action": "review", "review-text": " "})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    client.post(
        f"/my/cases/{case.reference}/",
        {"action": "review", "review-text": "We had a second child in March."},
    )
    page = client.get(f"/my/cases/{case.reference}/").content.decode()
    assert "You asked for a person to review this decision" in page
    assert case.tasks.filter(title__startswith="Review the automated decision").exists()


def test_the_explanation_reads_in_dutch(client, low_income):
    case = a_school_clothing_application(low_income)
    _as_resident(client, low_income)
    client.cookies["django_language"] = "nl"
    page = client.get(f"/my/cases/{case.reference}/").content.decode()
    assert "Hoe de regels besloten" in page and "inkomensregistratie" in page


def test_a_service_owner_switches_a_case_type_to_deciding(client, jurisdiction):
    owner = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    client.force_login(owner)
    page = client.get("/staff/rules/").content.decode()
    assert "school-clothing-grant" in page
    refused = client.post("/staff/rules/parking-permit/", {"mode": "always"})
    assert refused.status_code == 400
    client.post("/staff/rules/parking-permit/", {"mode": "deciding"})
    assert RuleSetMode.objects.get(case_type="parking-permit").mode == "deciding"


def test_a_caseworker_sees_the_rules_but_cannot_switch_them(client, jurisdiction):
    worker = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(worker)
    page = client.get("/staff/rules/parking-permit/").content.decode()
    assert "Save the mode" not in page
    response = client.post("/staff/rules/parking-permit/", {"mode": "deciding"})
    assert response.status_code == 400
    assert RuleSetMode.objects.get(case_type="parking-permit").mode == "off"


def test_the_caseworker_sees_why_the_rules_did_not_decide(client, low_income):
    from civic.core import clock
    from civic.registers.models import Income

    Income.objects.filter(person__personal_number=low_income, year=clock.today().year - 1).delete()
    case = a_school_clothing_application(low_income)
    worker = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(worker)
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "What the rules found" in page
    assert "The rules did not decide, because" in page
    assert "income register has no income" in page


def _a_shadow_disagreement(reference: str = "HV-26-SHADOW1") -> str:
    """A parking permit the rules would have granted and a caseworker refused."""
    from civic.core import clock
    from civic.decisions.models import RuleOutcome

    RuleOutcome.objects.create(
        case_reference=reference,
        case_type="parking-permit",
        rule_set="parking_permit",
        route=RuleOutcome.Route.SHADOW,
        outcome="granted",
        caseworker_outcome="refused",
        agreed=False,
        explanation={"gaps": []},
        computed_at=clock.now(),
    )
    return reference


def test_a_service_owner_of_another_agency_cannot_switch_the_municipalitys_rules(
    client, jurisdiction
):
    from civic.core.errors import NotFound
    from civic.decisions.services import mode_set

    owner = create_staff(
        roles=[Role.SERVICE_OWNER], agency=agency_get(code="social-insurance-bank")
    )
    client.force_login(owner)
    response = client.post("/staff/rules/parking-permit/", {"mode": "deciding"})
    assert response.status_code == 404
    with pytest.raises(NotFound):
        mode_set(case_type="parking-permit", mode="deciding", user=owner)
    setting = RuleSetMode.objects.get(case_type="parking-permit")
    assert setting.mode == "off" and setting.changed_by == ""


def test_staff_of_another_agency_see_neither_the_municipalitys_case_types_nor_its_cases(
    client, jurisdiction
):
    reference = _a_shadow_disagreement()
    for role in (Role.CASEWORKER, Role.SERVICE_OWNER):
        other = create_staff(roles=[role], agency=agency_get(code="social-insurance-bank"))
        client.force_login(other)
        index = client.get("/staff/rules/")
        assert index.status_code == 200
        assert "parking-permit" not in index.content.decode()
        page = client.get("/staff/rules/parking-permit/")
        assert page.status_code == 404 and reference not in page.content.decode()


def test_the_municipalitys_caseworker_sees_its_shadow_disagreements(client, jurisdiction):
    reference = _a_shadow_disagreement()
    worker = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(worker)
    page = client.get("/staff/rules/parking-permit/").content.decode()
    assert reference in page
