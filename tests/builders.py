"""Small builders for test data (GOV.UK Notify style): call them, do not chain fixtures."""

from __future__ import annotations

import itertools

from civic.compliance.training.services import training_record_add
from civic.identity import services as identity
from civic.identity.models import Agency, User

_counter = itertools.count(1)


def create_agency(*, code: str | None = None, name: str = "Test Agency") -> Agency:
    return identity.agency_ensure(code=code or f"agency-{next(_counter)}", name=name)


def create_staff(
    *,
    roles: list[str],
    agency: Agency | None = None,
    password: str = "correct horse battery staple",  # noqa: S107
    username: str | None = None,
    trained: bool = True,
) -> User:
    """A staff member of ``agency`` with ``roles``; ``trained`` (the default) with current
    data-protection training, without which the exchange shows them no personal data."""
    user = identity.staff_user_create(
        username=username or f"staff-{next(_counter)}",
        agency=agency or create_agency(),
        roles=roles,
        password=password,
    )
    if trained:
        with_training(user)
    return user


def with_training(user: User, *, valid_until=None) -> User:
    """Record the staff member's data-protection course, completed today (valid a year, or
    until ``valid_until``)."""
    training_record_add(user=user, valid_until=valid_until)
    return user


def a_registered_resident() -> str:
    """Personal number of a living resident of the test jurisdiction."""
    from civic.registers.selectors import demo_resident_personal_number

    number = demo_resident_personal_number()
    assert number, "the test jurisdiction has no resident with a partner and a child"
    return number
