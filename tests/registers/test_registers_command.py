"""`civic registers move|birth|death`: the registrar's changes from the command line, each
published as its register event, so that a partner (the demo's too) sees its webhook called."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from civic.core import clock, events
from civic.exchange.actors import Actor
from civic.exchange.authorisation import grants_active
from civic.exchange.demo import partner_ensure
from civic.exchange.models import Purpose
from civic.identity.models import ApiClient
from civic.registers.changes import BORN, EVENT_FIELDS, MOVED
from civic.registers.models import Address
from civic.registers.selectors import address_at
from civic.setup.services import DEMO_PARTNER_SETUP, setup_apply
from tests.builders import a_registered_resident


def _home(person: str) -> str:
    return address_at(personal_number=person, valid_at=clock.today()).identifier


@pytest.fixture
def published(monkeypatch):
    seen: list[events.Event] = []
    original = events.publish
    monkeypatch.setattr(events, "publish", lambda event: (seen.append(event), original(event))[1])
    return seen


def test_a_move_is_recorded_and_published_as_its_event(db, capsys, published):
    person = a_registered_resident()
    before = _home(person)
    target = Address.objects.exclude(identifier=before).order_by("identifier").first().identifier

    call_command("registers", "move", "--person", person, "--address", target)

    assert _home(person) == target
    assert [event.type for event in published] == [MOVED]
    assert f"event {MOVED}" in capsys.readouterr().out


def test_a_move_to_an_unknown_address_is_refused_and_changes_nothing(db, published):
    person = a_registered_resident()
    before = _home(person)

    with pytest.raises(CommandError, match="no address"):
        call_command("registers", "move", "--person", person, "--address", "0000000000000000")
    with pytest.raises(CommandError, match="not a date"):
        call_command("registers", "move", "--person", person, "--address", before, "--on", "soon")

    assert _home(person) == before and published == []


def test_the_demo_partner_may_subscribe_to_moves_and_births(db):
    partner_ensure()
    setup_apply(path=DEMO_PARTNER_SETUP)
    client = ApiClient.objects.get(name="Child benefit system (demo partner)")
    granted = set()
    for attributes in grants_active(
        actor=Actor.api_client(client),
        purpose=Purpose.objects.get(code="child-benefit-assessment"),
        register="persons",
    ).values_list("attributes", flat=True):
        granted.update(attributes)
    for event_type in (MOVED, BORN):
        assert set(EVENT_FIELDS[event_type][1]) <= granted, event_type
