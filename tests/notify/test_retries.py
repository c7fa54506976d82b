"""Failed email and SMS are kept with their error, tried again with growing waits, and given up
after the last try; the inbox message is never lost."""

from __future__ import annotations

import datetime as dt
import socket

from django.core.management import call_command

from civic.core import clock
from civic.identity import services as identity
from civic.notify.models import Delivery
from civic.notify.services import deliveries_retry_due, preference_set
from tests.notify.builders import send, two_residents


def _time_passes() -> None:
    """Every waiting delivery becomes due, as if its wait were over."""
    Delivery.objects.exclude(next_attempt_at=None).update(
        next_attempt_at=clock.now() - dt.timedelta(seconds=1)
    )


def _sms(message) -> Delivery:
    return Delivery.objects.get(message=message, channel="sms")


def test_a_failing_provider_is_retried_with_growing_waits_then_given_up_and_the_inbox_keeps_it(
    client, db, settings
):
    settings.SMS_PROVIDER = "tests.notify.providers.OutOfCreditProvider"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_SECONDS = 60
    resident, _ = two_residents()
    preference_set(personal_number=resident, phone="0612345678", by_sms=True)

    message = send(resident)
    sms = _sms(message)
    assert (sms.status, sms.attempts) == ("failed", 1)
    assert "402 Payment Required" in sms.last_error
    wait = sms.next_attempt_at - clock.now()
    assert dt.timedelta(seconds=55) < wait <= dt.timedelta(seconds=60)

    assert deliveries_retry_due() == {}  # not due yet: nothing is tried
    assert _sms(message).attempts == 1

    _time_passes()
    assert deliveries_retry_due() == {"failed": 1}
    sms = _sms(message)
    assert sms.attempts == 2
    assert (
        dt.timedelta(seconds=115) < sms.next_attempt_at - clock.now() <= dt.timedelta(seconds=120)
    )

    _time_passes()
    assert deliveries_retry_due() == {"given-up": 1}
    sms = _sms(message)
    assert (sms.status, sms.attempts, sms.next_attempt_at) == ("given-up", 3, None)
    _time_passes()
    assert deliveries_retry_due() == {}

    client.force_login(identity.resident_account_ensure(personal_number=resident))
    assert (
        "We received your application CASE-2026-000123" in client.get("/my/inbox/").content.decode()
    )
    page = client.get(f"/my/inbox/{message.pk}/").content.decode()
    assert "Text message: given up" in page


def test_an_sms_outbox_that_cannot_be_written_fails_and_succeeds_once_it_can(
    db, settings, tmp_path
):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    settings.OUTBOX_DIR = blocked
    resident, _ = two_residents()
    preference_set(personal_number=resident, phone="0612345678", by_sms=True)
    message = send(resident)
    sms = _sms(message)
    assert sms.status == "failed" and "cannot write the SMS outbox" in sms.last_error

    settings.OUTBOX_DIR = tmp_path / "outbox"
    _time_passes()
    call_command("notify", "retry", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sms = _sms(message)
    assert (sms.status, sms.attempts, sms.last_error) == ("sent", 2, "")
    assert "+31612345678" in (tmp_path / "outbox" / "sms.log").read_text()


def _a_closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_smtp_server_that_refuses_is_retried_then_given_up(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _a_closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.NOTIFY_MAX_ATTEMPTS = 2
    resident, _ = two_residents()
    preference_set(personal_number=resident, email="jan@example.org", by_email=True)

    message = send(resident)
    email = Delivery.objects.get(message=message, channel="email")
    assert email.status == "failed" and "ConnectionRefusedError" in email.last_error
    _time_passes()
    assert deliveries_retry_due() == {"given-up": 1}
    assert message.recipient == resident
    assert Delivery.objects.get(message=message, channel="inbox").status == "sent"


def test_an_operator_sees_the_status_in_the_back_office_and_can_send_again(
    admin_client, db, settings
):
    settings.SMS_PROVIDER = "tests.notify.providers.OutOfCreditProvider"
    settings.NOTIFY_MAX_ATTEMPTS = 1
    resident, _ = two_residents()
    preference_set(personal_number=resident, phone="0612345678", by_sms=True)
    message = send(resident)

    page = admin_client.get("/admin/notify/delivery/?status__exact=given-up").content.decode()
    assert "CASE-2026-000123" in page and "given up" in page
    assert "402 Payment Required" in page
    assert "+3161234" not in page  # the address is masked

    settings.SMS_PROVIDER = "tests.notify.providers.ListProvider"
    response = admin_client.post(
        "/admin/notify/delivery/",
        {"action": "send_again", "_selected_action": [_sms(message).pk]},
        follow=True,
    )
    assert "1 delivery will be sent again." in response.content.decode()
    assert deliveries_retry_due() == {"sent": 1}
