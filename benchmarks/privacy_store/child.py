"""The measuring child of the privacy-store section, run in the target's environment:

    python -m benchmarks.privacy_store.child grant          # a job's grant to read persons
    python -m benchmarks.privacy_store.child query N SEED   # N one-subject queries; their rate

Queries go through the exchange's public service (``register_query``, the same path the
partner API takes after authentication: grant check, the access-log entry committed, the
register read), one living resident each, as the exchange's speed benchmark does over HTTP.
Figures are the last line of standard output (``emit``).
"""

from __future__ import annotations

import random
import sys
import time

from benchmarks.exchange.common import django_setup, emit
from benchmarks.exchange.load import living_residents

JOB, PURPOSE = "privacy-bench", "privacy-bench-read"
FIELDS = [
    "identity.given_names",
    "identity.family_name",
    "identity.birth_date",
    "identity.nationality",
    "residence.address",
]


def grant() -> None:
    from civic.exchange import services
    from civic.identity.services import agency_ensure

    agency = agency_ensure(code="bench-agency", name="Benchmark agency")
    purpose = services.purpose_ensure(
        code=PURPOSE,
        name="Benchmark",
        description="Reads persons to time the exchange.",
        controller=agency,
        legal_ground="public_task",
        legal_basis="benchmark",
    )
    services.grant_create(
        purpose=purpose, register="persons", attributes=FIELDS, job=JOB, agency=agency
    )
    emit({"granted": FIELDS})


def query(count: int, seed: int) -> None:
    from django.conf import settings

    from civic.exchange.actors import Actor
    from civic.exchange.query import register_query

    numbers = living_residents(min(count, 5_000), seed)
    actor = Actor.job(JOB, agency="bench-agency")
    rng = random.Random(seed)

    def one() -> dict:
        return register_query(
            actor=actor,
            register="persons",
            subjects=[rng.choice(numbers)],
            fields=FIELDS,
            purpose=PURPOSE,
        )

    for _ in range(min(200, count)):  # warm-up: statements prepared, caches filled
        one()
    began, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        answer = one()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    nationality = answer["results"][0]["records"]["identity"]["nationality"]
    emit(
        {
            "encryption": settings.FIELD_KEYS,
            "queries": count,
            "wall_s": wall,
            "rate": count / wall,
            "cpu_ms_per_query": 1000 * cpu / count,
            "nationality_seen": bool(nationality) and not nationality.startswith("enc1:"),
        }
    )


if __name__ == "__main__":
    django_setup()
    if sys.argv[1] == "grant":
        grant()
    else:
        query(int(sys.argv[2]), int(sys.argv[3]))
