"""Bitemporal questions: where did a person live on a date, as the register knew it then?"""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from civic.registers.models import Residence
from civic.registers.selectors import address_at, person_record_at


def a_late_registered_move():
    """A move registered a day or more after it happened, and the stay it ended."""
    for new in (
        Residence.objects.filter(recorded_to__isnull=True).select_related("person").order_by("id")
    ):
        if (new.recorded_from.date() - new.valid_from).days < 1:
            continue
        old = Residence.objects.filter(
            person=new.person, recorded_to__isnull=True, valid_to=new.valid_from
        ).first()
        if old:
            return new, old
    raise AssertionError("the test jurisdiction has no late-registered move")


def test_before_a_move_was_registered_the_register_still_gave_the_old_address(jurisdiction):
    new, old = a_late_registered_move()
    number = new.person.personal_number
    moved_on = new.valid_from
    just_before = new.recorded_from - dt.timedelta(seconds=1)
    just_after = new.recorded_from + dt.timedelta(seconds=1)
    assert (
        address_at(personal_number=number, valid_at=moved_on, known_at=just_before) == old.address
    )
    assert address_at(personal_number=number, valid_at=moved_on, known_at=just_after) == new.address
    # And the day before the move, the old address holds whatever the register knew.
    day_before = moved_on - dt.timedelta(days=1)
    assert (
        address_at(personal_number=number, valid_at=day_before, known_at=just_after) == old.address
    )


def test_a_superseded_version_keeps_what_the_register_said_at_the_time(jurisdiction):
    superseded = Residence.objects.filter(recorded_to__isnull=False, valid_to__isnull=True).first()
    assert superseded is not None
    closed = Residence.objects.get(
        person=superseded.person,
        address=superseded.address,
        valid_from=superseded.valid_from,
        recorded_from=superseded.recorded_to,
    )
    assert closed.valid_to is not None


def test_a_death_appears_only_from_its_registration(jurisdiction):
    from civic.registers.models import PersonRecord

    record = (
        PersonRecord.objects.filter(recorded_to__isnull=True, date_of_death__isnull=False)
        .filter(recorded_from__gt=F("valid_from"))
        .select_related("person")
        .first()
    )
    number = record.person.personal_number
    before = person_record_at(
        personal_number=number, known_at=record.recorded_from - dt.timedelta(seconds=1)
    )
    after = person_record_at(personal_number=number, known_at=record.recorded_from)
    assert before.date_of_death is None
    assert after.date_of_death == record.date_of_death


def test_nobody_lived_anywhere_before_the_register_knew_of_them(jurisdiction):
    someone = Residence.objects.filter(recorded_to__isnull=True).select_related("person").first()
    long_ago = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    assert (
        address_at(
            personal_number=someone.person.personal_number,
            valid_at=someone.valid_from,
            known_at=long_ago,
        )
        is None
    )
