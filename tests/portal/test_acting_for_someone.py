"""Acting for someone else: a parent for a minor child, or someone who was authorised; every
read records both people and both see it; anything else is refused and kept."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.core import clock
from civic.exchange import errors
from civic.exchange.actors import Actor
from civic.exchange.models import AccessLogEntry
from civic.exchange.own_data import own_data
from civic.exchange.pseudonyms import person_pseudonym
from civic.exchange.selectors import usage_page
from civic.identity import services as identity
from civic.identity.models import RepresentationRefusal
from civic.registers.selectors import minor_children


def a_parent_with_a_minor_child() -> tuple[str, str]:
    from civic.registers.models import Parentage

    for parent in Parentage.objects.filter(recorded_to__isnull=True).values_list(
        "parent__personal_number", flat=True
    )[:400]:
        children = minor_children(personal_number=parent)
        if children:
            return parent, children[0]
    raise AssertionError("no parent with a minor child in the test jurisdiction")


def _full_name(number: str) -> str:
    from civic.registers.selectors import person_record_at

    record = person_record_at(personal_number=number)
    parts = (record.given_names, record.family_name_prefix, record.family_name)
    return " ".join(p for p in parts if p)


def two_unrelated_residents() -> tuple[str, str]:
    """Two adults living at different addresses, neither the other's parent or child."""
    from civic.registers.models import PersonRecord, Residence

    adults = set(
        PersonRecord.objects.filter(
            recorded_to__isnull=True, date_of_death__isnull=True, birth_date__lt=dt.date(1990, 1, 1)
        ).values_list("person_id", flat=True)
    )
    rows = (
        Residence.objects.filter(
            recorded_to__isnull=True, valid_to__isnull=True, person_id__in=adults
        )
        .order_by("address_id")
        .values_list("address_id", "person__personal_number")
    )
    picked: dict[int, str] = {}
    for address, number in rows:
        picked.setdefault(address, number)
        if len(picked) == 2:
            break
    first, second = picked.values()
    assert second not in minor_children(personal_number=first) and first not in minor_children(
        personal_number=second
    )
    return first, second


@pytest.fixture
def own_data_purpose(db, settings):
    from tests.exchange.builders import create_purpose

    return create_purpose(code=settings.OWN_DATA_PURPOSE)


def log_in(client, number: str) -> None:
    client.force_login(identity.resident_account_ensure(personal_number=number))


def test_a_parent_acts_for_their_minor_child_and_both_see_it(client, own_data_purpose):
    parent, child = a_parent_with_a_minor_child()
    name = _full_name(child)
    log_in(client, parent)
    assert 'href="/my/representation/"' in client.get("/my/").content.decode()
    page = client.get("/my/representation/").content.decode()
    assert f"<strong>{name}</strong>" in page and "your child under 18" in page
    response = client.post("/my/representation/", {"action": "act", "person": child})
    assert response.status_code == 302
    dashboard = client.get("/my/").content.decode()
    assert f"You are acting for {name}." in dashboard
    entry = AccessLogEntry.objects.filter(subject=person_pseudonym(child)).latest("id")
    assert entry.actor == person_pseudonym(parent) and entry.on_behalf_of == person_pseudonym(child)
    childs_view = usage_page(personal_number=child)["entries"][0]
    assert childs_view["organisation"] == f"{parent[:3]}***{parent[-2:]}, acting for you"
    parents_view = usage_page(personal_number=parent)["entries"]
    assert any(e["organisation"] == "You, acting for someone else" for e in parents_view)


def test_acting_for_a_stranger_is_refused_and_kept(client, own_data_purpose):
    me, stranger = two_unrelated_residents()
    log_in(client, me)
    response = client.post("/my/representation/", {"action": "act", "person": stranger})
    assert (
        response.status_code == 403
        and "You may not act for this person." in response.content.decode()
    )
    assert "You are acting for" not in client.get("/my/").content.decode()
    refusal = RepresentationRefusal.objects.get()
    assert refusal.actor_hint == me[:3] and refusal.represented_hint == stranger[:3]


def test_the_exchange_itself_refuses_a_forged_representation(own_data_purpose):
    me, stranger = two_unrelated_residents()
    with pytest.raises(errors.NotGranted):
        own_data(personal_number=me, acting_for=stranger)
    assert not AccessLogEntry.objects.filter(subject=person_pseudonym(stranger)).exists()
    assert RepresentationRefusal.objects.filter(where="exchange:persons").exists()


def test_an_authorisation_lets_someone_act_until_it_is_revoked(client, own_data_purpose):
    grantor, representative = two_unrelated_residents()
    log_in(client, grantor)
    until = (clock.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        "/my/representation/",
        {"action": "grant", "representative": representative, "scope": "all", "valid_until": until},
    )
    assert response.status_code == 302
    assert own_data(personal_number=representative, acting_for=grantor)
    from civic.identity.models import Authorisation

    client.post(
        "/my/representation/", {"action": "revoke", "authorisation": Authorisation.objects.get().pk}
    )
    with pytest.raises(errors.NotGranted):
        own_data(personal_number=representative, acting_for=grantor)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"representative": "123456789"}, "check digit is wrong"),
        ({"valid_until": "2099-01-01"}, "at most one year ahead"),
        ({"valid_until": "yesterday"}, "Enter a date as year-month-day"),
    ],
)
def test_a_wrong_authorisation_shows_the_error_summary_and_grants_nothing(
    client, own_data_purpose, fields, message
):
    from civic.identity.models import Authorisation

    grantor, representative = two_unrelated_residents()
    log_in(client, grantor)
    data = {
        "action": "grant",
        "representative": representative,
        "scope": "all",
        "valid_until": (clock.today() + dt.timedelta(days=30)).isoformat(),
        **fields,
    }
    page = client.post("/my/representation/", data).content.decode()
    assert "There is a problem" in page and message in page
    assert not Authorisation.objects.exists()


def test_an_actor_cannot_read_someone_else_by_changing_the_subject(own_data_purpose, settings):
    from civic.exchange.query import register_query

    me, stranger = two_unrelated_residents()
    with pytest.raises(errors.NotGranted):
        register_query(
            actor=Actor.resident(me),
            register="persons",
            subjects=[stranger],
            fields=["identity.given_names"],
            purpose=settings.OWN_DATA_PURPOSE,
        )


def test_while_acting_for_a_child_the_inbox_is_the_childs(client, own_data_purpose):
    from civic.notify.models import Message

    parent, child = a_parent_with_a_minor_child()
    for recipient, subject in ((parent, "For the parent"), (child, "For the child")):
        Message.objects.create(
            recipient=recipient,
            subject=subject,
            body="…",
            template_code="test",
            language="en",
            created_at=clock.now(),
        )
    log_in(client, parent)
    assert "For the parent" in client.get("/my/inbox/").content.decode()
    client.post("/my/representation/", {"action": "act", "person": child})
    inbox = client.get("/my/inbox/").content.decode()
    assert "For the child" in inbox and "For the parent" not in inbox
    dashboard = client.get("/my/").content.decode()
    assert "For the child" in dashboard and "For the parent" not in dashboard
    client.post("/my/representation/", {"action": "stop"})
    assert "For the parent" in client.get("/my/inbox/").content.decode()
