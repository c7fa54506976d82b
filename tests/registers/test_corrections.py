"""A correction of a person's name (art. 16 GDPR): the new version is sealed like every other
copy of a sealed row, so the person stays readable and a key rotation finishes, and subscribers
hear of the new name as of any other register change."""

from __future__ import annotations

from civic.core.fieldcrypt import is_sealed
from civic.exchange import services as exchange
from civic.exchange.models import Delivery
from civic.registers import changes
from civic.registers.models import PersonRecord
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose
from tests.registers.test_sealing import ask, current_record, encryption, rotate, stored  # noqa: F401

NAME_FIELDS = ["identity.given_names", "identity.family_name_prefix", "identity.family_name"]


def correct_family_name(number: str, value: str):
    filed = changes.correction_request_file(
        personal_number=number,
        filed_by=number,
        register="persons",
        attribute="identity.family_name",
        shown_value="",
        explanation="My family name is spelled wrongly.",
    )
    return changes.correction_apply(
        reference=filed.reference, value=value, authority=filed.authority
    )


def test_a_corrected_person_with_sealed_fields_stays_readable(db, encryption):  # noqa: F811
    number = a_registered_resident()
    clear = current_record(number).nationality
    rotate()
    correct_family_name(number, "Newname")
    record = current_record(number)
    assert record.family_name == "Newname"
    assert is_sealed(stored(PersonRecord, record.pk, "nationality"))
    answer = ask(number)
    assert (answer["nationality"], answer["family_name"]) == (clear, "Newname")


def test_a_key_rotation_finishes_after_a_correction(db, encryption):  # noqa: F811
    number = a_registered_resident()
    clear = current_record(number).nationality
    rotate()
    correct_family_name(number, "Newname")
    rotation = rotate(new_key=True)
    assert rotation.status == "done"
    assert ask(number)["nationality"] == clear


def test_subscribers_hear_of_the_corrected_name(db):
    purpose = create_purpose(code="name-updates")
    client, _, _ = create_partner(purpose=purpose, attributes=NAME_FIELDS)
    exchange.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[changes.NAME_CORRECTED],
        api_client=client,
        url="https://partner.example/civic-events",
    )
    number = a_registered_resident()
    correct_family_name(number, "Newname")
    delivery = Delivery.objects.get(event_type=changes.NAME_CORRECTED)
    assert delivery.payload["data"]["identity.family_name"] == "Newname"
    assert delivery.payload["data"]["identity.given_names"] == current_record(number).given_names
