"""The one-time code services: a code is bound to one number, works once, and is kept hashed."""

from __future__ import annotations

import hashlib

import pytest

from civic.core.errors import InvalidIdentifier
from civic.identity import services
from civic.identity.models import OneTimeCode
from tests.builders import a_registered_resident
from tests.identity.builders import an_unregistered_personal_number, with_a_wrong_check_digit


def test_a_code_is_six_digits_and_redeems_once(db):
    number = a_registered_resident()

    code = services.one_time_code_issue(personal_number=number)

    assert len(code) == 6 and code.isdigit()
    assert services.one_time_code_redeem(personal_number=number, code=code) is True
    assert services.one_time_code_redeem(personal_number=number, code=code) is False


def test_a_code_works_only_for_the_number_it_was_issued_for(db):
    number = a_registered_resident()
    other_number = an_unregistered_personal_number()
    code = services.one_time_code_issue(personal_number=number)
    services.one_time_code_issue(personal_number=other_number)

    assert services.one_time_code_redeem(personal_number=other_number, code=code) is False
    assert services.one_time_code_redeem(personal_number=number, code=code) is True


def test_a_code_is_stored_only_as_a_keyed_hash(db):
    number = a_registered_resident()

    code = services.one_time_code_issue(personal_number=number)

    stored = OneTimeCode.objects.get(personal_number=number)
    assert code not in stored.code_hash
    # Not a plain hash either: a million codes would be guessed from a stolen table at once.
    assert stored.code_hash != hashlib.sha256(code.encode()).hexdigest()
    assert stored.code_hash != hashlib.sha256(f"{number}:{code}".encode()).hexdigest()


def test_a_new_code_works_after_the_old_one_was_burnt_by_wrong_guesses(db):
    number = a_registered_resident()
    first = services.one_time_code_issue(personal_number=number)
    wrong = f"{(int(first) + 1) % 1_000_000:06d}"
    for _guess in range(services.CODE_ATTEMPTS):
        services.one_time_code_redeem(personal_number=number, code=wrong)
    assert services.one_time_code_redeem(personal_number=number, code=first) is False

    second = services.one_time_code_issue(personal_number=number)

    assert services.one_time_code_redeem(personal_number=number, code=second) is True


def test_a_number_without_a_code_redeems_nothing(db):
    number = a_registered_resident()

    assert services.one_time_code_redeem(personal_number=number, code="123456") is False


def test_no_code_is_issued_for_a_number_that_fails_its_check(db):
    number = with_a_wrong_check_digit(a_registered_resident())

    with pytest.raises(InvalidIdentifier, match="check digit is wrong"):
        services.one_time_code_issue(personal_number=number)
    assert not OneTimeCode.objects.exists()


def test_the_sixth_code_within_an_hour_is_refused_and_not_stored(db):
    number = a_registered_resident()
    for _request in range(services.CODES_PER_HOUR):
        services.one_time_code_issue(personal_number=number)

    with pytest.raises(services.LoginRefused, match="Try again in an hour"):
        services.one_time_code_issue(personal_number=number)
    assert OneTimeCode.objects.filter(personal_number=number).count() == services.CODES_PER_HOUR
