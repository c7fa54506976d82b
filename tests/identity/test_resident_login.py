"""A resident logs in with their personal number and a one-time code sent to their outbox."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from civic.identity import services
from civic.identity.login.contrib.onetimecode.delivery import outbox_address
from civic.identity.models import LoginEvent, OneTimeCode, User
from civic.registers.selectors import person_is_registered
from tests.builders import a_registered_resident
from tests.identity.builders import (
    ENTER_CODE_URL,
    REQUEST_CODE_URL,
    WRONG_CODE_MESSAGE,
    a_deceased_personal_number,
    an_unregistered_personal_number,
    ask_for_a_code,
    code_in,
    enter_code,
    logged_in_resident_number,
    with_a_wrong_check_digit,
)


def test_the_login_page_offers_the_one_time_code_and_links_to_the_staff_login(client, db):
    response = client.get(reverse("identity:resident-login"))

    assert response.status_code == 200
    assert (
        f'<a class="govuk-link" href="{REQUEST_CODE_URL}">Log in with a one-time code</a>'
        in response.text
    )
    assert f'href="{reverse("identity:staff-login")}"' in response.text


def test_a_personal_number_with_a_wrong_check_digit_is_refused_with_an_error_summary(
    client, db, mailoutbox
):
    number = with_a_wrong_check_digit(a_registered_resident())

    response = ask_for_a_code(client, number)

    assert response.status_code == 200
    page = response.text
    assert '<div class="govuk-error-summary"' in page
    assert "There is a problem" in page
    assert (
        f'<a href="#id_personal_number">“{number}” is not a valid personal number: '
        "its check digit is wrong.</a>"
    ) in page
    assert '<p id="id_personal_number-error" class="govuk-error-message">' in page
    assert "<title>Error: Your personal number" in page
    assert not OneTimeCode.objects.exists()
    assert mailoutbox == []


def test_an_empty_personal_number_is_refused_asking_for_one(client, db):
    response = ask_for_a_code(client, "")

    assert response.status_code == 200
    assert '<a href="#id_personal_number">Enter your personal number.</a>' in response.text
    assert not OneTimeCode.objects.exists()


def test_a_personal_number_of_eight_digits_is_refused_saying_it_needs_nine(client, db):
    response = ask_for_a_code(client, "12345678")

    assert response.status_code == 200
    assert "A personal number has exactly 9 digits" in response.text
    assert not OneTimeCode.objects.exists()


def test_a_registered_resident_receives_a_code_in_their_outbox(client, db, mailoutbox):
    number = a_registered_resident()

    response = ask_for_a_code(client, number)

    assert response.status_code == 302
    assert response["Location"] == ENTER_CODE_URL
    [message] = mailoutbox
    assert message.to == [outbox_address(number)]
    assert message.subject == "Your Civic login code"
    assert "It works once, for 10 minutes, in the browser where you asked for it." in message.body
    assert len(code_in(message)) == 6


def test_an_unregistered_number_gets_the_same_next_page_but_no_message_is_delivered(
    client, db, mailoutbox
):
    registered = ask_for_a_code(Client(), a_registered_resident())
    number = an_unregistered_personal_number()

    unregistered = ask_for_a_code(client, number)

    assert unregistered.status_code == registered.status_code == 302
    assert unregistered["Location"] == registered["Location"] == ENTER_CODE_URL
    page = client.get(ENTER_CODE_URL).text
    masked = f"{number[:3]}***{number[-2:]}"
    assert f"If {masked} is a registered personal number, we have sent you a code." in page
    assert len(mailoutbox) == 1  # the registered resident's only
    assert outbox_address(number) not in mailoutbox[0].to


def test_a_resident_who_enters_the_code_is_logged_in_as_themselves(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)

    response = enter_code(client, code_in(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    home = client.get(reverse("home")).text
    assert ">Your page<" in home and ">Log out<" in home
    assert "You are logged in." in home
    assert logged_in_resident_number(client) == number
    assert LoginEvent.objects.get().outcome == "success"


def test_a_code_may_be_typed_with_spaces_around_it(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)

    enter_code(client, f"  {code_in(mailoutbox[0])} ")

    assert logged_in_resident_number(client) == number


def test_the_second_login_of_a_resident_uses_the_same_account(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    enter_code(client, code_in(mailoutbox[0]))
    client.post(reverse("identity:logout"))

    ask_for_a_code(client, number)
    enter_code(client, code_in(mailoutbox[1]))

    assert logged_in_resident_number(client) == number
    assert User.objects.filter(resident__personal_number=number).count() == 1


def test_a_next_address_given_to_the_login_page_is_where_the_resident_lands(client, db, mailoutbox):
    catalogue = reverse("registers:catalogue")
    client.get(reverse("identity:resident-login"), {"next": catalogue})
    ask_for_a_code(client, a_registered_resident())

    response = enter_code(client, code_in(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == catalogue


def test_a_next_address_on_another_site_is_ignored(client, db, mailoutbox):
    client.get(reverse("identity:resident-login"), {"next": "https://evil.example/steal"})
    ask_for_a_code(client, a_registered_resident())

    response = enter_code(client, code_in(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


def test_a_deceased_person_receives_no_code(client, db, mailoutbox):
    number = a_deceased_personal_number()
    assert not person_is_registered(personal_number=number)

    response = ask_for_a_code(client, number)

    assert response.status_code == 302  # the same answer as for anyone
    assert mailoutbox == []


def test_a_deceased_person_cannot_log_in_even_with_a_code_issued_for_them(client, db):
    number = a_deceased_personal_number()
    ask_for_a_code(client, number)
    # As support would with `civic onetimecode`: the code itself is valid.
    code = services.one_time_code_issue(personal_number=number)

    response = enter_code(client, code)

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.text
    assert logged_in_resident_number(client) is None
    assert not User.objects.filter(resident__personal_number=number).exists()


def test_an_unregistered_number_cannot_log_in_even_with_a_code_issued_for_it(client, db):
    number = an_unregistered_personal_number()
    ask_for_a_code(client, number)
    code = services.one_time_code_issue(personal_number=number)

    response = enter_code(client, code)

    assert WRONG_CODE_MESSAGE in response.text
    assert logged_in_resident_number(client) is None


def test_the_code_page_without_a_personal_number_sends_the_resident_to_give_one(client, db):
    response = client.get(ENTER_CODE_URL)

    assert response.status_code == 302
    assert response["Location"] == REQUEST_CODE_URL


def test_logging_out_ends_the_residents_session(client, db, mailoutbox):
    ask_for_a_code(client, a_registered_resident())
    enter_code(client, code_in(mailoutbox[0]))

    response = client.post(reverse("identity:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_resident_number(client) is None


def test_logging_out_needs_a_form_post_so_a_link_cannot_log_someone_out(client, db, mailoutbox):
    number = a_registered_resident()
    ask_for_a_code(client, number)
    enter_code(client, code_in(mailoutbox[0]))

    response = client.get(reverse("identity:logout"))

    assert response.status_code == 405
    assert logged_in_resident_number(client) == number
