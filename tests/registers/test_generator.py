"""The synthetic jurisdiction: reproducible, valid, refuses to mix, all or nothing."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic.core.numbers import business_number_is_valid, personal_number_is_valid
from civic.registers import services
from civic.registers.jurisdiction.writer import BulkWriter
from civic.registers.models import Business, Income, Jurisdiction, Person, Residence
from tests.conftest import TEST_UNTIL


def fingerprint() -> str:
    digest = hashlib.sha256()
    for row in Person.objects.order_by("id").values_list("id", "personal_number"):
        digest.update(repr(row).encode())
    for row in Residence.objects.order_by("id").values_list(
        "person_id", "address_id", "valid_from", "valid_to", "recorded_from"
    ):
        digest.update(repr(row).encode())
    for row in Income.objects.order_by("person_id", "year", "source", "recorded_from").values_list(
        "person_id", "year", "source", "amount"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_same_seed_and_date_give_the_same_jurisdiction(db):
    services.jurisdiction_generate(residents=800, seed=42, until=TEST_UNTIL, replace=True)
    first = fingerprint()
    services.jurisdiction_generate(residents=800, seed=42, until=TEST_UNTIL, replace=True)
    assert fingerprint() == first
    services.jurisdiction_generate(residents=800, seed=43, until=TEST_UNTIL, replace=True)
    assert fingerprint() != first


def test_every_generated_personal_number_passes_its_check(jurisdiction):
    numbers = list(Person.objects.values_list("personal_number", flat=True))
    assert len(numbers) == jurisdiction.summary["persons"]
    assert len(set(numbers)) == len(numbers)
    assert all(personal_number_is_valid(n) for n in numbers)


def test_every_generated_business_number_passes_its_check(jurisdiction):
    numbers = list(Business.objects.values_list("registration_number", flat=True))
    assert len(numbers) == jurisdiction.summary["businesses"] > 0
    assert len(set(numbers)) == len(numbers)
    assert all(business_number_is_valid(n) for n in numbers)


def test_generating_into_a_database_that_holds_a_jurisdiction_asks_for_replace(jurisdiction):
    before = Person.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        call_command("jurisdiction", "generate", "--residents", "500", "--quiet", stdout=StringIO())
    assert Person.objects.count() == before
    assert Jurisdiction.objects.get().seed == jurisdiction.seed


def test_a_generation_that_fails_part_way_leaves_the_database_as_it_was(jurisdiction, monkeypatch):
    before = (Person.objects.count(), Residence.objects.count(), Income.objects.count())
    original = BulkWriter.write

    def fail_on_income(self, model, columns):
        if model is Income:
            raise RuntimeError("disk full")
        return original(self, model, columns)

    monkeypatch.setattr(BulkWriter, "write", fail_on_income)
    with pytest.raises(RuntimeError, match="disk full"):
        services.jurisdiction_generate(residents=500, seed=99, until=TEST_UNTIL, replace=True)
    assert (Person.objects.count(), Residence.objects.count(), Income.objects.count()) == before
    assert Jurisdiction.objects.get().seed == jurisdiction.seed


@pytest.mark.parametrize("residents", ["0", "50", "20000000"])
def test_an_impossible_number_of_residents_is_refused_with_a_message(db, residents):
    with pytest.raises(CommandError, match="residents"):
        call_command(
            "jurisdiction",
            "generate",
            "--residents",
            residents,
            "--replace",
            "--quiet",
            stdout=StringIO(),
        )


def test_the_command_reports_what_it_generated(db):
    out = StringIO()
    call_command(
        "jurisdiction",
        "generate",
        "--residents",
        "600",
        "--seed",
        "3",
        "--until",
        "2026-11-30",
        "--replace",
        "--quiet",
        stdout=out,
    )
    assert "600 residents" in out.getvalue()
    assert Jurisdiction.objects.get().residents == 600


def test_a_history_ending_on_29_february_starts_on_28_february_ten_years_before(db):
    import datetime as dt

    jurisdiction = services.jurisdiction_generate(
        residents=300, seed=5, until=dt.date(2028, 2, 29), replace=True
    )
    assert jurisdiction.history_from == dt.date(2018, 2, 28)
    assert jurisdiction.history_until == dt.date(2028, 2, 29)
