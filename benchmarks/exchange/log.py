"""A 10-million-entry access log: building it, verifying it, and the data tracker on it.

``build`` (benchmark-only) writes a valid log straight into the tables, far faster than the
integrator's batches: entries with their positions and leaf hashes (``auditlog.leaf_data``,
``merkle.leaf_hash``), the MerkleNode row of every completed subtree (``merkle.Frontier``), a
checkpoint signed every 1,000 entries (``signing.sign`` over ``signing.checkpoint_note``, as
``auditlog.checkpoint_sign`` signs) and the tree head. Rows go in with COPY on PostgreSQL and
executemany on SQLite, one transaction per chunk, with the log's secondary indexes dropped
meanwhile and rebuilt at the end (the generator's ``BulkWriter.fast_load``). The entries look
like the demo's traffic: the demo partner's lookups and searches, a confidential fraud
investigation (embargoed 180 days), caseworkers' parking permits and residents reading their
own data, over three years up to now, spread over a million subjects: the jurisdiction's
persons and people from elsewhere (random pseudonyms). Twenty living residents of the
jurisdiction get 50–200 entries each, at random positions: the data tracker is timed on them.

``track`` times ``civic.exchange.selectors.usage_page`` (the data tracker's read, 50 entries a
page) for those residents, with the query plans; ``sessions`` logs them in (a session each) so
the orchestrator can time GET /api/exchange/v1/usage through the server. Each runs as a child
process for its target and prints its figures as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.exchange.common import (
    child_json,
    django_setup,
    emit,
    environment,
    log_counts,
    partner_credentials_here,
    usage_of,
)
from benchmarks.foundation.point_query import latency_summary
from benchmarks.harness.meter import child_run
from benchmarks.harness.targets import CIVIC, ROOT, Target

ENTRIES = 10_000_000
SUBJECT_POOL = 1_000_000
TRACKED = 20
TRACKED_ENTRIES = (50, 200)
CHUNK = 100_000
CHECKPOINT_EVERY = 1_000
YEARS = 3
SEED = 20_261_130
TRACK_SAMPLES = 1_000
TRACK_BUDGET_S = 90  # sampling stops after this long (the count of samples is recorded)
PAGE = 50
PROFILE_ENTRIES = 200_000


def build_run(target: Target, *, entries: int = ENTRIES) -> dict[str, Any]:
    figures, child = child_json(
        target, "benchmarks.exchange.log", ["build", "--entries", str(entries)]
    )
    figures["process"] = usage_of(child)
    figures["database_bytes"] = target.size()
    return figures


def track_run(target: Target, *, samples: int = TRACK_SAMPLES) -> dict[str, Any]:
    figures, child = child_json(
        target, "benchmarks.exchange.log", ["track", "--samples", str(samples)]
    )
    figures["process"] = usage_of(child)
    return figures


def verify_run(target: Target) -> dict[str, Any]:
    """``civic auditlog verify`` over the whole log, timed, then profiled on a part of it."""
    child = child_run(
        [str(CIVIC), "auditlog", "verify"],
        env=environment(target),
        cwd=ROOT,
        postgres_database=target.postgres_database,
    )
    output = (child.stdout or child.stderr).strip().splitlines()
    figures: dict[str, Any] = {
        "ok": child.returncode == 0,
        "output": output[-1] if output else "",
        "entries": log_counts(target)[1],
        **usage_of(child),
    }
    profiled, _child = child_json(
        target, "benchmarks.exchange.log", ["profile-verify", "--entries", str(PROFILE_ENTRIES)]
    )
    figures["profile_top"] = profiled["top"]
    figures["profile_entries"] = profiled["entries"]
    figures["profiled_wall_s"] = profiled["profiled_wall_s"]
    return figures


def sessions_write(target: Target) -> Path:
    """A file of session ids, one per tracked resident, logged in."""
    out = target.var_dir / "tracked-sessions.txt"
    child_json(target, "benchmarks.exchange.log", ["sessions", "--out", str(out)])
    return out


# --- the child's side: what the entries look like ------------------------------------------


@dataclass(frozen=True)
class Profile:
    """One kind of entry: who reads what, for which purpose, and how often."""

    weight: float
    actor_kind: str
    actor: str  # "" for a resident: the subject itself
    agency: str
    purpose: str
    legal_ground: str
    legal_basis: str
    register: str
    fields: str
    case_prefix: str
    kind: str
    embargo_days: int


def _profiles() -> list[Profile]:
    from civic.exchange.models import Purpose
    from civic.identity.models import User
    from civic.registers.catalogue import REGISTERS

    client_id, _secret = partner_credentials_here()
    purposes = {p.code: p for p in Purpose.objects.select_related("controller")}
    caseworker = str(User.objects.get(username="caseworker").pk)
    always = set(REGISTERS["persons"].always_delivered)

    def fields(*names: str) -> str:
        return ",".join(sorted(set(names) | always))

    def made(
        weight: float,
        kind: str,
        actor: str,
        agency: str,
        purpose: str,
        register: str,
        names: str,
        case: str,
        entry_kind: str = "lookup",
    ) -> Profile:
        p = purposes[purpose]
        return Profile(
            weight,
            kind,
            actor,
            agency or p.controller.code,
            purpose,
            p.legal_ground,
            p.legal_basis,
            register,
            names,
            case,
            entry_kind,
            p.embargo_days if p.confidential else 0,
        )

    partner = ("api_client", client_id, "social-insurance-bank")
    benefit = "child-benefit-assessment"
    return [
        made(
            0.45,
            *partner,
            benefit,
            "persons",
            fields("identity.given_names", "identity.birth_date", "residence.address"),
            "KB-",
        ),
        made(
            0.15,
            *partner,
            benefit,
            "persons",
            fields("identity.given_names", "identity.family_name", "parentage.child"),
            "KB-",
        ),
        made(
            0.05,
            *partner,
            benefit,
            "persons",
            fields("identity.given_names", "identity.birth_date", "residence.address"),
            "KB-",
            "search",
        ),
        made(
            0.08,
            *partner,
            "benefit-fraud-investigation",
            "income",
            "income.amount,income.source,income.year",
            "FR-",
        ),
        made(
            0.17,
            "staff",
            caseworker,
            "havenstad",
            "parking-permit",
            "persons",
            fields("identity.given_names", "identity.family_name", "residence.address"),
            "PP-",
        ),
        made(
            0.10,
            "resident",
            "",
            "",
            "show-own-data",
            "persons",
            fields(
                "identity.given_names",
                "identity.family_name",
                "identity.birth_date",
                "residence.address",
                "parentage.child",
            ),
            "",
        ),
    ]


def _subjects(
    rng: np.random.Generator, entries: int
) -> tuple[list[str], np.ndarray, list[dict[str, Any]]]:
    """The pool of subject pseudonyms, each entry's index into it, and the tracked residents."""
    from benchmarks.exchange.load import living_residents
    from civic.exchange.pseudonyms import person_pseudonym
    from civic.registers.models import Person

    tracked_numbers = living_residents(TRACKED, seed=int(rng.integers(1 << 30)))
    everyone = set(Person.objects.values_list("personal_number", flat=True)) - set(tracked_numbers)
    pool = [person_pseudonym(n) for n in sorted(everyone)]
    pool += [
        hashlib.sha256(f"elsewhere:{i}".encode()).hexdigest()[:32]
        for i in range(max(0, SUBJECT_POOL - len(pool)))
    ]
    index = rng.integers(0, len(pool), size=entries, dtype=np.int64)
    counts = rng.integers(TRACKED_ENTRIES[0], TRACKED_ENTRIES[1] + 1, size=len(tracked_numbers))
    spots = rng.choice(entries, size=int(counts.sum()), replace=False)
    tracked: list[dict[str, Any]] = []
    start = 0
    for number, count in zip(tracked_numbers, counts.tolist(), strict=True):
        index[spots[start : start + count]] = len(pool)
        pool.append(person_pseudonym(number))
        tracked.append({"personal_number": number, "entries": count})
        start += count
    return pool, index, tracked


