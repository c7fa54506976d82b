"""Recompute the access log's Merkle tree from the stored entries and check every checkpoint.

Independent of the integrator's stored hashes: each entry's leaf is hashed again from its
columns and position; the roots at every checkpoint's size are rebuilt from those leaves and
compared with the signed roots; each signature is checked against the recorded public key.
The first problem found is reported with the position it concerns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection

from civic.exchange import merkle, signing
from civic.exchange.auditlog import HASHED_COLUMNS, leaf_data
from civic.exchange.models import AccessLogEntry, Checkpoint, SigningKey

BATCH = 20_000


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, position: int, message: str) -> None:
        self.problems.append((position, message))


def _entries() -> Iterator[tuple]:
    """(position, stored leaf hash, *hashed columns) in position order, in batches."""
    columns = ", ".join(f'"{AccessLogEntry._meta.get_field(c).column}"' for c in HASHED_COLUMNS)
    table = AccessLogEntry._meta.db_table
    after = -1
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "position", "leaf_hash", {columns} FROM "{table}" '  # noqa: S608
                f'WHERE "position" > %s ORDER BY "position" LIMIT %s',
                [after, BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


def _aware(value) -> dt.datetime:
    """SQLite hands datetimes back naive (stored as UTC) or as text; make them what the ORM gives."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _convert(values: tuple) -> list:
    at, *middle, visible_from = values
    return [_aware(at), *middle, _aware(visible_from)]


def auditlog_verify(progress: Callable[[int], None] | None = None) -> Report:
    report = Report()
    checkpoints = list(Checkpoint.objects.order_by("tree_size"))
    keys = {k.key_id: bytes.fromhex(k.public_key) for k in SigningKey.objects.all()}
    pending = iter(checkpoints)
    upcoming = next(pending, None)
    frontier = merkle.Frontier()

    def check_checkpoint(checkpoint: Checkpoint) -> None:
        report.checkpoints += 1
        note = signing.checkpoint_note(
            checkpoint.tree_size, bytes.fromhex(checkpoint.root_hash), checkpoint.timestamp
        )
        public = keys.get(checkpoint.key_id)
        if public is None or not signing.verify(note, checkpoint.signature, public):
            report.problem(
                checkpoint.tree_size - 1,
                f"checkpoint at size {checkpoint.tree_size}: its signature does not verify",
            )
        elif frontier.root().hex() != checkpoint.root_hash:
            report.problem(
                checkpoint.tree_size - 1,
                f"checkpoint at size {checkpoint.tree_size}: the entries before it no longer "
                "give its root (an entry was changed, removed, added or moved)",
            )

    expected = 0
    for position, stored, *values in _entries():
        if position != expected:
            report.problem(expected, f"position {expected}: the entry is missing (deleted?)")
            return report
        leaf = merkle.leaf_hash(leaf_data(position, _convert(values)))
        if leaf.hex() != stored:
            report.problem(
                position,
                f"position {position}: the entry does not match its hash (edited or moved)",
            )
            return report
        frontier.append(leaf)
        expected += 1
        report.entries += 1
        while upcoming is not None and upcoming.tree_size == frontier.size:
            check_checkpoint(upcoming)
            if report.problems:
                return report
            upcoming = next(pending, None)
        if progress and expected % BATCH == 0:
            progress(BATCH)
    if upcoming is not None:
        report.problem(
            expected,
            f"checkpoint at size {upcoming.tree_size} covers entries up to position "
            f"{upcoming.tree_size - 1}, but the log ends at position {expected - 1}",
        )
    return report
