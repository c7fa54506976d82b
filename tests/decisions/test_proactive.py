"""Proactive runs: the whole population checked through the exchange, offers written once and
announced once, a crashed run resumed without doubles, a birth turning into an offer."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.core import clock
from civic.decisions.models import Offer, ProactiveChunk, ProactiveRun
from civic.decisions.proactive import chunk_evaluate, proactive_setup, run_start
from civic.decisions.proactive_runner import run_execute
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import person_pseudonym
from civic.notify.models import Message
from civic.registers.models import Parentage, PersonRecord, Residence
from tests.decisions.builders import life_events_follow

pytestmark = pytest.mark.django_db


def _living_residents() -> int:
    today = clock.today()
    living = PersonRecord.objects.filter(recorded_to__isnull=True, date_of_death__isnull=True)
    return (
        Residence.objects.filter(
            recorded_to__isnull=True,
            valid_from__lte=today,
            person_id__in=living.values("person_id"),
        )
        .exclude(valid_to__lte=today)
        .values("person_id")
        .distinct()
        .count()
    )


def test_a_run_checks_every_resident_once_and_offers_what_the_rules_find(jurisdiction):
    run = run_execute(run_start(chunk_size=400))
    assert run.status == ProactiveRun.Status.DONE
    checked = sum(run.chunks.values_list("residents", flat=True))
    assert checked == _living_residents()
    entries = AccessLogEntry.objects.filter(
        purpose=proactive_setup().purpose, kind=AccessLogEntry.Kind.CHECK
    )
    assert entries.count() == checked  # one entry per resident checked
    offers = Offer.objects.filter(run=run)
    assert offers.filter(rule_set="child_benefit").exists()
    # Child benefit goes to a parent of the child it is for (checked from the register).
    offer = offers.filter(rule_set="child_benefit").first()
    assert Parentage.objects.filter(
        parent__personal_number=offer.personal_number,
        child__personal_number=offer.beneficiary,
        recorded_to__isnull=True,
    ).exists()
    # Every resident with new offers is told once, after the last chunk, each offer named
    # once: a parent whose children live at addresses of other chunks gets one message too.
    residents = set(offers.values_list("personal_number", flat=True))
    messages = Message.objects.filter(template_code="offers-available")
    assert sorted(messages.values_list("recipient", flat=True)) == sorted(residents)
    assert sum(m.body.count("\n- ") for m in messages) == offers.count()
    assert not offers.filter(told_at__isnull=True).exists()
    one = messages.filter(recipient=offer.personal_number).first()
    assert "Child benefit for your child born on" in one.body
    # The resident's tracker finds the check under the proactive purpose.
    assert entries.filter(subject=person_pseudonym(offer.personal_number)).count() == 1


def test_an_interrupted_run_resumes_without_double_offers_or_messages(jurisdiction, monkeypatch):
    from civic.decisions import proactive

    run = run_start(chunk_size=300)
    chunks = list(run.chunks.order_by("index").values_list("pk", flat=True))
    chunk_evaluate(chunk_id=chunks[0])
    real = proactive.offers_write

    def crash(**kwargs):
        real(**kwargs)  # written, then the process dies before the chunk is marked done
        raise RuntimeError("worker killed")

    monkeypatch.setattr(proactive, "offers_write", crash)
    with pytest.raises(RuntimeError):
        chunk_evaluate(chunk_id=chunks[1])
    monkeypatch.setattr(proactive, "offers_write", real)
    assert ProactiveChunk.objects.filter(run=run, done_at__isnull=False).count() == 1
    resumed = run_start(chunk_size=300)
    assert resumed.pk == run.pk
    run_execute(resumed)
    offers = Offer.objects.all()
    keys = list(offers.values_list("personal_number", "rule_set", "year", "beneficiary"))
    assert len(keys) == len(set(keys))
    messages = Message.objects.filter(template_code="offers-available")
    assert sum(m.body.count("\n- ") for m in messages) == offers.count()  # none announced twice
    # A second run the same year finds nothing new to offer or announce.
    again = run_execute(run_start(chunk_size=300, resume=False))
    assert Offer.objects.filter(run=again).count() == 0


def test_an_announcement_that_fails_half_way_resumes_and_tells_nobody_twice(
    jurisdiction, monkeypatch
):
    from civic.decisions import proactive

    monkeypatch.setattr(proactive, "RESIDENTS_PER_ANNOUNCEMENT", 5)
    real, calls = proactive.notifications_send_bulk, []

    def fails_on_the_second_batch(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the mail database went away")
        return real(**kwargs)

    monkeypatch.setattr(proactive, "notifications_send_bulk", fails_on_the_second_batch)
    with pytest.raises(RuntimeError):
        run_execute(run_start(chunk_size=300))
    run = ProactiveRun.objects.get()
    assert run.status == ProactiveRun.Status.STOPPED  # all chunks done, the announcing stopped
    assert not run.chunks.filter(done_at__isnull=True).exists()
    messages = Message.objects.filter(template_code="offers-available")
    assert messages.count() == 5  # the first batch, committed; the second rolled back
    told = set(
        Offer.objects.filter(told_at__isnull=False).values_list("personal_number", flat=True)
    )
    assert told == set(messages.values_list("recipient", flat=True))

    monkeypatch.setattr(proactive, "notifications_send_bulk", real)
    resumed = run_execute(run_start(chunk_size=300))
    assert resumed.pk == run.pk and resumed.status == ProactiveRun.Status.DONE
    residents = Offer.objects.values_list("personal_number", flat=True).distinct()
    assert sorted(messages.values_list("recipient", flat=True)) == sorted(residents)
    assert not Offer.objects.filter(told_at__isnull=True).exists()


def test_a_birth_puts_a_child_benefit_offer_in_the_parents_inbox(jurisdiction, settings):
    from civic.exchange.delivery import deliveries_dispatch
    from civic.registers.services import person_birth

    life_events_follow()

    # A household without children: nobody at the mother's address is under 18.
    today = clock.today()
    mother = None
    for residence in Residence.objects.filter(
        recorded_to__isnull=True, valid_to__isnull=True
    ).select_related("person", "address")[:3000]:
        record = PersonRecord.objects.filter(
            person=residence.person, recorded_to__isnull=True
        ).first()
        if (
            record.sex != "F"
            or record.date_of_death
            or not 25 <= (today.year - record.birth_date.year) <= 40
        ):
            continue
        housemates = Residence.objects.filter(
            address=residence.address, recorded_to__isnull=True, valid_to__isnull=True
        ).values("person_id")
        young = PersonRecord.objects.filter(
            person_id__in=housemates,
            recorded_to__isnull=True,
            birth_date__gt=dt.date(today.year - 18, 1, 1),
        )
        if not young.exists():
            mother = residence.person.personal_number
            break
    assert mother
    person_birth(mother=mother, father=None, given_names="Noor", sex="F", born_on=today)
    assert not Offer.objects.filter(personal_number=mother, rule_set="child_benefit").exists()
    assert deliveries_dispatch() >= 1  # the handler subscription, as the delivery thread does
    offer = Offer.objects.get(personal_number=mother, rule_set="child_benefit")
    assert offer.amount > 0
    message = Message.objects.get(recipient=mother, template_code="offers-available")
    assert "Child benefit" in message.body and f"OFFERS-{clock.today().year}" in message.subject
    run = ProactiveRun.objects.get(trigger=ProactiveRun.Trigger.LIFE_EVENT)
    assert run.event == "org.civic.persons.born"
    assert Parentage.objects.filter(parent__personal_number=mother).exists()


def test_a_run_that_fails_is_marked_stopped_with_why_and_resumes_where_it_stopped(
    jurisdiction, monkeypatch
):
    from io import StringIO

    from django.core.management import call_command

    from civic.decisions import proactive_runner

    real, calls = proactive_runner.chunk_evaluate, []

    def fails_on_the_second_chunk(*, chunk_id):
        calls.append(chunk_id)
        if len(calls) == 2:
            raise RuntimeError("the register database went away")
        return real(chunk_id=chunk_id)

    monkeypatch.setattr(proactive_runner, "chunk_evaluate", fails_on_the_second_chunk)
    err = StringIO()
    with pytest.raises(RuntimeError):
        call_command("proactive", "run", "--chunk-size", "300", stderr=err)
    run = ProactiveRun.objects.get()
    total = run.chunks.count()
    assert run.status == ProactiveRun.Status.STOPPED
    assert run.error == "RuntimeError: the register database went away"
    assert f"run {run.pk} stopped with 1 of {total} chunks done (RuntimeError)" in err.getvalue()
    status = StringIO()
    call_command("proactive", "status", stdout=status)
    assert "(started by hand, stopped): " in status.getvalue()
    assert f"1 of {total} chunks done; stopped by RuntimeError" in status.getvalue()

    monkeypatch.setattr(proactive_runner, "chunk_evaluate", real)
    out = StringIO()
    call_command("proactive", "run", "--chunk-size", "300", stdout=out, stderr=StringIO())
    run.refresh_from_db()
    assert (run.status, run.error) == (ProactiveRun.Status.DONE, "")
    assert ProactiveRun.objects.count() == 1  # resumed, not started again
    assert f"run {run.pk} (started by hand, done)" in out.getvalue()
