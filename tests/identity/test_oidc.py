"""Resident login through a national eID (OpenID Connect): a claim carries the personal number."""

from __future__ import annotations

import pytest
from django.core.exceptions import SuspiciousOperation

from civic.identity import selectors
from civic.identity.login.contrib.oidc.backend import ResidentOIDCBackend
from civic.identity.models import User
from tests.builders import a_registered_resident
from tests.identity.builders import with_a_wrong_check_digit


@pytest.fixture
def eid_settings(settings):
    settings.OIDC_RP_CLIENT_ID = "civic"
    settings.OIDC_RP_CLIENT_SECRET = "not-a-real-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://eid.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://eid.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://eid.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://eid.example/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_PERSONAL_NUMBER_CLAIM = "personal_number"
    return settings


def an_eid_backend_answering(claims: dict, monkeypatch) -> ResidentOIDCBackend:
    """The backend, with the provider's userinfo answer replaced by ``claims``."""
    backend = ResidentOIDCBackend()
    monkeypatch.setattr(backend, "get_userinfo", lambda access_token, id_token, payload: claims)
    return backend


def test_claims_with_a_valid_personal_number_are_accepted(db, eid_settings):
    assert ResidentOIDCBackend().verify_claims({"personal_number": a_registered_resident()})


def test_claims_whose_number_fails_its_check_are_refused(db, eid_settings):
    number = with_a_wrong_check_digit(a_registered_resident())

    assert not ResidentOIDCBackend().verify_claims({"personal_number": number})


@pytest.mark.parametrize("claims", [{}, {"personal_number": ""}, {"sub": "123456782"}])
def test_claims_without_a_personal_number_are_refused(db, eid_settings, claims):
    assert not ResidentOIDCBackend().verify_claims(claims)


def test_the_first_eid_login_makes_the_residents_account(db, eid_settings):
    number = a_registered_resident()
    backend = ResidentOIDCBackend()
    assert not backend.filter_users_by_claims({"personal_number": number}).exists()

    user = backend.create_user({"personal_number": number, "sub": "eid-subject-1"})

    assert user.kind == User.Kind.RESIDENT
    assert selectors.resident_personal_number(user=user) == number
    assert list(backend.filter_users_by_claims({"personal_number": number})) == [user]


def test_claims_whose_number_fails_its_check_find_no_user(db, eid_settings):
    number = a_registered_resident()
    backend = ResidentOIDCBackend()
    backend.create_user({"personal_number": number})

    found = backend.filter_users_by_claims({"personal_number": with_a_wrong_check_digit(number)})

    assert list(found) == []


def test_an_eid_login_finds_the_account_a_code_login_made(db, eid_settings, monkeypatch):
    from civic.identity import services

    number = a_registered_resident()
    existing = services.resident_account_ensure(personal_number=number)
    backend = an_eid_backend_answering({"personal_number": number}, monkeypatch)

    user = backend.get_or_create_user("access-token", "id-token", {})

    assert user == existing
    assert User.objects.filter(resident__personal_number=number).count() == 1


def test_an_eid_login_with_a_bad_number_is_refused_and_makes_no_account(
    db, eid_settings, monkeypatch
):
    number = with_a_wrong_check_digit(a_registered_resident())
    backend = an_eid_backend_answering({"personal_number": number}, monkeypatch)

    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access-token", "id-token", {})
    assert not User.objects.filter(kind=User.Kind.RESIDENT).exists()


def test_the_claim_carrying_the_number_is_named_by_the_settings(db, eid_settings, monkeypatch):
    eid_settings.OIDC_PERSONAL_NUMBER_CLAIM = "bsn"
    number = a_registered_resident()
    backend = an_eid_backend_answering({"bsn": number}, monkeypatch)

    user = backend.get_or_create_user("access-token", "id-token", {})

    assert selectors.resident_personal_number(user=user) == number
    assert not ResidentOIDCBackend().verify_claims({"personal_number": number})


def test_an_eid_login_of_a_person_the_register_records_as_dead_is_refused(db, eid_settings):
    from tests.identity.builders import a_deceased_personal_number

    number = a_deceased_personal_number()
    assert not ResidentOIDCBackend().verify_claims({"personal_number": number})
    assert not User.objects.filter(resident__personal_number=number).exists()


def test_an_eid_login_of_a_number_the_register_does_not_hold_is_refused(db, eid_settings):
    from tests.identity.builders import an_unregistered_personal_number

    assert not ResidentOIDCBackend().verify_claims(
        {"personal_number": an_unregistered_personal_number()}
    )


def test_a_claim_written_with_dots_finds_the_account_by_its_nine_digits(db, eid_settings):
    from civic.identity import services

    number = a_registered_resident()
    user = services.resident_account_ensure(personal_number=number)
    dotted = f"{number[:4]}.{number[4:6]}.{number[6:]}"
    assert list(ResidentOIDCBackend().filter_users_by_claims({"personal_number": dotted})) == [user]
