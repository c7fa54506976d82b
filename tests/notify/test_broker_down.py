"""With the broker down (production's RabbitMQ restarting), work already committed is not
turned into an error page: the resident's application is sent and they see so; a register
change is kept. What the broker should have carried waits for the periodic retries
(celery beat: `notify-retry-due-deliveries`, `exchange-dispatch-due-deliveries`). These tests
commit (after-commit work runs only then) and point Celery at a port nobody listens on."""

from __future__ import annotations

import pytest

from civic.exchange import services as exchange
from civic.exchange.models import Delivery as EventDelivery
from civic.forms.models import Submission
from civic.identity import services as identity
from civic.notify.models import Delivery
from civic.notify.services import preference_set
from civic.registers.changes import MOVED
from tests.builders import a_registered_resident
from tests.cases.builders import PARKING_ANSWERS
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_events import MOVE_FIELDS, move

NOBODY = "amqp://guest:guest@127.0.0.1:1//"


@pytest.fixture
def broker_down(settings):
    from civic.celery import app

    settings.NOTIFY_DELIVERY = "celery"
    settings.EVENT_DELIVERY = "celery"
    previous = app.conf.broker_url

    def connect_to(url: str) -> None:
        app._pool = None  # the next publish takes a pool for the new address
        app.amqp._producer_pool = None
        app.conf.broker_url = url

    connect_to(NOBODY)
    yield
    connect_to(previous)


def test_an_application_sent_while_the_broker_is_down_shows_the_sent_page(
    client, committed_data, broker_down, settings
):
    from civic.forms.models import FormDefinition
    from civic.forms.services import draft_start, draft_step_save

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    preference_set(personal_number=number, email="jan@example.org", by_email=True)
    draft = draft_start(
        form=FormDefinition.objects.get(code="parking-permit"), applicant=number, subject=number
    )
    for step, answers in PARKING_ANSWERS.items():
        draft = draft_step_save(draft=draft, step=step, answers=dict(answers), confirm_prefill=True)
    client.force_login(identity.resident_account_ensure(personal_number=number))
    response = client.post("/my/apply/parking-permit/check/")
    assert response.status_code == 302 and "/sent/" in response["Location"]
    submission = Submission.objects.get(draft=draft)
    email = Delivery.objects.get(channel="email", message__reference=submission.case.reference)
    assert email.status == "queued"  # for the retry once the broker is back


def test_a_register_change_while_the_broker_is_down_is_kept_for_its_subscriber(
    committed_data, broker_down
):
    purpose = create_purpose(code="address-updates-broker-down")
    client, _, _ = create_partner(purpose=purpose, attributes=MOVE_FIELDS)
    exchange.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[MOVED],
        api_client=client,
        url="http://127.0.0.1:9/events",
    )
    event = move(a_registered_resident())  # no error: the change committed
    assert EventDelivery.objects.get(event_id=event.id).status == "pending"
