"""Identity reads the persons register only through the exchange: a login's check that the
person is alive and registered, and a parent's check of their minor children, are each logged
under a named purpose and shown in the resident's data tracker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civic.exchange import errors
from civic.exchange.models import Grant
from civic.exchange.selectors import usage_page
from civic.exchange.services import grant_revoke
from civic.identity.selectors import may_represent, representable
from civic.registers.models import Parentage
from civic.registers.selectors import minor_children as minor_children_in_the_register
from tests.builders import a_registered_resident
from tests.identity.builders import (
    an_unregistered_personal_number,
    ask_for_a_code,
    code_in,
    enter_code,
    logged_in_resident_number,
)


def a_parent_with_a_minor_child() -> tuple[str, str]:
    for parent in Parentage.objects.filter(recorded_to__isnull=True).values_list(
        "parent__personal_number", flat=True
    )[:400]:
        children = minor_children_in_the_register(personal_number=parent)
        if children:
            return parent, children[0]
    raise AssertionError("no parent with a minor child in the test jurisdiction")


def uses(personal_number: str, purpose_name: str) -> list[dict]:
    return [
        e
        for e in usage_page(personal_number=personal_number, limit=200)["entries"]
        if e["purpose"] == purpose_name
    ]


def test_logging_in_shows_in_the_residents_tracker_as_checking_who_logs_in(client, db, mailoutbox):
    number = a_registered_resident()
    assert uses(number, "Check who logs in") == []

    ask_for_a_code(client, number)
    enter_code(client, code_in(mailoutbox[-1]))

    assert logged_in_resident_number(client) == number
    checks = uses(number, "Check who logs in")
    # Asking for the code and entering it: each checked the register once.
    assert len(checks) == 2
    assert checks[0]["organisation"] == "Municipality of Havenstad"
    assert checks[0]["register"] == "persons"
    assert checks[0]["fields"] == ["identity.confidential", "identity.date_of_death"]
    page = client.get(reverse("portal:data-use")).text
    assert "Check who logs in" in page


def test_a_number_nobody_has_gets_no_login_and_leaves_no_entry(client, db, mailoutbox):
    number = an_unregistered_personal_number()

    ask_for_a_code(client, number)

    assert mailoutbox == []
    assert usage_page(personal_number=number)["total"] == 0


def test_a_parents_children_are_read_for_the_representation_purpose_and_both_see_it(db):
    parent, child = a_parent_with_a_minor_child()

    assert may_represent(representative=parent, person=child) == "parent"
    mine = {p["personal_number"]: p for p in representable(representative=parent)}
    assert mine[child]["reason"] == "parent" and mine[child]["until"] is None
    assert mine[child]["name"], "the parent sees the child's name, read under the same purpose"

    assert uses(parent, "Check whom you may act for")
    for_the_child = uses(child, "Check whom you may act for")
    assert for_the_child
    assert {"identity.birth_date", "identity.date_of_death"} <= {
        f for e in for_the_child for f in e["fields"]
    }


def test_without_the_login_grant_a_login_is_refused_rather_than_the_check_skipped(
    client, db, mailoutbox
):
    for grant in Grant.objects.filter(job="login", revoked_at__isnull=True):
        grant_revoke(grant=grant)
    number = a_registered_resident()

    with pytest.raises(errors.NotGranted):
        client.post(reverse("identity:resident-login-code-request"), {"personal_number": number})

    assert uses(number, "Check who logs in") == []
