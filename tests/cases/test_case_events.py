"""Webhooks for case events: an API client given case types of its agency subscribes and gets
"opened", "status changed" and "decided" as signed CloudEvents for those case types only, by
the exchange's delivery; a client of another agency gets none and may not subscribe to them;
taking a case type away stops what was on its way."""

from __future__ import annotations

import pytest
from cloudevents.http import from_http
from django.test import TestCase

from civic.cases import services
from civic.cases.events import CASE_DECIDED, CASE_OPENED, CASE_STATUS_CHANGED
from civic.cases.models import Case, CaseType
from civic.decisions.models import RuleSetMode
from civic.exchange.delivery import deliveries_sweep
from civic.exchange.models import Delivery, Subscription
from civic.exchange.webhooks import webhook_verify
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff
from tests.cases.builders import a_submitted_application
from tests.cases.test_api import PROBLEM, a_client
from tests.decisions.builders import a_school_clothing_application, households_with_school_children
from tests.exchange.builders import create_purpose
from tests.exchange.receivers import Receiver

pytestmark = pytest.mark.django_db
SUBSCRIPTIONS = "/api/cases/v1/subscriptions"


@pytest.fixture
def receiver():
    with Receiver() as started:
        yield started


@pytest.fixture
def by_hand(settings):
    """Parking permits decided by caseworkers, so each event is a step of the test."""
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    RuleSetMode.objects.filter(case_type="parking-permit").update(mode="off")


def a_bank_case_type() -> CaseType:
    parking = CaseType.objects.get(code="parking-permit")
    return CaseType.objects.create(
        code="bank-benefit",
        agency=agency_get(code="social-insurance-bank"),
        name={"en": "A benefit of the bank"},
        purpose=parking.purpose,
        workflow=parking.workflow,
        decision_period_days=56,
    )


def subscribe(client, credentials, url: str, **body):
    return client.post(
        SUBSCRIPTIONS, {"url": url, **body}, content_type="application/json", **credentials
    )


def received_events(receiver: Receiver, secret: str) -> list:
    """What reached the receiver, each signature checked, read with the CloudEvents SDK."""
    deliveries_sweep()
    events = []
    for request in receiver.accepted:
        webhook_verify(secret, request.headers, request.body)
        events.append(from_http(request.headers, request.body))
    return events


def a_parking_permit_decided_by_hand() -> Case:
    """Applied for, taken into review and granted by a caseworker of Havenstad."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        submission = a_submitted_application(applicant=a_registered_resident())
    case = Case.objects.get(submission=submission)
    worker = create_staff(roles=[Role.CASEWORKER], agency=case.agency)
    case = services.case_transition(
        case=case, user=worker, transition="start_review", expected_version=case.version
    )
    services.case_decide(
        case=case,
        user=worker,
        outcome="granted",
        template="granted",
        reasons="",
        expected_version=case.version,
    )
    return case


def test_a_client_gets_the_events_of_its_case_types_as_signed_cloudevents(
    client, by_hand, receiver
):
    _archive, credentials = a_client("havenstad", ["parking-permit"])
    made = subscribe(client, credentials, receiver.url())
    assert made.status_code == 201, made.content
    subscription = made.json()
    assert subscription["case_types"] == ["parking-permit"]
    assert set(subscription["event_types"]) == {CASE_OPENED, CASE_STATUS_CHANGED, CASE_DECIDED}

    case = a_parking_permit_decided_by_hand()
    # A case of a type the client was not given, of the same agency: nothing of it arrives.
    parent = next(a for a, i, known in households_with_school_children() if known and i < 20_000)
    other = a_school_clothing_application(parent)

    events = received_events(receiver, subscription["secret"])
    assert [(e["type"], e.data["state"]) for e in events] == [
        (CASE_OPENED, "received"),
        (CASE_STATUS_CHANGED, "in_review"),
        (CASE_STATUS_CHANGED, "decided"),
        (CASE_DECIDED, "decided"),
    ]
    assert {e["subject"] for e in events} == {case.reference} != {other.reference}
    assert all(e["specversion"] == "1.0" and e["source"] == "/civic/cases" for e in events)
    assert events[1].data["from_state"] == "received"
    assert events[3].data == {
        "reference": case.reference,
        "case_type": "parking-permit",
        "agency": "havenstad",
        "state": "decided",
        "outcome": "granted",
        "automated": False,
    }
    # No personal data in the events: the client reads the case through the case API.
    assert case.subject not in str([e.data for e in events])
    assert [s["id"] for s in client.get(SUBSCRIPTIONS, **credentials).json()] == [
        subscription["id"]
    ]


def test_a_client_of_another_agency_gets_none_and_may_not_subscribe_to_them(
    client, by_hand, receiver
):
    _bank, bank = a_client("social-insurance-bank", [])
    refused = subscribe(client, bank, receiver.url(), case_types=["parking-permit"])
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM
    assert refused.json()["items"] == ["parking-permit"]
    assert subscribe(client, bank, receiver.url()).status_code == 403  # given nothing at all

    a_bank_case_type()
    _bank_archive, bank_archive = a_client("social-insurance-bank", ["bank-benefit"])
    assert (
        subscribe(client, bank_archive, receiver.url(), case_types=["parking-permit"]).status_code
        == 403
    )
    own = subscribe(client, bank_archive, receiver.url())
    assert own.status_code == 201 and own.json()["case_types"] == ["bank-benefit"]

    a_parking_permit_decided_by_hand()
    assert received_events(receiver, own.json()["secret"]) == []
    assert not Delivery.objects.filter(subscription_id=own.json()["id"]).exists()


def test_unknown_event_types_and_unsafe_addresses_are_refused(client, by_hand):
    _archive, credentials = a_client("havenstad", ["parking-permit"])
    unknown = subscribe(
        client, credentials, "https://example.org/hook", event_types=["org.civic.cases.eaten"]
    )
    assert unknown.status_code == 400 and unknown["Content-Type"] == PROBLEM
    unsafe = subscribe(client, credentials, "http://169.254.169.254/latest")
    assert unsafe.status_code == 400 and unsafe.json()["type"].endswith("webhook-address-refused")


def test_taking_the_case_type_away_or_revoking_the_client_stops_the_deliveries(
    client, by_hand, receiver
):
    archive, credentials = a_client("havenstad", ["parking-permit", "dog-tax"])
    secret = subscribe(client, credentials, receiver.url()).json()["secret"]
    case = a_parking_permit_decided_by_hand()  # four deliveries waiting, none sent yet

    services.case_api_access_revoke(
        api_client=archive, case_type=CaseType.objects.get(code="parking-permit")
    )
    assert received_events(receiver, secret) == []
    assert set(
        Delivery.objects.filter(payload__subject=case.reference).values_list("status", flat=True)
    ) == {"withdrawn"}
    [listed] = client.get(SUBSCRIPTIONS, **credentials).json()
    assert listed["case_types"] == ["dog-tax"]

    identity.api_client_revoke(client=archive)
    assert Subscription.objects.get(pk=listed["id"]).cancelled_at is not None
    assert client.get(SUBSCRIPTIONS, **credentials).status_code == 401