# --- the child's side: building ------------------------------------------------------------


@contextmanager
def _raw_cursor() -> Iterator[Any]:
    from django.db import connection

    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _write(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    quoted = ", ".join(f'"{c}"' for c in columns)
    with _raw_cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)


def _clear() -> None:
    from django.db import connection

    from civic.exchange.models import AccessLogEntry, Checkpoint, MerkleNode, TreeHead

    tables = [m._meta.db_table for m in (AccessLogEntry, MerkleNode, Checkpoint, TreeHead)]
    with _raw_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
            connection.connection.commit()
        else:
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')
            cursor.execute("DELETE FROM sqlite_sequence")


def _stamps(micros: np.ndarray, suffix: str) -> tuple[list[str], list[str]]:
    """Microseconds since the epoch (UTC) as the leaf's text ('…T…Z', what ``auditlog._text``
    makes of a datetime) and as the database's text."""
    iso = np.datetime_as_string(micros.astype("datetime64[us]"), unit="us")
    leaf = np.char.add(iso, "Z").tolist()
    stored = np.char.add(np.char.replace(iso, "T", " "), suffix).tolist()
    return leaf, stored


def build(*, entries: int, seed: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection, transaction

    from civic.core import clock
    from civic.exchange import auditlog, merkle, signing
    from civic.exchange.models import AccessLogEntry, Checkpoint, MerkleNode, SigningKey, TreeHead
    from civic.registers.jurisdiction.writer import BulkWriter

    began = time.perf_counter()
    rng = np.random.default_rng(seed)
    profiles = _profiles()
    weights = np.array([p.weight for p in profiles])
    pool, subject_index, tracked = _subjects(rng, entries)
    prepared_s = time.perf_counter() - began

    suffix = "+00" if connection.vendor == "postgresql" else ""
    now = clock.now()
    first_us = int((now - dt.timedelta(days=365 * YEARS)).timestamp() * 1e6)
    step_us = max(1, int(YEARS * 365 * 86_400 * 1e6) // entries)
    entry_table, node_table = AccessLogEntry._meta.db_table, MerkleNode._meta.db_table
    checkpoint_table = Checkpoint._meta.db_table
    entry_columns = [
        "id",
        *(AccessLogEntry._meta.get_field(c).column for c in auditlog.HASHED_COLUMNS),
        "position",
        "leaf_hash",
    ]
    checkpoint_columns = ["tree_size", "root_hash", "timestamp", "signature", "key_id"]
    _signature, key_id, public = signing.sign(b"key check")
    frontier = merkle.Frontier()
    checked = 0
    _clear()
    SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key": public.hex()})
    hashing_s = 0.0
    with BulkWriter().fast_load([AccessLogEntry, MerkleNode, Checkpoint]):
        for base in range(0, entries, CHUNK):
            count = min(CHUNK, entries - base)
            positions = np.arange(base, base + count, dtype=np.int64)
            micros = first_us + positions * step_us + rng.integers(0, step_us, size=count)
            kinds = rng.choice(len(profiles), size=count, p=weights)
            embargo_us = np.array([p.embargo_days * 86_400_000_000 for p in profiles])[kinds]
            at_leaf, at_db = _stamps(micros, suffix)
            seen_leaf, seen_db = _stamps(micros + embargo_us, suffix)
            traces = rng.bytes(16 * count).hex()
            cases = rng.integers(1, 100_000, size=count).tolist()
            subjects = [pool[i] for i in subject_index[base : base + count].tolist()]
            rows, nodes, checkpoints = [], [], []
            hashing = time.perf_counter()
            for i, kind in enumerate(kinds.tolist()):
                p = profiles[kind]
                position = base + i
                subject = subjects[i]
                values = (
                    at_leaf[i],
                    p.actor_kind,
                    p.actor or subject,
                    "",
                    p.agency,
                    p.purpose,
                    p.legal_ground,
                    p.legal_basis,
                    p.register,
                    subject,
                    p.fields,
                    f"{p.case_prefix}{cases[i]:05d}" if p.case_prefix else "",
                    p.kind,
                    traces[32 * i : 32 * i + 32],
                    seen_leaf[i],
                )
                leaf = merkle.leaf_hash(auditlog.leaf_data(position, values))
                for level, start, digest in frontier.append(leaf):
                    if level:
                        nodes.append((level, start, digest.hex()))
                rows.append(
                    (position + 1, at_db[i], *values[1:-1], seen_db[i], position, leaf.hex())
                )
                if frontier.size % CHECKPOINT_EVERY == 0 or frontier.size == entries:
                    stamp = dt.datetime.fromtimestamp(int(micros[i]) / 1e6 + 1, dt.UTC)
                    root = frontier.root()
                    note = signing.checkpoint_note(frontier.size, root, stamp)
                    signature, _key, _public = signing.sign(note)
                    checkpoints.append(
                        (
                            frontier.size,
                            root.hex(),
                            stamp.isoformat()
                            if suffix
                            else stamp.replace(tzinfo=None).isoformat(" "),
                            signature,
                            key_id,
                        )
                    )
            hashing_s += time.perf_counter() - hashing
            if checked < 3:  # the text stamps hash exactly as the datetimes the ORM reads
                real = [
                    dt.datetime.fromisoformat(rows[0][1].replace(" ", "T")).replace(tzinfo=dt.UTC),
                    *rows[0][2:15],
                    dt.datetime.fromisoformat(rows[0][15].replace(" ", "T")).replace(tzinfo=dt.UTC),
                ]
                if auditlog.leaf_data(base, real) != auditlog.leaf_data(
                    base, (at_leaf[0], *rows[0][2:15], seen_leaf[0])
                ):
                    raise RuntimeError("the leaf text of a stamp differs from the datetime's")
                checked += 1
            with transaction.atomic():
                _write(entry_table, entry_columns, rows)
                _write(node_table, ["level", "start", "hash"], nodes)
                _write(checkpoint_table, checkpoint_columns, checkpoints)
            if base // CHUNK % 10 == 0:
                print(f"{base + count:,} entries, {time.perf_counter() - began:.0f} s", flush=True)
    TreeHead.objects.update_or_create(
        pk=1, defaults={"size": frontier.size, "frontier": [h.hex() for h in frontier.hashes]}
    )
    wall = time.perf_counter() - began
    tracked_file = Path(settings.VAR_DIR) / "exchange-tracked.json"
    tracked_file.write_text(json.dumps(tracked, indent=1))
    return {
        "vendor": connection.vendor,
        "entries": entries,
        "subjects": len(pool),
        "checkpoints": Checkpoint.objects.count(),
        "merkle_nodes": MerkleNode.objects.count(),
        "root": frontier.root().hex(),
        "tracked": tracked,
        "wall_s": wall,
        "prepare_s": prepared_s,
        "hashing_s": hashing_s,
        "years": YEARS,
        "profiles": [
            {
                "purpose": p.purpose,
                "register": p.register,
                "actor_kind": p.actor_kind,
                "kind": p.kind,
                "weight": p.weight,
            }
            for p in profiles
        ],
    }


# --- the child's side: the data tracker ----------------------------------------------------


def _plans(personal_number: str) -> dict[str, list[str]]:
    """The plans of the statements ``usage_page`` sends, for one resident."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civic.exchange.selectors import usage_page

    with CaptureQueriesContext(connection) as captured:
        usage_page(personal_number=personal_number, limit=PAGE)
    plans: dict[str, list[str]] = {}
    for query in captured.captured_queries:
        sql = query["sql"]
        if "exchange_accesslogentry" not in sql:
            continue
        kind = "count" if "COUNT(" in sql.upper() else "page"
        name = (
            kind
            if kind not in plans
            else f"{kind} {sum(k.startswith(kind) for k in plans) // 2 + 1}"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plans[name] = [str(row[-1]) for row in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plans[name] = [str(row[0]) for row in cursor.fetchall()]
        plans[f"{name}_sql"] = [sql]
    return plans


def track(*, samples: int, seed: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from civic.exchange.selectors import usage_page

    tracked = json.loads((Path(settings.VAR_DIR) / "exchange-tracked.json").read_text())
    numbers = [t["personal_number"] for t in tracked]
    first_ms: list[float] = []
    totals: dict[str, int] = {}
    for number in numbers:  # the first call for each resident: nothing of theirs cached yet
        began = time.perf_counter_ns()
        page = usage_page(personal_number=number, limit=PAGE)
        first_ms.append((time.perf_counter_ns() - began) / 1e6)
        totals[number] = page["total"]
    rng = random.Random(seed)
    wall_ms: list[float] = []
    cpu_ms: list[float] = []
    returned = 0
    deadline = time.monotonic() + TRACK_BUDGET_S
    for _ in range(samples):
        if time.monotonic() > deadline:  # a slow tracker must not hold the run for hours
            break
        number = rng.choice(numbers)
        cpu = time.process_time_ns()
        began = time.perf_counter_ns()
        page = usage_page(personal_number=number, limit=PAGE)
        wall_ms.append((time.perf_counter_ns() - began) / 1e6)
        cpu_ms.append((time.process_time_ns() - cpu) / 1e6)
        returned += len(page["entries"])
    return {
        "vendor": connection.vendor,
        "residents": len(numbers),
        "entries_each": [t["entries"] for t in tracked],
        "visible_each": [totals[n] for n in numbers],
        "samples": len(wall_ms),
        "budget_s": TRACK_BUDGET_S,
        "page": PAGE,
        "returned_mean": returned / max(1, len(wall_ms)),
        "first_ms": latency_summary(first_ms) if len(first_ms) > 1 else {},
        "wall_ms": latency_summary(wall_ms),
        "cpu_ms": latency_summary(cpu_ms),
        "plans": _plans(numbers[0]),
    }


def verify_profile(*, entries: int) -> dict[str, Any]:
    """Where the verifier spends its time: cProfile over its work on the first ``entries``
    entries, in this one process (``verify._verify_block``, the unit the command's worker
    processes run)."""
    import cProfile
    import pstats

    from civic.exchange import verify

    block = getattr(verify, "_verify_block", None)
    if block is None:  # the verifier changed shape: nothing to profile by this route
        return {"entries": 0, "profiled_wall_s": 0.0, "top": []}
    profile = cProfile.Profile()
    began = time.perf_counter()
    profile.enable()
    block(0, entries, [])
    profile.disable()
    wall = time.perf_counter() - began
    stats = pstats.Stats(profile)
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
    total = sum(row[2] for _key, row in rows) or 1.0
    top = [
        f"{name if filename == '~' else f'{Path(filename).name}:{name}'} "
        f"{100 * row[2] / total:.0f} %"
        for (filename, _line, name), row in rows[:8]
    ]
    return {"entries": entries, "profiled_wall_s": wall, "top": top}


def sessions(out: Path) -> dict[str, Any]:
    """Log each tracked resident in (a database session each); write the session ids."""
    from django.conf import settings
    from django.test import Client

    from civic.identity.services import resident_account_ensure

    tracked = json.loads((Path(settings.VAR_DIR) / "exchange-tracked.json").read_text())
    keys = []
    for t in tracked:
        client = Client()
        client.force_login(
            resident_account_ensure(personal_number=t["personal_number"]),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    out.write_text("\n".join(keys) + "\n")
    return {"sessions": len(keys), "cookie": settings.SESSION_COOKIE_NAME}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["build", "track", "sessions", "profile-verify"])
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--samples", type=int, default=TRACK_SAMPLES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path)
    options = parser.parse_args()
    django_setup()
    if options.action == "build":
        emit(build(entries=options.entries, seed=options.seed))
    elif options.action == "track":
        emit(track(samples=options.samples, seed=options.seed))
    elif options.action == "profile-verify":
        emit(verify_profile(entries=options.entries))
    else:
        emit(sessions(options.out))


if __name__ == "__main__":
    main()
