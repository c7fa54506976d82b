"""The measuring child of the privacy-store section, run in the target's environment:

    python -m benchmarks.privacy_store.child grant          # a job's grant to read persons
    python -m benchmarks.privacy_store.child serve SEED     # rounds of queries, on request
    python -m benchmarks.privacy_store.child population     # every resident with their income

Queries go through the exchange's public service (``register_query``, the same path the
partner API takes after authentication: grant check, the access-log entry committed, the
register read), one living resident each, as the exchange's speed benchmark does over HTTP.
With no HTTP in between, this process is the exchange's server process: its CPU per query is
the server's, and the PostgreSQL backend serving its connection is measured beside it (both from
/proc/PID/schedstat).

``serve`` stays up so that the section can alternate short rounds between a clear and a
sealed copy without paying Django's start-up each time, and so that both are equally warm:
it warms up once, then reads one line per round from standard input (the number of queries)
and answers with that round's figures as one JSON line; an empty line ends it.
"""

from __future__ import annotations

import json
import os
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
#: What a proactive run reads of the income register (exchange.population.fields).
INCOME_FIELDS = ["income.amount", "income.year"]
WARM_UP = 200
#: Addresses per population read, as a proactive run's chunk (CIVIC_PROACTIVE_CHUNK_SIZE).
POPULATION_CHUNK = 5_000


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
    services.grant_create(
        purpose=purpose, register="income", attributes=INCOME_FIELDS, job=JOB, agency=agency
    )
    emit({"granted": FIELDS + INCOME_FIELDS})


def _cpu_s(pid: int) -> float:
    """Seconds process ``pid`` has run on a CPU (user + system), from the scheduler's own
    account (/proc/PID/schedstat, in nanoseconds; psutil's cpu_times count 10 ms ticks,
    too coarse for a short round of a backend's work)."""
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0]) / 1e9


def _open_us(repeats: int = 5_000) -> float | None:
    """CPU microseconds to open one sealed register value (``value_open``: key looked up,
    AES-GCM with the row and field as associated data), in a tight loop: the encryption's own
    price per value, free of the query's noise. None when this copy holds no sealed value."""
    from civic.core.fieldcrypt import PREFIX
    from civic.registers.sealing import sealed_map, value_open

    for model, names in sealed_map().items():
        for name in names:
            row = model.objects.filter(**{f"{name}__startswith": PREFIX}).first()
            if row is None:
                continue
            value = getattr(row, name)
            began = time.process_time()
            for _ in range(repeats):
                value_open(model, name, value, row.pk)
            return 1e6 * (time.process_time() - began) / repeats
    return None


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
    me = os.getpid()
    ready = {"ready": True, "encryption": settings.FIELD_KEYS, "open_us": _open_us()}
    sys.stdout.write(json.dumps(ready) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        if not line.strip():
            break
        count = int(line)
        seen = False  # a clear nationality released (a sealed copy must open its values)
        began, cpu, server = time.perf_counter(), _cpu_s(me), _cpu_s(backend)
        for _ in range(count):
            nationality = one()["results"][0]["records"]["identity"]["nationality"]
            seen = seen or (bool(nationality) and not nationality.startswith("enc1:"))
        wall = time.perf_counter() - began
        cpu, server = _cpu_s(me) - cpu, _cpu_s(backend) - server
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


def population() -> None:
    """Every resident with last year's income, read as a proactive run reads them (chunks of
    5,000 addresses through ``population_read``: the residents, their income rows, opened and
    added up per person, one access-log entry each): the proactive read's price of sealed
    amounts, which this process and its backend spend. The total of all incomes goes with
    the figures, so the section can check that the clear and the sealed copy agree."""
    from django.db import connection

    from civic.exchange.actors import Actor
    from civic.exchange.selectors import address_ranges, population_read

    actor = Actor.job(JOB, agency="bench-agency")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    me = os.getpid()
    residents, total = 0, 0
    began, cpu, server = time.perf_counter(), _cpu_s(me), _cpu_s(backend)
    for first, last in address_ranges(POPULATION_CHUNK):
        read = population_read(
            actor=actor,
            purpose=PURPOSE,
            first_address=first,
            last_address=last,
            registers=("persons", "income"),
        )
        residents += len(read.personal_numbers)
        total += int(read.income.sum())
    emit(
        {
            "residents": residents,
            "income_total": total,
            "wall_s": time.perf_counter() - began,
            "cpu_s": _cpu_s(me) - cpu,
            "server_cpu_s": _cpu_s(backend) - server,
        }
    )


if __name__ == "__main__":
    django_setup()
    if sys.argv[1] == "grant":
        grant()
    elif sys.argv[1] == "population":
        population()
    else:
        serve(int(sys.argv[2]))
