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
    return {"personal_number": number}


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
    return {
        "seconds": sorted(times),
        "bytes": len(data),
        "peak_mib": peak / 2**20,
        "cases": len(export["cases"]["about_you"]),
        "log_entries": len(export["access_log"]),
    }
