"""What keeps a one-time code safe: it works once, for a while, for a few guesses, and only
a few codes an hour are sent."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from civic.core import clock
from civic.identity import services
from civic.identity.models import LoginEvent, OneTimeCode
from tests.builders import a_registered_resident
from tests.identity.builders import (
    WRONG_CODE_MESSAGE,
    a_wrong_code_for,
    an_unregistered_personal_number,
    ask_for_a_code,
    code_in,
    enter_code,
    logged_in_resident_number,
    waiting_for_a_code,
)


def test_a_code_logs_in_only_once(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    code = code_in(mailoutbox[0])
    enter_code(client, code)

    # Someone who read the message later tries the same code for the same number.
    someone_else = Client()
    waiting_for_a_code(someone_else, number)
    response = enter_code(someone_else, code)

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.text
    assert logged_in_resident_number(someone_else) is None


def test_a_wrong_code_is_refused_with_an_error_summary_and_the_right_one_still_works(
    client, db, mailoutbox
):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    code = code_in(mailoutbox[0])

    response = enter_code(client, a_wrong_code_for(code))

    assert response.status_code == 200
    assert '<div class="govuk-error-summary"' in response.text
    assert '<a href="#id_code">That code is not right or has expired.' in response.text
    assert logged_in_resident_number(client) is None

    enter_code(client, code)
    assert logged_in_resident_number(client) == number


def test_a_failed_code_is_recorded_with_only_the_first_three_digits_of_the_number(
    client, db, mailoutbox
):
    number = a_registered_resident()
    ask_for_a_code(client, number)

    enter_code(client, a_wrong_code_for(code_in(mailoutbox[0])))

    event = LoginEvent.objects.get()
    assert event.outcome == "wrong-or-expired-code"
    assert event.method == "onetimecode"
    assert event.personal_number_hint == number[:3]
    assert event.ip_address == "127.0.0.1"


def test_something_that_is_not_six_digits_is_refused_saying_what_a_code_looks_like(
    client, db, mailoutbox
):
    ask_for_a_code(client, a_registered_resident())

    response = enter_code(client, "12ab")

    assert response.status_code == 200
    assert '<a href="#id_code">The code is 6 digits.</a>' in response.text
    assert OneTimeCode.objects.get().failed_attempts == 0


def test_five_wrong_guesses_burn_the_code(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    code = code_in(mailoutbox[0])
    for _guess in range(services.CODE_ATTEMPTS):
        enter_code(client, a_wrong_code_for(code))

    # The resident tries the right code from another device and address (this one is also
    # throttled by django-axes, which would hide whether the code itself still works).
    phone = Client(REMOTE_ADDR="192.0.2.10")
    waiting_for_a_code(phone, number)
    response = enter_code(phone, code)

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.text
    assert logged_in_resident_number(phone) is None
    burnt = OneTimeCode.objects.get()
    assert burnt.failed_attempts == services.CODE_ATTEMPTS
    assert burnt.used_at is not None


def test_four_wrong_guesses_leave_the_code_working(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    code = code_in(mailoutbox[0])
    for _guess in range(services.CODE_ATTEMPTS - 1):
        assert WRONG_CODE_MESSAGE in enter_code(client, a_wrong_code_for(code)).text

    enter_code(client, code)

    assert logged_in_resident_number(client) == number


def test_an_expired_code_is_refused(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    OneTimeCode.objects.update(expires_at=clock.now() - timedelta(seconds=1))

    response = enter_code(client, code_in(mailoutbox[0]))

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.text
    assert logged_in_resident_number(client) is None


def test_a_code_lasts_as_many_minutes_as_the_settings_say(client, db, settings, mailoutbox):
    settings.ONE_TIME_CODE_MINUTES = 3
    before = clock.now()

    ask_for_a_code(client, a_registered_resident())

    issued = OneTimeCode.objects.get()
    assert "It works once, for 3 minutes," in mailoutbox[0].body
    assert before + timedelta(minutes=3) <= issued.expires_at <= clock.now() + timedelta(minutes=3)


def test_a_code_lasting_one_minute_says_minute_not_minutes(client, db, settings, mailoutbox):
    settings.ONE_TIME_CODE_MINUTES = 1

    ask_for_a_code(client, a_registered_resident())

    assert "It works once, for 1 minute," in mailoutbox[0].body


def test_asking_for_a_new_code_stops_the_earlier_one_from_working(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    ask_for_a_code(client, number)
    first, second = (code_in(message) for message in mailoutbox)

    if first != second:  # one in a million they are the same, and then nothing is shown
        response = enter_code(client, first)
        assert WRONG_CODE_MESSAGE in response.text
        assert logged_in_resident_number(client) is None
    enter_code(client, second)
    assert logged_in_resident_number(client) == number


def test_more_than_five_codes_an_hour_are_refused_with_a_clear_message(client, db, mailoutbox):
    number = a_registered_resident()
    for _request in range(services.CODES_PER_HOUR):
        assert ask_for_a_code(client, number).status_code == 302

    response = ask_for_a_code(client, number)

    assert response.status_code == 200
    assert (
        '<a href="#id_personal_number">Too many codes were requested for this personal number. '
        "Try again in an hour.</a>"
    ) in response.text
    assert len(mailoutbox) == services.CODES_PER_HOUR
    assert OneTimeCode.objects.count() == services.CODES_PER_HOUR


def test_codes_may_be_asked_for_again_an_hour_later(client, db, mailoutbox):
    number = a_registered_resident()
    for _request in range(services.CODES_PER_HOUR):
        ask_for_a_code(client, number)
    OneTimeCode.objects.update(created_at=clock.now() - timedelta(minutes=61))

    response = ask_for_a_code(client, number)

    assert response.status_code == 302
    assert len(mailoutbox) == services.CODES_PER_HOUR + 1


def test_an_unregistered_number_is_limited_to_five_codes_an_hour_like_any_other(client, db):
    number = an_unregistered_personal_number()
    for _request in range(services.CODES_PER_HOUR):
        ask_for_a_code(client, number)

    response = ask_for_a_code(client, number)

    assert response.status_code == 200
    assert "Too many codes were requested for this personal number." in response.text


def test_one_residents_wrong_codes_do_not_lock_out_others_behind_the_same_address(db, mailoutbox):
    from django.test import Client

    from tests.builders import a_registered_resident
    from tests.identity.builders import a_deceased_personal_number

    # Someone at a library computer mistypes five times (their code is burnt) ...
    guesser, neighbour = Client(REMOTE_ADDR="10.0.0.7"), Client(REMOTE_ADDR="10.0.0.7")
    waiting_for_a_code(guesser, a_deceased_personal_number())
    for _ in range(6):
        response = enter_code(guesser, "000000")
        assert response.status_code == 200
    # ... and the next resident at the same address still logs in with their code.
    ask_for_a_code(neighbour, a_registered_resident())
    response = enter_code(neighbour, code_in(mailoutbox[-1]))
    assert response.status_code == 302
    assert neighbour.get("/").wsgi_request.user.kind == "resident"
