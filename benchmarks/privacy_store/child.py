"""The measuring child of the privacy-store section, run in the target's environment:

    python -m benchmarks.privacy_store.child grant          # a job's grant to read persons
    python -m benchmarks.privacy_store.child serve SEED     # rounds of queries, on request

Queries go through the exchange's public service (``register_query``, the same path the
partner API takes after authentication: grant check, the access-log entry committed, the
register read), one living resident each, as the exchange's speed benchmark does over HTTP.
With no HTTP in between, this process is the exchange's server process: its CPU per query is
the server's, and the PostgreSQL backend serving its connection is measured beside it.

``serve`` stays up so that the section can alternate short rounds between a clear and a
sealed copy without paying Django's start-up each time, and so that both are equally warm:
it warms up once, then reads one line per round from standard input (the number of queries)
and answers with that round's figures as one JSON line; an empty line ends it.
"""

from __future__ import annotations

import json
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
WARM_UP = 200


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


def _backend_cpu_s(pid: int) -> float:
    """User + system CPU seconds of the PostgreSQL backend ``pid`` (psutil reads /proc)."""
    import psutil

    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


def serve(seed: int) -> None:
    from django.conf import settings
    from django.db import connection

    from civic.exchange.actors import Actor
    from civic.exchange.query import register_query

    numbers = living_residents(5_000, seed)
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

    for _ in range(WARM_UP):  # statements prepared, caches filled
        one()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    sys.stdout.write(json.dumps({"ready": True, "encryption": settings.FIELD_KEYS}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        if not line.strip():
            break
        count = int(line)
        seen = False  # a clear nationality released (a sealed copy must open its values)
        began, cpu, server = time.perf_counter(), time.process_time(), _backend_cpu_s(backend)
        for _ in range(count):
            nationality = one()["results"][0]["records"]["identity"]["nationality"]
            seen = seen or (bool(nationality) and not nationality.startswith("enc1:"))
        wall = time.perf_counter() - began
        cpu, server = time.process_time() - cpu, _backend_cpu_s(backend) - server
        figures = {
            "queries": count,
            "wall_s": wall,
            "rate": count / wall,
            "cpu_ms_per_query": 1000 * cpu / count,
            "server_cpu_ms_per_query": 1000 * server / count,
            "nationality_seen": seen,
        }
        sys.stdout.write(json.dumps(figures) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    django_setup()
    if sys.argv[1] == "grant":
        grant()
    else:
        serve(int(sys.argv[2]))
