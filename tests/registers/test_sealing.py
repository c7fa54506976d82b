"""Encrypted register fields: sealed at rest under the current key, opened by the exchange
with their row as associated data, re-encrypted in the background while reads go on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from civic.compliance.retention import services
from civic.core.fieldcrypt import FieldDecryptError, is_sealed, key_id_of
from civic.core.fieldkeys.registry import source_reset
from civic.exchange.query import register_query
from civic.registers import changes
from civic.registers.catalogue import REGISTERS, Classification
from civic.registers.models import Income, PersonRecord
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose

FIELDS = ["identity.nationality", "identity.family_name"]


@pytest.fixture
def encryption(settings, tmp_path):
    settings.FIELD_KEYS = "keyfile"
    settings.FIELD_KEY_FILE = str(tmp_path / "field-keys.json")
    source_reset()
    yield
    source_reset()


def rotate(*, new_key: bool = False, chunk: int = 5_000):
    rotation = services.key_rotation_start(new_key=new_key)
    return services.key_rotation_continue(rotation_id=rotation.pk, chunk=chunk)


def stored(model, row_id: int, column: str) -> str:
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [row_id])  # noqa: S608
        return cursor.fetchone()[0]


def ask(number: str, fields=FIELDS):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose, attributes=fields)
    answer = register_query(
        actor=actor, register="persons", subjects=[number], fields=fields, purpose=purpose.code
    )
    return answer["results"][0]["records"]["identity"]


def current_record(number: str) -> PersonRecord:
    return PersonRecord.objects.filter(person__personal_number=number, recorded_to=None).latest(
        "valid_from"
    )


def test_the_catalogue_names_every_sensitive_value_encrypted_or_says_why_it_is_clear():
    for register in REGISTERS.values():
        for record in register.records:
            for a in record.attributes:
                if a.classification in (Classification.SENSITIVE, Classification.SPECIAL_CATEGORY):
                    assert (
                        a.encrypted or a.stored_clear or a.type in ("reference", "date", "datetime")
                    )
    encrypted = {
        f"{r.key}.{record.key}.{a.name}"
        for r in REGISTERS.values()
        for record in r.records
        for a in record.attributes
        if a.encrypted
    }
    assert encrypted == {
        "persons.identity.nationality",
        "income.income.source",
        "income.income.amount",
    }


def test_after_sealing_the_database_holds_ciphertext_and_the_exchange_releases_clear_values(
    db, encryption
):
    number = a_registered_resident()
    record = current_record(number)
    clear = record.nationality
    rotation = rotate()
    assert rotation.status == "done"
    assert rotation.progress["PersonRecord"]["sealed"] == PersonRecord.objects.count()
    raw = stored(PersonRecord, record.pk, "nationality")
    assert is_sealed(raw) and clear not in raw and key_id_of(raw) == "k1"
    assert ask(number)["nationality"] == clear
    income = Income.objects.filter(person__personal_number=number).first()
    assert is_sealed(stored(Income, income.pk, "source"))


def test_a_ciphertext_copied_into_another_persons_row_is_not_released(db, encryption):
    number = a_registered_resident()
    rotate()
    mine = current_record(number)
    other = PersonRecord.objects.exclude(person=mine.person).filter(recorded_to=None).first()
    PersonRecord.objects.filter(pk=mine.pk).update(
        nationality=stored(PersonRecord, other.pk, "nationality")
    )
    with pytest.raises(FieldDecryptError, match=f"row {mine.pk} does not open"):
        ask(number)


def test_a_tampered_ciphertext_or_a_wrong_key_file_is_not_released(
    db, encryption, settings, tmp_path
):
    number = a_registered_resident()
    rotate()
    record = current_record(number)
    raw = stored(PersonRecord, record.pk, "nationality")
    PersonRecord.objects.filter(pk=record.pk).update(nationality=raw[:-3] + "AAA")
    with pytest.raises(FieldDecryptError, match="tampered"):
        ask(number)
    PersonRecord.objects.filter(pk=record.pk).update(nationality=raw)
    settings.FIELD_KEY_FILE = str(tmp_path / "another-installations-keys.json")
    source_reset()
    with pytest.raises(FieldDecryptError, match="wrong key"):
        ask(number)


def test_a_rotation_re_encrypts_under_the_new_key_in_resumable_chunks_while_reads_go_on(
    db, encryption
):
    number = a_registered_resident()
    clear = current_record(number).nationality
    rotate()
    rotation = services.key_rotation_start(new_key=True)
    assert rotation.key_id == "k2"
    halfway = services.key_rotation_continue(rotation_id=rotation.pk, chunk=500, max_chunks=3)
    scanned = sum(table["scanned"] for table in halfway.progress.values())
    assert halfway.status == "running" and scanned == 1_500
    assert ask(number)["nationality"] == clear  # some rows under k1, some under k2
    resumed = services.key_rotation_start(new_key=False)
    assert resumed.pk == rotation.pk  # picks up where it stopped
    done = services.key_rotation_continue(rotation_id=resumed.pk, chunk=5_000)
    assert done.status == "done"
    assert done.progress["PersonRecord"]["scanned"] == PersonRecord.objects.count()
    with connection.cursor() as cursor:
        cursor.execute('SELECT nationality FROM "registers_personrecord"')
        assert {key_id_of(value) for (value,) in cursor.fetchall()} == {"k2"}
    assert ask(number)["nationality"] == clear


def test_a_register_change_copies_a_sealed_row_under_its_new_id(db, encryption):
    number = a_registered_resident()
    clear = current_record(number).nationality
    rotate()
    changes.person_death(personal_number=number, died_on=dt.date(2026, 11, 1))
    record = current_record(number)
    assert record.date_of_death == dt.date(2026, 11, 1)
    assert is_sealed(stored(PersonRecord, record.pk, "nationality"))
    assert ask(number)["nationality"] == clear


def test_rotation_is_refused_while_encryption_is_off(db, settings):
    settings.FIELD_KEYS = "off"
    source_reset()
    with pytest.raises(Exception, match="CIVIC_FIELD_KEYS"):
        services.key_rotation_start(new_key=False)


def test_a_background_rotation_runs_as_celery_tasks_to_the_end(db, encryption):
    from civic.compliance.retention.tasks import key_rotation_task

    rotation = services.key_rotation_start(new_key=False)
    assert key_rotation_task.apply(args=[rotation.pk]).get() == "done"
    rotation.refresh_from_db()
    assert rotation.progress["Income"]["scanned"] == Income.objects.count()


def test_a_jurisdiction_generated_with_a_key_configured_is_sealed_before_it_commits(db, encryption):
    from civic.registers.services import jurisdiction_generate

    made = jurisdiction_generate(residents=100, seed=5, until=dt.date(2026, 11, 30), replace=True)

    values = {
        column: [stored(model, pk, column) for pk in model.objects.values_list("pk", flat=True)]
        for model, column in ((PersonRecord, "nationality"), (Income, "source"))
    }
    assert values["nationality"] and values["source"]
    assert all(is_sealed(v) for vs in values.values() for v in vs if v is not None)
    assert made.summary["sealed"] == sum(len([v for v in vs if v]) for vs in values.values())
    number = PersonRecord.objects.filter(recorded_to=None).first().person.personal_number
    assert ask(number)["nationality"], "the exchange opens what the generator sealed"


def test_sealed_income_amounts_are_added_up_for_the_proactive_runs_as_before(db, encryption):
    """The proactive runs add each resident's incomes up: once the amounts are ciphertext they
    are opened row by row, and every resident's total and 'income known' stay as they were."""
    from tests.decisions.builders import everyone_read

    def everyone():
        population = everyone_read()
        return dict(
            zip(
                population.personal_numbers.tolist(),
                zip(population.income.tolist(), population.income_known.tolist(), strict=True),
                strict=True,
            )
        )

    before = everyone()
    assert sum(income for income, _known in before.values()) > 0
    rotate()
    amounts = [stored(Income, pk, "amount") for pk in Income.objects.values_list("pk", flat=True)]
    assert amounts and all(is_sealed(value) for value in amounts)
    assert everyone() == before


def test_an_income_amount_reads_back_as_a_number_and_a_loss_stays_negative(db, encryption):
    number = a_registered_resident()
    income = Income.objects.filter(person__personal_number=number).first()
    Income.objects.filter(pk=income.pk).update(amount=-1250)
    assert Income.objects.get(pk=income.pk).amount == -1250  # clear: a number
    rotate()
    assert is_sealed(Income.objects.get(pk=income.pk).amount)  # sealed: only the reader opens it
    purpose = create_purpose()
    fields = ["income.amount", "income.year"]
    _, _, actor = create_partner(purpose=purpose, register="income", attributes=fields)
    answer = register_query(
        actor=actor, register="income", subjects=[number], fields=fields, purpose=purpose.code
    )
    amounts = [row["amount"] for row in answer["results"][0]["records"]["income"]]
    assert -1250 in amounts and all(isinstance(a, int) for a in amounts)
