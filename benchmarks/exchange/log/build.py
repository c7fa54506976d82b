"""The child's side of building the big log: entries, tree nodes, checkpoints and the tree
head written straight into the tables (see the package's description)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.exchange.log import CHECKPOINT_EVERY, CHUNK, YEARS, traffic


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

    from civic.exchange.models import (
        AccessLogEntry,
        Checkpoint,
        Cosignature,
        MerkleNode,
        TreeHead,
    )

    # The witnesses' cosignatures go with the checkpoints they sign (a new log has none).
    log_models = (Cosignature, AccessLogEntry, MerkleNode, Checkpoint, TreeHead)
    tables = [m._meta.db_table for m in log_models]
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
    profiles = traffic.profiles()
    weights = np.array([p.weight for p in profiles])
    pool, subject_index, tracked = traffic.subjects(rng, entries)
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
