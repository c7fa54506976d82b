"""Builders for the identity tests: personal numbers of the test jurisdiction's people, and the
steps of a resident's one-time-code login. May import register models to find people."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from civic.core import clock
from civic.core.numbers import personal_number_is_valid
from civic.identity.login.contrib.onetimecode import views
from civic.identity.login.contrib.onetimecode.delivery import deliveries_wait
from civic.identity.models import User
from civic.registers.models import Person, PersonRecord

WRONG_CODE_MESSAGE = "That code is not right or has expired"
REQUEST_CODE_URL = reverse("identity:resident-login-code-request")
ENTER_CODE_URL = reverse("identity:resident-login-code")


def an_unregistered_personal_number() -> str:
    """A number that passes its check digit but belongs to nobody in the persons register."""
    for candidate in range(999_999_999, 0, -1):
        number = f"{candidate:09d}"
        if (
            personal_number_is_valid(number)
            and not Person.objects.filter(personal_number=number).exists()
        ):
            return number
    raise AssertionError("every valid personal number is registered")


def a_deceased_personal_number() -> str:
    """The number of someone the persons register currently records as dead."""
    today = clock.today()
    record = (
        PersonRecord.objects.filter(
            date_of_death__isnull=False,
            date_of_death__lte=today,
            valid_from__lte=today,
            valid_to__isnull=True,
            recorded_to__isnull=True,
        )
        .select_related("person")
        .order_by("id")
        .first()
    )
    assert record, "the test jurisdiction has no deceased person"
    return record.person.personal_number


def with_a_wrong_check_digit(number: str) -> str:
    # Moving the last digit by one moves the weighted sum by one, so the check must fail.
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def code_in(message: mail.EmailMessage) -> str:
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, f"no 6-digit code in the message: {message.body!r}"
    return found.group(1)


def ask_for_a_code(client: Client, personal_number: str):
    """Ask for a code and wait until its message is handed over (it is sent in the background)."""
    response = client.post(REQUEST_CODE_URL, {"personal_number": personal_number})
    deliveries_wait()
    return response


def enter_code(client: Client, code: str):
    return client.post(ENTER_CODE_URL, {"code": code})


def a_wrong_code_for(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def waiting_for_a_code(client: Client, personal_number: str) -> None:
    """Put the browser on the code page for a number without issuing a new code."""
    session = client.session
    session[views.SESSION_PENDING_NUMBER] = personal_number
    session.save()


def logged_in_resident_number(client) -> str | None:
    response = client.get(reverse("home"))
    user = response.context["user"]
    if not user.is_authenticated:
        return None
    assert user.kind == User.Kind.RESIDENT
    return user.resident.personal_number
