"""The one path to personal data: exactly what the grant allows, refused whole otherwise, and
never released without its access-log entry."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.core import clock
from civic.exchange import errors, services
from civic.exchange.actors import Actor
from civic.exchange.models import AccessLogEntry, LegalGround
from civic.exchange.pseudonyms import person_pseudonym
from civic.exchange.query import persons_search, register_query
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff
from tests.exchange.builders import PERSON_FIELDS, create_partner, create_purpose


def query(actor, purpose, subjects, fields=None, **extra):
    return register_query(
        actor=actor,
        register="persons",
        subjects=subjects,
        fields=fields or PERSON_FIELDS,
        purpose=purpose.code,
        **extra,
    )


def test_a_partner_gets_exactly_the_fields_it_asked_for_plus_the_confidentiality_flag(db):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    number = a_registered_resident()
    answer = query(actor, purpose, [number], ["identity.birth_date", "residence.address"])
    records = answer["results"][0]["records"]
    assert answer["results"][0]["subject"] == number
    assert set(records) == {"identity", "residence"}
    assert set(records["identity"]) == {"birth_date", "confidential"}
    assert set(records["residence"]) == {"address"} and len(records["residence"]["address"]) == 16


def test_every_released_subject_has_one_committed_log_entry_with_no_personal_number_in_it(db):
    purpose = create_purpose()
    client, _, actor = create_partner(purpose=purpose)
    number = a_registered_resident()
    answer = query(actor, purpose, [number, number], case="case-77")
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == 1 == len(answer["results"])
    entry = entries[0]
    assert entry.subject == person_pseudonym(number)
    assert entry.actor == client.client_id and entry.agency == "social-insurance-bank"
    assert entry.purpose == purpose.code and entry.legal_basis == purpose.legal_basis
    assert (
        entry.fields
        == "identity.birth_date,identity.confidential,identity.family_name,identity.given_names,residence.address"
    )
    assert (
        entry.case == "case-77" and entry.kind == "lookup" and entry.trace_id == answer["trace_id"]
    )
    for value in vars(entry).values():
        assert number not in str(value)


def test_a_field_outside_the_grant_refuses_the_whole_request_naming_the_field(db):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    with pytest.raises(errors.NotGranted) as refusal:
        query(
            actor,
            purpose,
            [a_registered_resident()],
            ["identity.given_names", "identity.nationality"],
        )
    assert refusal.value.items == ["identity.nationality"] and refusal.value.status == 403
    assert not AccessLogEntry.objects.exists()


def test_a_purpose_the_partner_holds_no_grant_for_is_refused(db):
    granted, other = create_purpose(), create_purpose()
    _, _, actor = create_partner(purpose=granted)
    with pytest.raises(errors.NotGranted) as refusal:
        query(actor, other, [a_registered_resident()])
    assert refusal.value.items == [other.code]


def test_a_revoked_or_expired_grant_no_longer_opens_the_door(db):
    from civic.exchange.models import Grant

    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    grant = Grant.objects.get(purpose=purpose)
    services.grant_revoke(grant=grant)
    with pytest.raises(errors.NotGranted):
        query(actor, purpose, [a_registered_resident()])
    Grant.objects.filter(pk=grant.pk).update(
        revoked_at=None, valid_until=clock.now() - dt.timedelta(days=1)
    )
    with pytest.raises(errors.NotGranted):
        query(actor, purpose, [a_registered_resident()])


@pytest.mark.parametrize(
    ("register", "fields", "purpose", "subjects", "error", "item"),
    [
        ("taxes", ["identity.given_names"], None, None, errors.UnknownRegister, "taxes"),
        ("persons", ["identity.shoe_size"], None, None, errors.UnknownField, "identity.shoe_size"),
        ("persons", None, "no-such-purpose", None, errors.UnknownPurpose, "no-such-purpose"),
        ("persons", None, None, ["111222334"], errors.BadSubjects, "111222334"),
    ],
)
def test_unknown_registers_fields_purposes_and_malformed_ids_are_named(
    db, register, fields, purpose, subjects, error, item
):
    granted = create_purpose()
    _, _, actor = create_partner(purpose=granted)
    with pytest.raises(error) as refusal:
        register_query(
            actor=actor,
            register=register,
            subjects=subjects or [a_registered_resident()],
            fields=fields or PERSON_FIELDS,
            purpose=purpose or granted.code,
        )
    assert refusal.value.items == [item] and refusal.value.status == 400
    assert not AccessLogEntry.objects.exists()


def test_more_than_twenty_subjects_or_no_fields_are_refused(db):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    from civic.registers.models import Person

    many = list(Person.objects.values_list("personal_number", flat=True)[:21])
    with pytest.raises(errors.BadSubjects, match="at most 20"):
        query(actor, purpose, many)
    with pytest.raises(errors.UnknownField, match="Name the fields"):
        register_query(
            actor=actor, register="persons", subjects=many[:1], fields=[], purpose=purpose.code
        )


def test_an_unknown_subject_is_a_404_and_releases_nothing_about_the_others(db):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    from tests.identity.builders import an_unregistered_personal_number

    nobody = an_unregistered_personal_number()
    with pytest.raises(errors.SubjectNotFound) as refusal:
        query(actor, purpose, [a_registered_resident(), nobody])
    assert refusal.value.items == [nobody] and refusal.value.status == 404
    assert not AccessLogEntry.objects.exists()


def test_if_the_log_cannot_be_written_nothing_is_released(db, monkeypatch):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)

    def broken(*args, **kwargs):
        raise RuntimeError("log storage unavailable")

    monkeypatch.setattr("civic.exchange.entries.entries_insert", broken)
    with pytest.raises(RuntimeError):
        query(actor, purpose, [a_registered_resident()])


def test_a_consent_purpose_needs_the_residents_consent_and_a_withdrawal_stops_the_next_query(db):
    purpose = create_purpose(legal_ground=LegalGround.CONSENT)
    _, _, actor = create_partner(purpose=purpose)
    number = a_registered_resident()
    with pytest.raises(errors.NoConsent) as refusal:
        query(actor, purpose, [number])
    assert refusal.value.items == [number]
    first = services.consent_give(personal_number=number, purpose=purpose)
    assert query(actor, purpose, [number])["results"]
    services.consent_withdraw(personal_number=number, purpose=purpose)
    with pytest.raises(errors.NoConsent):
        query(actor, purpose, [number])
    second = services.consent_give(personal_number=number, purpose=purpose)
    first.refresh_from_db()
    assert second.pk != first.pk and first.withdrawn_at is not None
    assert query(actor, purpose, [number])["results"]


def test_staff_read_through_their_roles_grant_and_staff_of_another_agency_cannot(db):
    purpose = create_purpose()
    agency = agency_get(code="havenstad")
    services.grant_create(
        purpose=purpose,
        register="persons",
        attributes=PERSON_FIELDS,
        staff_role=Role.CASEWORKER,
        agency=agency,
    )
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=agency)
    elsewhere = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="tax-administration"))
    number = a_registered_resident()
    assert query(Actor.staff(caseworker), purpose, [number])["results"]
    with pytest.raises(errors.NotGranted):
        query(Actor.staff(elsewhere), purpose, [number])
    entry = AccessLogEntry.objects.get()
    assert (
        entry.actor_kind == "staff"
        and entry.actor == str(caseworker.pk)
        and entry.agency == "havenstad"
    )


def test_a_background_job_reads_under_its_own_grant_and_is_logged_as_a_job(db):
    purpose = create_purpose()
    services.grant_create(
        purpose=purpose,
        register="persons",
        attributes=PERSON_FIELDS,
        job="proactive-run",
        agency=agency_get(code="havenstad"),
    )
    query(Actor.job("proactive-run", agency="havenstad"), purpose, [a_registered_resident()])
    assert AccessLogEntry.objects.get().actor_kind == "job"


def test_a_resident_reads_only_their_own_data_under_the_own_data_purpose(db, settings):
    own = create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    answer = query(Actor.resident(number), own, [number])
    assert answer["results"][0]["subject"] == number
    from civic.registers.models import Person

    someone_else = (
        Person.objects.exclude(personal_number=number)
        .values_list("personal_number", flat=True)
        .first()
    )
    with pytest.raises(errors.NotGranted):
        query(Actor.resident(number), own, [someone_else])
    assert AccessLogEntry.objects.get().actor == person_pseudonym(number)


def test_history_questions_get_the_answer_the_register_gave_then(db):
    from tests.registers.test_bitemporal import a_late_registered_move

    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    new, old = a_late_registered_move()
    number = new.person.personal_number
    before = query(
        actor,
        purpose,
        [number],
        ["residence.address"],
        valid_at=new.valid_from,
        known_at=new.recorded_from - dt.timedelta(seconds=1),
    )
    after = query(
        actor,
        purpose,
        [number],
        ["residence.address"],
        valid_at=new.valid_from,
        known_at=new.recorded_from + dt.timedelta(seconds=1),
    )
    assert before["results"][0]["records"]["residence"]["address"] == old.address.identifier
    assert after["results"][0]["records"]["residence"]["address"] == new.address.identifier


def test_a_search_by_name_and_birth_date_is_logged_as_a_search(db):
    from civic.registers.selectors import person_record_at

    purpose = create_purpose()
    _, _, actor = create_partner(purpose=purpose)
    record = person_record_at(personal_number=a_registered_resident())
    answer = persons_search(
        actor=actor,
        fields=PERSON_FIELDS,
        purpose=purpose.code,
        family_name=record.family_name,
        birth_date=record.birth_date,
    )
    assert a_registered_resident() in [r["subject"] for r in answer["results"]]
    assert set(AccessLogEntry.objects.values_list("kind", flat=True)) == {"search"}


def test_a_search_under_a_purpose_without_a_grant_is_refused_even_when_nothing_matches(db):
    purpose = create_purpose()
    _, _, actor = create_partner(purpose=None)
    with pytest.raises(errors.NotGranted):
        persons_search(
            actor=actor,
            fields=PERSON_FIELDS,
            purpose=purpose.code,
            family_name="Nobody",
            birth_date=dt.date(1900, 1, 1),
        )
