"""The one-time-code login under attack: switched off means gone, limits per address and for
everyone, codes that work only in the browser that asked, nobody locked out by someone else's
requests, and an answer that never waits for (or breaks on) the mail server."""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from civic.identity.login.contrib.onetimecode.delivery import deliveries_wait, outbox_address
from civic.identity.models import LoginEvent
from civic.notify.models import Preference
from tests.builders import a_registered_resident
from tests.identity.builders import (
    ENTER_CODE_URL,
    REQUEST_CODE_URL,
    a_wrong_code_for,
    an_unregistered_personal_number,
    ask_for_a_code,
    code_in,
    enter_code,
    logged_in_resident_number,
    waiting_for_a_code,
)


@pytest.mark.parametrize("url", [REQUEST_CODE_URL, ENTER_CODE_URL])
def test_the_code_login_does_not_exist_when_the_settings_switch_it_off(client, db, settings, url):
    settings.RESIDENT_LOGIN_METHODS = ["oidc"]
    assert client.get(url).status_code == 404
    assert client.post(url, {"personal_number": a_registered_resident()}).status_code == 404
    assert REQUEST_CODE_URL not in client.get("/login/").text


def test_one_address_asking_for_codes_for_many_numbers_is_stopped(db, settings, mailoutbox):
    settings.LOGIN_CODE_REQUESTS_PER_ADDRESS = 3
    harvester = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(3):
        assert ask_for_a_code(harvester, an_unregistered_personal_number()).status_code == 302
    response = ask_for_a_code(harvester, a_registered_resident())
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert mailoutbox == []
    # Someone else is not affected.
    assert (
        ask_for_a_code(Client(REMOTE_ADDR="192.0.2.1"), a_registered_resident()).status_code == 302
    )


def test_one_address_guessing_codes_is_stopped_even_with_the_right_code(db, settings, mailoutbox):
    settings.LOGIN_CODE_FAILURES_PER_ADDRESS = 4
    guesser = Client(REMOTE_ADDR="198.51.100.21")
    ask_for_a_code(guesser, a_registered_resident())
    code = code_in(mailoutbox[0])
    for _ in range(4):
        assert enter_code(guesser, a_wrong_code_for(code)).status_code == 200
    response = enter_code(guesser, code)
    assert response.status_code == 429
    assert logged_in_resident_number(guesser) is None


def test_guessing_spread_over_many_addresses_pauses_the_code_login_for_everyone(
    db, settings, mailoutbox
):
    settings.LOGIN_CODE_FAILURES_OVERALL = 5
    for n in range(5):
        bot = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        waiting_for_a_code(bot, a_registered_resident())
        enter_code(bot, "123456")
    resident = Client(REMOTE_ADDR="192.0.2.50")
    ask_for_a_code(resident, a_registered_resident())
    response = enter_code(resident, code_in(mailoutbox[-1]))
    assert response.status_code == 429
    assert LoginEvent.objects.filter(outcome="wrong-or-expired-code").count() == 5


def test_someone_else_asking_for_codes_does_not_lock_the_resident_out(db, mailoutbox):
    number = a_registered_resident()
    attacker = Client(REMOTE_ADDR="198.51.100.22")
    for _ in range(6):
        ask_for_a_code(attacker, number)
    refused = ask_for_a_code(attacker, number)
    assert "Too many codes were requested" in refused.text

    resident = Client(REMOTE_ADDR="192.0.2.60")
    assert ask_for_a_code(resident, number).status_code == 302
    response = enter_code(resident, code_in(mailoutbox[-1]))
    assert response.status_code == 302
    assert logged_in_resident_number(resident) == number


def test_a_code_works_only_in_the_browser_that_asked_for_it(db, mailoutbox):
    number = a_registered_resident()
    resident = Client(REMOTE_ADDR="192.0.2.61")
    ask_for_a_code(resident, number)
    code = code_in(mailoutbox[-1])

    # Someone who read the code over the resident's shoulder, or guessed it, in another browser:
    attacker = Client(REMOTE_ADDR="198.51.100.23")
    waiting_for_a_code(attacker, number)
    assert enter_code(attacker, code).status_code == 200
    assert logged_in_resident_number(attacker) is None

    assert enter_code(resident, code).status_code == 302
    assert logged_in_resident_number(resident) == number


def test_someone_asking_for_a_code_for_the_same_number_does_not_spoil_the_residents_code(
    db, mailoutbox
):
    number = a_registered_resident()
    resident = Client(REMOTE_ADDR="192.0.2.62")
    ask_for_a_code(resident, number)
    code = code_in(mailoutbox[-1])
    ask_for_a_code(Client(REMOTE_ADDR="198.51.100.24"), number)
    assert enter_code(resident, code).status_code == 302


def test_the_code_goes_to_the_address_the_resident_registered_and_the_relay_never_sees_the_number(
    client, db, mailoutbox
):
    number = a_registered_resident()
    Preference.objects.create(personal_number=number, email="r.jansen@example.org", language="en")
    ask_for_a_code(client, number)
    assert mailoutbox[-1].to == ["r.jansen@example.org"]

    other = Client()
    second = a_registered_resident_other_than(number)
    ask_for_a_code(other, second)
    assert mailoutbox[-1].to == [outbox_address(second)]
    assert second not in outbox_address(second)


def a_registered_resident_other_than(number: str) -> str:
    from civic.registers.models import Person

    for candidate in Person.objects.order_by("id").values_list("personal_number", flat=True)[:200]:
        if candidate != number and ask_is_registered(candidate):
            return candidate
    raise AssertionError("no second resident")


def ask_is_registered(number: str) -> bool:
    from civic.registers.selectors import person_is_registered

    return person_is_registered(personal_number=number)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free port that holds each message until released."""
    from aiosmtpd.controller import Controller

    class Holding:
        def __init__(self):
            self.release = threading.Event()
            self.received: list[str] = []

        async def handle_DATA(self, server, session, envelope):
            import asyncio

            while not self.release.is_set():
                await asyncio.sleep(0.01)
            self.received.append(envelope.content.decode())
            return "250 OK"

    handler = Holding()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    handler.release.set()
    deliveries_wait()
    controller.stop()


def test_the_answer_does_not_wait_for_the_mail_server(client, db, smtp_server):
    number = a_registered_resident()
    response = client.post(REQUEST_CODE_URL, {"personal_number": number})
    # The server still holds the message, and the page has answered: a registered number's
    # answer takes no longer than an unregistered one's.
    assert response.status_code == 302 and smtp_server.received == []
    smtp_server.release.set()
    deliveries_wait()
    [message] = smtp_server.received
    assert "Your one-time login code is" in message


def test_a_mail_server_that_is_down_does_not_break_the_page(client, db, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    response = client.post(REQUEST_CODE_URL, {"personal_number": a_registered_resident()})
    deliveries_wait()
    assert response.status_code == 302
    assert "a login code could not be sent: ConnectionRefusedError" in caplog.text
