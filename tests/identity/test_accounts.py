"""Agencies, staff users with their roles, and residents' accounts."""

from __future__ import annotations

import re

import pytest

from civic.core.errors import CivicError, InvalidIdentifier
from civic.identity import selectors, services
from civic.identity.models import Agency, Role, User
from tests.builders import a_registered_resident, create_agency, create_staff
from tests.identity.builders import with_a_wrong_check_digit


def test_an_unknown_role_is_refused_naming_it_and_no_user_is_made(db):
    agency = create_agency()

    with pytest.raises(CivicError, match=re.escape("Unknown role(s): janitor, wizard.")):
        services.staff_user_create(
            username="new-colleague",
            agency=agency,
            roles=["caseworker", "wizard", "janitor"],
            password="correct horse battery staple",
        )
    assert not User.objects.filter(username="new-colleague").exists()


def test_a_staff_member_has_the_roles_they_were_given_in_their_agency(db):
    agency = create_agency(name="Havenstad")

    staff = create_staff(roles=["caseworker", "data_protection_officer"], agency=agency)

    assert staff.kind == User.Kind.STAFF
    assert staff.agency == agency
    assert selectors.staff_roles(user=staff) == {"caseworker", "data_protection_officer"}
    assert selectors.staff_has_role(user=staff, role=Role.CASEWORKER)
    assert not selectors.staff_has_role(user=staff, role=Role.ADMINISTRATOR)


@pytest.mark.parametrize(
    ("roles", "back_office", "superuser"),
    [
        (["caseworker"], False, False),
        (["data_protection_officer"], False, False),
        (["service_owner"], True, False),
        (["administrator"], True, False),
    ],
)
def test_only_service_owners_and_administrators_get_the_back_office(
    db, roles, back_office, superuser
):
    staff = create_staff(roles=roles)

    assert staff.is_staff is back_office
    assert staff.is_superuser is superuser


def test_a_staff_member_created_without_a_password_cannot_use_one(db):
    staff = create_staff(roles=["caseworker"], password="")

    assert not staff.has_usable_password()


def test_agency_ensure_updates_the_agency_with_the_same_code(db):
    services.agency_ensure(code="havenstad", name="Havenstad")

    agency = services.agency_ensure(
        code="havenstad",
        name="City of Havenstad",
        name_nl="Gemeente Havenstad",
        kind="municipality",
    )

    assert Agency.objects.filter(code="havenstad").count() == 1
    assert agency.name == "City of Havenstad"
    assert agency.name_nl == "Gemeente Havenstad"
    assert selectors.agency_get(code="havenstad") == agency


def test_a_residents_account_is_made_once_and_found_again(db):
    number = a_registered_resident()

    first = services.resident_account_ensure(personal_number=number)
    again = services.resident_account_ensure(personal_number=f"{number[:4]} {number[4:]}")

    assert first == again
    assert first.kind == User.Kind.RESIDENT
    assert not first.has_usable_password()
    assert selectors.resident_personal_number(user=first) == number


def test_no_account_is_made_for_a_number_that_fails_its_check(db):
    number = with_a_wrong_check_digit(a_registered_resident())

    with pytest.raises(InvalidIdentifier, match="check digit is wrong"):
        services.resident_account_ensure(personal_number=number)
    assert not User.objects.filter(kind=User.Kind.RESIDENT).exists()


def test_a_resident_has_no_staff_roles_and_a_staff_member_no_personal_number(db):
    resident = services.resident_account_ensure(personal_number=a_registered_resident())
    staff = create_staff(roles=["caseworker"])

    assert selectors.staff_roles(user=resident) == set()
    assert selectors.resident_personal_number(user=staff) is None


def test_the_account_of_a_resident_shows_only_the_start_of_their_number(db):
    number = a_registered_resident()
    resident = services.resident_account_ensure(personal_number=number)

    assert str(resident.resident) == f"resident {number[:3]}******"
