"""Changes to the base registers after generation: moves, births, deaths, partnerships,
businesses starting and ending. Each keeps the register bitemporal (the open fact is superseded,
never edited) and publishes a CloudEvent on the bus in the same transaction.

Re-exported by registers.services; other apps call them there.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from civic.core import clock, events
from civic.core.errors import CivicError, NotFound
from civic.core.numbers import (
    business_number_clean,
    personal_number_clean,
    personal_numbers_from_prefixes,
)
from civic.registers import sealing
from civic.registers.models import (
    Address,
    Business,
    BusinessRecord,
    Parentage,
    Partnership,
    Person,
    PersonRecord,
    Residence,
)

SOURCE = "/civic/registers"
MOVED, BORN, DIED = "org.civic.persons.moved", "org.civic.persons.born", "org.civic.persons.died"
PARTNERED, PARTNERSHIP_ENDED = "org.civic.persons.partnered", "org.civic.persons.partnership-ended"
BUSINESS_STARTED, BUSINESS_ENDED = "org.civic.businesses.started", "org.civic.businesses.ended"
NAME_CORRECTED = "org.civic.persons.name-corrected"

#: The register and the attributes each event type's data carries, for grants and the log.
EVENT_FIELDS: dict[str, tuple[str, list[str]]] = {
    MOVED: ("persons", ["residence.address", "residence.valid_from"]),
    BORN: ("persons", ["identity.birth_date", "parentage.parent"]),
    DIED: ("persons", ["identity.date_of_death"]),
    PARTNERED: ("persons", ["partnership.partner", "partnership.kind", "partnership.valid_from"]),
    PARTNERSHIP_ENDED: ("persons", ["partnership.partner", "partnership.valid_to"]),
    NAME_CORRECTED: (
        "persons",
        ["identity.given_names", "identity.family_name_prefix", "identity.family_name"],
    ),
    BUSINESS_STARTED: ("businesses", ["registration.name", "registration.valid_from"]),
    BUSINESS_ENDED: ("businesses", ["registration.name", "registration.valid_to"]),
}

CURRENT = Q(recorded_to__isnull=True)
OPEN = Q(valid_to__isnull=True)


def _person(personal_number: str) -> Person:
    number = personal_number_clean(personal_number)
    person = Person.objects.filter(personal_number=number).first()
    if person is None:
        raise NotFound(_("The persons register has no person %(number)s.") % {"number": number})
    return person


def _close(row, *, on: dt.date, now: dt.datetime) -> None:
    """Supersede an open fact with a copy that ends on ``on``."""
    type(row).objects.filter(pk=row.pk).update(recorded_to=now)
    sealing.row_open(row)  # sealed under the old row's id: a copy must be sealed anew
    row.pk = None
    row.valid_to, row.recorded_from, row.recorded_to = on, now, None
    row.save(force_insert=True)
    sealing.row_seal(row)


def _publish(event_type: str, subject: str, data: dict) -> events.Event:
    event = events.Event(
        type=event_type,
        source=f"{SOURCE}/{EVENT_FIELDS[event_type][0]}",
        subject=subject,
        data=data,
    )
    events.publish(event)
    return event


@transaction.atomic
def person_move(*, personal_number: str, address: str, moved_on: dt.date) -> events.Event:
    person, now = _person(personal_number), clock.now()
    new_address = Address.objects.filter(identifier=address).first()
    if new_address is None:
        raise NotFound(
            _("The addresses register has no address %(address)s.") % {"address": address}
        )
    current = Residence.objects.filter(CURRENT, OPEN, person=person).select_for_update().first()
    if current and current.valid_from >= moved_on:
        raise CivicError(
            _("A move must come after the current residence began (%(date)s).")
            % {"date": current.valid_from}
        )
    if current and current.address_id == new_address.pk:
        raise CivicError(_("The person already lives at this address."))
    if current:
        _close(current, on=moved_on, now=now)
    Residence.objects.create(
        person=person, address=new_address, valid_from=moved_on, recorded_from=now
    )
    return _publish(
        MOVED,
        person.personal_number,
        {"residence.address": new_address.identifier, "residence.valid_from": moved_on.isoformat()},
    )


def _new_personal_number() -> str:
    while True:
        prefix = 10_000_000 + secrets.randbelow(90_000_000)
        numbers, usable = personal_numbers_from_prefixes([prefix])
        number = f"{int(numbers[0]):09d}"
        if usable[0] and not Person.objects.filter(personal_number=number).exists():
            return number


@transaction.atomic
def person_birth(
    *, mother: str, father: str | None, given_names: str, sex: str, born_on: dt.date
) -> events.Event:
    """Register a newborn at the mother's address, with the father's family name if known."""
    now = clock.now()
    parents = [_person(mother)] + ([_person(father)] if father else [])
    name_giver = PersonRecord.objects.filter(CURRENT, person=parents[-1]).first()
    home = Residence.objects.filter(CURRENT, OPEN, person=parents[0]).first()
    child = Person.objects.create(personal_number=_new_personal_number())
    child_record = PersonRecord.objects.create(
        person=child,
        given_names=given_names,
        family_name_prefix=name_giver.family_name_prefix,
        family_name=name_giver.family_name,
        birth_date=born_on,
        sex=sex,
        nationality=sealing.value_open(
            PersonRecord, "nationality", name_giver.nationality, name_giver.pk
        ),
        valid_from=born_on,
        recorded_from=now,
    )
    sealing.row_seal(child_record)
    if home:
        Residence.objects.create(
            person=child, address=home.address, valid_from=born_on, recorded_from=now
        )
    for parent in parents:
        Parentage.objects.create(parent=parent, child=child, valid_from=born_on, recorded_from=now)
    return _publish(
        BORN,
        child.personal_number,
        {
            "identity.birth_date": born_on.isoformat(),
            "parentage.parent": [p.personal_number for p in parents],
        },
    )


@transaction.atomic
def person_death(*, personal_number: str, died_on: dt.date) -> events.Event:
    person, now = _person(personal_number), clock.now()
    record = PersonRecord.objects.filter(CURRENT, person=person).select_for_update().first()
    if record.date_of_death:
        raise CivicError(_("The persons register already records this person's death."))
    PersonRecord.objects.filter(pk=record.pk).update(recorded_to=now)
    sealing.row_open(record)
    record.pk, record.date_of_death, record.recorded_from = None, died_on, now
    record.save(force_insert=True)
    sealing.row_seal(record)
    for residence in Residence.objects.filter(CURRENT, OPEN, person=person):
        _close(residence, on=died_on, now=now)
    for partnership in Partnership.objects.filter(CURRENT, OPEN).filter(
        Q(person=person) | Q(partner=person)
    ):
        _close(partnership, on=died_on, now=now)
    return _publish(DIED, person.personal_number, {"identity.date_of_death": died_on.isoformat()})


@transaction.atomic
def partnership_register(
    *, personal_number: str, partner: str, kind: str, since: dt.date
) -> events.Event:
    a, b, now = _person(personal_number), _person(partner), clock.now()
    if Partnership.objects.filter(CURRENT, OPEN, person__in=[a, b]).exists():
        raise CivicError(_("One of the two is already married or in a registered partnership."))
    for x, y in ((a, b), (b, a)):
        Partnership.objects.create(
            person=x, partner=y, kind=kind, valid_from=since, recorded_from=now
        )
    return _publish(
        PARTNERED,
        a.personal_number,
        {
            "partnership.partner": b.personal_number,
            "partnership.kind": kind,
            "partnership.valid_from": since.isoformat(),
        },
    )


@transaction.atomic
def partnership_end(*, personal_number: str, ended_on: dt.date) -> events.Event:
    person, now = _person(personal_number), clock.now()
    rows = list(
        Partnership.objects.filter(CURRENT, OPEN).filter(Q(person=person) | Q(partner=person))
    )
    if not rows:
        raise CivicError(_("This person has no marriage or registered partnership to end."))
    partner = next(r.partner for r in rows if r.person_id == person.pk)
    for row in rows:
        _close(row, on=ended_on, now=now)
    return _publish(
        PARTNERSHIP_ENDED,
        person.personal_number,
        {
            "partnership.partner": partner.personal_number,
            "partnership.valid_to": ended_on.isoformat(),
        },
    )


@transaction.atomic
def business_end(*, registration_number: str, ended_on: dt.date) -> events.Event:
    number, now = business_number_clean(registration_number), clock.now()
    business = Business.objects.filter(registration_number=number).first()
    record = (
        BusinessRecord.objects.filter(CURRENT, OPEN, business=business).first()
        if business
        else None
    )
    if record is None:
        raise NotFound(
            _("The businesses register has no active business %(number)s.") % {"number": number}
        )
    _close(record, on=ended_on, now=now)
    return _publish(
        BUSINESS_ENDED,
        number,
        {"registration.name": record.name, "registration.valid_to": ended_on.isoformat()},
    )


#: "This is wrong" reports a resident may file an hour: each goes to a person at the register's
#: authority, and a script filing twenty a second would bury the real ones.
CORRECTIONS_PER_HOUR = 10


class CorrectionsThrottled(CivicError):
    code = "too-many-corrections"
    status = 429


def _corrections_throttle(filed_by: str, now: dt.datetime) -> None:
    from django.utils import formats, timezone

    from civic.registers.models import CorrectionRequest

    recent = list(
        CorrectionRequest.objects.filter(
            filed_by=filed_by, filed_at__gt=now - dt.timedelta(hours=1)
        )
        .order_by("filed_at")
        .values_list("filed_at", flat=True)[:CORRECTIONS_PER_HOUR]
    )
    if len(recent) >= CORRECTIONS_PER_HOUR:
        again = timezone.localtime(recent[0] + dt.timedelta(hours=1))
        raise CorrectionsThrottled(
            _(
                "You have sent %(count)s reports in the last hour. Each one is checked by a "
                "person at the register's authority; you can send another from %(time)s."
            )
            % {"count": CORRECTIONS_PER_HOUR, "time": formats.time_format(again, "H:i")}
        )


def correction_request_file(
    *,
    personal_number: str,
    filed_by: str,
    register: str,
    attribute: str,
    shown_value: str,
    explanation: str,
):
    """File a "this is wrong" report with the authority that keeps the register."""
    from civic.registers.catalogue import REGISTERS
    from civic.registers.models import CorrectionRequest

    catalogue = REGISTERS.get(register)
    if catalogue is None or attribute.split(":")[0] not in [*catalogue.attribute_names(), "income"]:
        raise CivicError(_("There is no such value to correct."))
    explanation = explanation.strip()
    if not explanation:
        raise CivicError(_("Say what is wrong, and what it should be."))
    _corrections_throttle(personal_number_clean(filed_by), clock.now())
    reference = f"CR-{clock.now():%y%m%d}-{secrets.token_hex(3).upper()}"
    return CorrectionRequest.objects.create(
        reference=reference,
        personal_number=personal_number_clean(personal_number),
        filed_by=personal_number_clean(filed_by),
        register=register,
        attribute=attribute,
        shown_value=shown_value[:300],
        explanation=explanation[:4000],
        authority=catalogue.authority,
        filed_at=clock.now(),
    )


#: What a correction may change on a person's identity record: words written down, not facts
#: with their own event (a birth date, a death, a move).
CORRECTABLE = {"identity.given_names", "identity.family_name_prefix", "identity.family_name"}


@transaction.atomic
def correction_apply(*, reference: str, value: str, authority: str):
    """Apply a correction request of ``authority``'s register as a new version: the current
    identity record is superseded (``recorded_to`` now) by a copy with ``value``, valid over
    the same period; the old version stays, known until now. The request is then corrected."""
    from civic.registers.models import CorrectionRequest

    filed = (
        CorrectionRequest.objects.select_for_update()
        .filter(reference=reference, authority=authority)
        .first()
    )
    if filed is None:
        raise NotFound(_("There is no such correction request."))
    if filed.status != CorrectionRequest.Status.RECEIVED:
        raise CivicError(_("This correction request has been handled already."))
    value = value.strip()
    if filed.attribute not in CORRECTABLE or not value or len(value) > 200:
        raise CivicError(_("This value cannot be corrected here; the authority corrects it."))
    person, now = _person(filed.personal_number), clock.now()
    current = PersonRecord.objects.filter(CURRENT, OPEN, person=person).select_for_update().first()
    if current is None:
        raise NotFound(_("The person has no current record to correct."))
    PersonRecord.objects.filter(pk=current.pk).update(recorded_to=now)
    sealing.row_open(current)  # sealed under the old row's id: the copy must be sealed anew
    current.pk, current.recorded_from, current.recorded_to = None, now, None
    setattr(current, filed.attribute.split(".", 1)[1], value)
    current.save(force_insert=True)
    sealing.row_seal(current)
    filed.status = CorrectionRequest.Status.CORRECTED
    filed.save(update_fields=["status"])
    # Subscribers hear of the new name as of any other change; the event carries the whole
    # name as it now stands, so a subscriber never has to ask which part changed.
    _publish(
        NAME_CORRECTED,
        person.personal_number,
        {
            "identity.given_names": current.given_names,
            "identity.family_name_prefix": current.family_name_prefix,
            "identity.family_name": current.family_name,
        },
    )
    return filed
