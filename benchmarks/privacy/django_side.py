"""The privacy benchmark's Django side, run in a ``civic shell`` (``django_call.ask``): a
resident given ``cases`` cases and ``entries`` access-log entries, then their complete export
(``civic.compliance.export``) made and timed, as `civic privacy export` and the download make it."""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
from typing import Any

BATCH = 2_000


def seed(spec: dict[str, Any]) -> dict[str, Any]:
    """The demo resident with ``cases`` cases (each with its opened and decided events and a
    decision) and ``entries`` log entries about them. In bulk: the services open one case at
    a time with its receipt PDF, which would time the seeding, not the export."""
    from django.db import transaction

    from civic.cases.models import Case, CaseEvent, CaseType, Decision
    from civic.core import clock
    from civic.exchange.models import AccessLogEntry
    from civic.exchange.pseudonyms import person_pseudonym
    from civic.registers.selectors import demo_resident_personal_number

    number = demo_resident_personal_number()
    case_type = CaseType.objects.get(code="parking-permit")
    now = clock.now()
    with transaction.atomic():
        Case.objects.bulk_create(
            [
                Case(
                    reference=f"BENCH-{i:06d}",
                    case_type=case_type,
                    agency=case_type.agency,
                    subject=number,
                    applicant=number,
                    state="decided",
                    opened_at=now - dt.timedelta(days=i),
                    deadline=(now - dt.timedelta(days=i)).date() + dt.timedelta(days=56),
                    closed_at=now - dt.timedelta(days=i, hours=-1),
                    team="Parking",
                )
                for i in range(spec["cases"])
            ],
            batch_size=BATCH,
        )
        cases = list(Case.objects.filter(reference__startswith="BENCH-"))
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(case=case, at=case.opened_at, kind=kind, to_state=state)
                for case in cases
                for kind, state in (("opened", "received"), ("decided", "decided"))
            ],
            batch_size=BATCH,
        )
        Decision.objects.bulk_create(
            [
                Decision(
                    case=case,
                    outcome="granted",
                    reasons="You live in the permit area.",
                    decided_by="benchmark",
                    decided_at=case.closed_at,
                )
                for case in cases
            ],
            batch_size=BATCH,
        )
        me = person_pseudonym(number)
        AccessLogEntry.objects.bulk_create(
            [
                AccessLogEntry(
                    at=now - dt.timedelta(minutes=i),
                    actor_kind="staff",
                    actor="1",
                    agency="havenstad",
                    purpose="apply-parking-permit",
                    legal_ground="public_task",
                    legal_basis="Parkeerverordening Havenstad 2024, art. 3",
                    register="persons",
                    subject=me,
                    fields="identity.family_name,identity.given_names,residence.address",
                    case=f"BENCH-{i % max(1, spec['cases']):06d}",
                    trace_id=f"{i:032x}",
                    visible_from=now - dt.timedelta(minutes=i),
                )
                for i in range(spec["entries"])
            ],
            batch_size=BATCH,
        )
    holdings(number, spec)
    return {"personal_number": number}


