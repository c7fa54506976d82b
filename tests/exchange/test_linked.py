"""A person named in someone else's released record (a parent's children, a partner, a
business's owner, the parents in a birth event) sees that release in their own tracker."""

from __future__ import annotations

import pytest

from civic.exchange import services
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import person_pseudonym
from civic.identity import services as identity
from civic.registers import services as registers
from civic.registers.changes import BORN
from civic.registers.models import Parentage
from civic.registers.selectors import minor_children, parents_of
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_query import query

USAGE = "/api/exchange/v1/usage"


@pytest.fixture
def family(db):
    """A parent with children at home, and one of the children."""
    link = Parentage.objects.filter(recorded_to__isnull=True).order_by("id").first()
    parent = link.parent.personal_number
    children = minor_children(personal_number=parent) or [link.child.personal_number]
    return parent, children


def test_a_childs_tracker_shows_its_number_released_in_a_query_about_its_parent(client, family):
    parent, children = family
    purpose = create_purpose(code="child-benefit")
    _, _, actor = create_partner(purpose=purpose, attributes=["parentage.child"])

    query(actor, purpose, [parent], ["parentage.child"], case="CB-1")

    child = children[0]
    client.force_login(identity.resident_account_ensure(personal_number=child))
    [entry] = client.get(USAGE).json()["entries"]
    assert entry["kind"] == "linked" and entry["fields"] == ["parentage.child"]
    assert entry["organisation"] == "Social Insurance Bank"
    # Every child named got its entry, in the release's transaction, with the same trace.
    linked = AccessLogEntry.objects.filter(kind="linked")
    assert set(linked.values_list("subject", flat=True)) >= {person_pseudonym(c) for c in children}
    assert set(linked.values_list("case", flat=True)) == {"CB-1"}
    # The parent, asked about, has one lookup, not a linked entry too.
    assert AccessLogEntry.objects.get(subject=person_pseudonym(parent)).kind == "lookup"


def test_the_tracker_page_says_the_number_was_in_someone_elses_record(client, family):
    parent, children = family
    purpose = create_purpose(code="child-benefit")
    _, _, actor = create_partner(purpose=purpose, attributes=["parentage.child"])
    query(actor, purpose, [parent], ["parentage.child"])
    client.force_login(identity.resident_account_ensure(personal_number=children[0]))
    page = client.get("/my/data-use/")
    assert "your number, in someone else's record" in page.content.decode()


def test_a_query_that_names_nobody_else_writes_no_linked_entry(db, family):
    parent, _children = family
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    query(actor, purpose, [parent], ["identity.birth_date"])
    assert not AccessLogEntry.objects.filter(kind="linked").exists()


def test_the_parents_named_in_a_birth_event_see_its_delivery_in_their_trackers(db, family):
    parent, _children = family
    purpose = create_purpose(code="births")
    client_, _, _ = create_partner(
        purpose=purpose, attributes=["identity.birth_date", "parentage.parent"]
    )
    services.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[BORN],
        url="http://127.0.0.1:9/never-called",
        api_client=client_,
    )
    mother = parent
    event = registers.person_birth(
        mother=mother, father=None, given_names="Noor", sex="F", born_on=_today()
    )
    entries = AccessLogEntry.objects.filter(trace_id=event.id)
    assert entries.get(subject=person_pseudonym(event.subject)).kind == "lookup"
    linked = entries.get(subject=person_pseudonym(mother))
    assert linked.kind == "linked" and linked.fields == "parentage.parent"
    assert parents_of(personal_number=event.subject) == [mother]


def _today():
    from civic.core import clock

    return clock.today()
