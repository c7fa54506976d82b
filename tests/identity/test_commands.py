"""`civic onetimecode NUMBER`: support issues a resident's login code from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civic.identity import services
from civic.identity.login.contrib.onetimecode.delivery import outbox_address
from civic.identity.models import OneTimeCode
from tests.builders import a_registered_resident
from tests.identity.builders import code_in, with_a_wrong_check_digit


def issue_code(number: str) -> str:
    out = StringIO()
    call_command("onetimecode", number, stdout=out)
    return out.getvalue().strip()


def test_the_command_prints_a_six_digit_code_that_logs_the_resident_in(db, mailoutbox):
    number = a_registered_resident()

    printed = issue_code(number)

    assert len(printed) == 6 and printed.isdigit()
    assert services.one_time_code_redeem(personal_number=number, code=printed) is True


def test_the_command_also_delivers_the_code_to_the_residents_outbox(db, mailoutbox):
    number = a_registered_resident()

    printed = issue_code(number)

    [message] = mailoutbox
    assert message.to == [outbox_address(number)]
    assert code_in(message) == printed


def test_the_command_delivers_to_the_same_outbox_however_the_number_is_written(db, mailoutbox):
    number = a_registered_resident()

    issue_code(f"{number[:4]}.{number[4:6]}.{number[6:]}")

    assert mailoutbox[0].to == [outbox_address(number)]


def test_the_command_refuses_a_number_that_fails_its_check(db, mailoutbox):
    number = with_a_wrong_check_digit(a_registered_resident())

    with pytest.raises(CommandError, match="check digit is wrong"):
        issue_code(number)
    assert not OneTimeCode.objects.exists()
    assert mailoutbox == []


def test_the_command_keeps_to_the_limit_of_codes_an_hour(db, mailoutbox):
    number = a_registered_resident()
    for _request in range(services.CODES_PER_HOUR):
        issue_code(number)

    with pytest.raises(CommandError, match="Too many codes were requested"):
        issue_code(number)
    assert len(mailoutbox) == services.CODES_PER_HOUR


def test_the_command_refuses_a_number_nobody_in_the_register_has(db, mailoutbox):
    from tests.identity.builders import an_unregistered_personal_number

    with pytest.raises(CommandError, match="not a living person"):
        call_command("onetimecode", an_unregistered_personal_number(), stdout=StringIO())
    assert mailoutbox == []