def holdings(number: str, spec: dict[str, Any]) -> None:
    """What the export grew to hold besides cases and the log: a register history (corrected
    names, earlier addresses), vehicles and business roles held now and ended, unsent drafts,
    ``files`` uploaded files of ``file_kib`` KiB (base64 in the export), and consents."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from civic.core import clock
    from civic.exchange.models import Purpose
    from civic.exchange.services import consent_give
    from civic.forms.models import Draft, FormVersion, Upload
    from civic.registers import models as m

    person = m.Person.objects.get(personal_number=number)
    now, history = clock.now(), spec.get("history", 0)
    with transaction.atomic():
        current = m.PersonRecord.objects.filter(person=person, recorded_to__isnull=True).first()
        versions = []
        for i in range(history):  # each an earlier version, superseded by the next
            version = m.PersonRecord.objects.get(pk=current.pk)
            version.pk = None
            version.given_names = f"{current.given_names} ({i})"
            version.recorded_from = now - dt.timedelta(days=4000 - i * 10)
            version.recorded_to = now - dt.timedelta(days=3990 - i * 10)
            versions.append(version)
        m.PersonRecord.objects.bulk_create(versions)
        addresses = list(m.Address.objects.order_by("id")[: max(history, 1)])
        m.Residence.objects.bulk_create(
            [
                m.Residence(
                    person=person,
                    address=address,
                    valid_from=dt.date(1990, 1, 1) + dt.timedelta(days=100 * i),
                    valid_to=dt.date(1990, 1, 1) + dt.timedelta(days=100 * i + 99),
                    recorded_from=now - dt.timedelta(days=9000 - 100 * i),
                )
                for i, address in enumerate(addresses[:history])
            ]
        )
        vehicles = list(m.Vehicle.objects.order_by("-id")[: 2 * spec.get("vehicles", 0)])
        m.VehicleOwnership.objects.bulk_create(
            [
                m.VehicleOwnership(
                    vehicle=vehicle,
                    owner=person,
                    valid_from=dt.date(2010, 1, 1),
                    # Half still owned, half sold.
                    valid_to=dt.date(2015, 1, 1) if i % 2 else None,
                    recorded_from=now - dt.timedelta(days=5000),
                )
                for i, vehicle in enumerate(vehicles)
            ]
        )
        m.BusinessRole.objects.bulk_create(
            [
                m.BusinessRole(
                    business=business,
                    person=person,
                    role="representative",
                    valid_from=dt.date(2012, 1, 1),
                    valid_to=dt.date(2018, 1, 1) if i % 2 else None,
                    recorded_from=now - dt.timedelta(days=5000),
                )
                for i, business in enumerate(
                    m.Business.objects.order_by("id")[: spec.get("businesses", 0)]
                )
            ]
        )
        published = list(FormVersion.objects.filter(published_at__isnull=False))
        drafts = Draft.objects.bulk_create(
            [
                Draft(
                    version=published[i % len(published)],
                    applicant=number,
                    subject=number,
                    answers={"note": f"draft {i} " + "x" * 200},
                    step="start",
                )
                for i in range(spec.get("drafts", 0))
            ]
        )
    content = bytes(range(256)) * (4 * spec.get("file_kib", 0))
    for i in range(spec.get("files", 0)):
        Upload.objects.create(
            draft=drafts[i % len(drafts)],
            field="proof",
            file=ContentFile(content, name=f"proof-{i}.pdf"),
            name=f"proof-{i}.pdf",
            content_type="application/pdf",
            size=len(content),
            scan="clean",
        )
    # The demo has no purpose resting on consent; a consent record is the same row whatever
    # the purpose's ground, and the export lists it the same way.
    for purpose in Purpose.objects.order_by("code")[: spec.get("consents", 0)]:
        consent_give(personal_number=number, purpose=purpose)


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """The export made ``repeats`` times: seconds of each, its size, and what it held."""
    import json

    from civic.compliance.export import person_export_json

    times, data = [], b""
    for _ in range(spec["repeats"]):
        began = time.perf_counter()
        data = person_export_json(personal_number=spec["personal_number"])
        times.append(time.perf_counter() - began)
    # Memory in one more run of its own: tracing every allocation makes Python some ten times
    # slower, which timed runs must not pay.
    tracemalloc.start()
    person_export_json(personal_number=spec["personal_number"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    export = json.loads(data)
    registers = export["registers"]
    return {
        "seconds": sorted(times),
        "bytes": len(data),
        "peak_mib": peak / 2**20,
        "cases": len(export["cases"]["about_you"]),
        "log_entries": len(export["access_log"]),
        "name_versions": len(registers.get("persons", {}).get("identity", [])),
        "addresses": len(registers.get("addresses", {})),
        "vehicles": len(registers.get("vehicles", {})),
        "businesses": len(registers.get("businesses", {})),
        "drafts": len(export["drafts"]["about_you"]),
        "files": len(export["files"]),
        "consents": len(export["consents"]),
    }
