"""Recompute the access log's Merkle tree from the stored entries and check every checkpoint.

Independent of the integrator's stored hashes: each entry's leaf is hashed again from its
columns and position; the roots at every checkpoint's size are rebuilt from those leaves and
compared with the signed roots; each signature is checked against the recorded public key.
The first problem found is reported with the position it concerns.

The log is read in aligned blocks of BLOCK entries, each a perfect subtree, hashed in parallel
worker processes for large logs; the main process combines the block roots (themselves leaves
of the tree's upper part) with each block's own frontier to get the root at every checkpoint.
Witnesses' cosignatures kept with the checkpoints are checked against their configured keys.
Given the size of a checkpoint held elsewhere (``against``), it also keeps the root at that
size and at the end, and the subtree hashes a consistency proof between them needs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections

from civic.exchange import merkle, note, signing
from civic.exchange.auditlog import HASHED_COLUMNS, LEAF_FORMAT, SEPARATOR
from civic.exchange.models import AccessLogEntry, Checkpoint, Cosignature, MerkleNode, SigningKey
from civic.exchange.verify_waiting import beyond_the_tree
from civic.exchange.witnessing import witnesses_configured

BLOCK = 1 << 18  # 262,144 entries: a perfect subtree per block
PARALLEL_FROM = 4 * BLOCK  # smaller logs are checked in this process


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    cosignatures: int = 0
    newest: int = 0  # size of the newest checkpoint
    witnessed: int = 0  # size of the newest with a quorum of valid cosignatures
    roots: dict[int, bytes] = field(default_factory=dict)  # root at the sizes asked for
    subtrees: dict[tuple[int, int], bytes] = field(default_factory=dict)  # (level, start)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, position: int, message: str) -> None:
        self.problems.append((position, message))


@dataclass
class BlockResult:
    start: int
    count: int
    root: bytes | None
    frontiers: dict[int, list[bytes]]  # checkpoint size -> the block's own frontier at it
    problem: tuple[int, str] | None = None
    subtrees: dict[tuple[int, int], bytes] = field(default_factory=dict)


def _select() -> str:
    """Positions, stored hashes and the hashed columns, the two times as canonical UTC text."""
    table = AccessLogEntry._meta.db_table
    columns = []
    for name in HASHED_COLUMNS:
        column = f'"{AccessLogEntry._meta.get_field(name).column}"'
        if name in {"at", "visible_from"}:
            column = (
                f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                if connection.vendor == "postgresql"
                else f"CAST({column} AS TEXT)"
            )
        columns.append(column)
    return (
        f'SELECT "position", "leaf_hash", {", ".join(columns)} FROM "{table}" '  # noqa: S608
        f'WHERE "position" >= %s AND "position" < %s ORDER BY "position"'
    )


def _sqlite_time(text: str) -> str:
    """'2026-11-30 07:05:41.011221' (as Django stores it in SQLite) to '2026-11-30T07:05:41.011221Z'."""
    return f"{text[:10]}T{text[11:19]}.{(text[20:26] + '000000')[:6]}Z"


def _verify_block(
    start: int, end: int, checkpoint_sizes: list[int], subtrees_wanted: frozenset = frozenset()
) -> BlockResult:
    statement = _select()
    sqlite = connection.vendor == "sqlite"
    frontier = merkle.Frontier()
    wanted = iter(sorted(checkpoint_sizes))
    upcoming = next(wanted, None)
    frontiers: dict[int, list[bytes]] = {}
    subtrees: dict[tuple[int, int], bytes] = {}
    expected = start
    prefix = LEAF_FORMAT + SEPARATOR
    stored_nodes = _stored_nodes(start, end, max_level=BLOCK.bit_length() - 1)
    with connection.cursor() as cursor:
        cursor.execute(statement, [start, end])
        while rows := cursor.fetchmany(20_000):
            for position, stored, at, *middle, visible_from in rows:
                if position != expected:
                    return BlockResult(
                        start,
                        expected - start,
                        None,
                        frontiers,
                        (expected, f"position {expected}: the entry is missing (deleted?)"),
                    )
                if sqlite:
                    at, visible_from = _sqlite_time(at), _sqlite_time(visible_from)
                data = prefix + SEPARATOR.join([str(position), at, *middle, visible_from])
                leaf = merkle.leaf_hash(data.encode())
                if leaf.hex() != stored:
                    return BlockResult(
                        start,
                        expected - start,
                        None,
                        frontiers,
                        (
                            position,
                            f"position {position}: the entry does not match its hash (edited or moved)",
                        ),
                    )
                completed = frontier.append(leaf)
                for level, local, digest in completed:
                    if level and (bad := _node_problem(stored_nodes, level, start + local, digest)):
                        return BlockResult(start, expected - start, None, frontiers, bad)
                if subtrees_wanted:
                    for level, local, digest in completed:
                        if (level, start + local) in subtrees_wanted:
                            subtrees[level, start + local] = digest
                expected += 1
                while upcoming is not None and upcoming == expected:
                    frontiers[upcoming] = list(frontier.hashes)
                    upcoming = next(wanted, None)
    return BlockResult(
        start,
        expected - start,
        frontier.root() if frontier.size else None,
        frontiers,
        None,
        subtrees,
    )


def _stored_nodes(start: int, end: int, *, max_level: int | None = None) -> dict:
    """The integrator's stored subtree hashes from leaves ``start`` to ``end`` (the proofs are
    built from these, so they are checked against the entries too)."""
    nodes = MerkleNode.objects.filter(start__gte=start, start__lt=end)
    if max_level is None:
        nodes = nodes.filter(level__gt=BLOCK.bit_length() - 1)
    else:
        nodes = nodes.filter(level__lte=max_level)
    return {
        (level, first): digest
        for level, first, digest in nodes.values_list("level", "start", "hash")
    }


def _node_problem(stored: dict, level: int, start: int, digest: bytes) -> tuple[int, str] | None:
    found = stored.get((level, start))
    if found == digest.hex():
        return None
    state = "is missing" if found is None else "does not match the entries"
    return (
        start,
        f"position {start}: the stored hash of the {1 << level} entries from here {state} "
        "(proofs built from it would fail)",
    )


def _fold(hashes: list[bytes]) -> bytes:
    node = hashes[-1]
    for left in reversed(hashes[:-1]):
        node = merkle.node_hash(left, node)
    return node


def _run_block(arguments: tuple[int, int, list[int], frozenset]) -> BlockResult:
    return _verify_block(*arguments)


def _proof_subtrees(old_size: int, new_size: int) -> frozenset:
    """The (level, start) of the perfect subtrees a consistency proof from ``old_size`` to
    ``new_size`` is made of: the proof's shape does not depend on the hashes."""
    if not 0 < old_size < new_size:
        return frozenset()
    needed: set[tuple[int, int]] = set()

    def record(level: int, start: int) -> bytes:
        needed.add((level, start))
        return b""

    merkle.consistency_proof(old_size, new_size, record)
    return frozenset(needed)


class _Cosignatures:
    """The cosignatures of the configured witnesses, by checkpoint, checked as each checkpoint
    is; those of keys no longer configured are ignored (signed-note: unknown keys are)."""

    def __init__(self) -> None:
        self.verifiers = {c.key: c.verifier for c in witnesses_configured()}
        self.by_checkpoint: dict[int, list[tuple[note.Verifier, str]]] = {}
        rows = Cosignature.objects.order_by("id").values_list(
            "checkpoint_id", "witness_name", "key_id", "signature"
        )
        for checkpoint_id, name, key_id, signature in rows.iterator(chunk_size=10_000):
            if (verifier := self.verifiers.get((name, key_id))) is not None:
                self.by_checkpoint.setdefault(checkpoint_id, []).append((verifier, signature))

    def check(self, checkpoint: Checkpoint, text: bytes) -> tuple[int, str | None]:
        """How many verify, or the name of the first witness whose cosignature does not."""
        found = self.by_checkpoint.get(checkpoint.pk, [])
        for verifier, stored in found:
            try:
                signature = note.Signature(verifier.name, verifier.id, note.b64decode(stored))
            except note.NoteError:
                return 0, verifier.name
            if not verifier.verify(text, signature):
                return 0, verifier.name
        return len(found), None


def auditlog_verify(
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
    against: int | None = None,
) -> Report:
    report = Report()
    # The end of the log first, then the checkpoints: the integrator commits positions with
    # their checkpoint, so every entry seen here is covered by a checkpoint read after it.
    last = (
        AccessLogEntry.objects.filter(position__isnull=False)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    size = 0 if last is None else last + 1
    checkpoints = list(Checkpoint.objects.order_by("tree_size"))
    keys = {k.key_id: bytes.fromhex(k.public_key) for k in SigningKey.objects.all()}
    cosignatures = _Cosignatures()
    upper_nodes = _stored_nodes(0, size)
    report.newest = checkpoints[-1].tree_size if checkpoints else 0
    extra = {against, size} - {None, 0} if against is not None else set()
    wanted = (
        _proof_subtrees(against, size) if against is not None and against <= size else frozenset()
    )
    sizes = sorted({c.tree_size for c in checkpoints} | extra)
    blocks = [
        (
            start,
            min(start + BLOCK, size),
            [s for s in sizes if start < s <= start + BLOCK],
            frozenset(w for w in wanted if start <= w[1] < start + BLOCK and 1 << w[0] <= BLOCK),
        )
        for start in range(0, size, BLOCK)
    ]
    block_level = BLOCK.bit_length() - 1
    by_size = {c.tree_size: c for c in checkpoints}
    workers = (
        workers if workers is not None else (os.cpu_count() or 1) if size >= PARALLEL_FROM else 1
    )
    if workers > 1:
        connections.close_all()  # each worker opens its own connection
        pool = multiprocessing.get_context("fork").Pool(workers)
        results = pool.imap(_run_block, blocks)
    else:
        pool, results = None, map(_run_block, blocks)
    upper = merkle.Frontier()
    try:
        for result in results:
            report.entries += result.count
            report.subtrees.update(result.subtrees)
            for tree_size, local in sorted(result.frontiers.items()):
                root = _fold(upper.hashes + local)
                if tree_size in extra:
                    report.roots[tree_size] = root
                if tree_size in by_size and not _checkpoint_check(
                    report, by_size[tree_size], root, keys, cosignatures
                ):
                    return report
            if result.problem:
                report.problem(*result.problem)
                return report
            if result.count == BLOCK:
                for level, start, digest in upper.append(result.root):
                    key = (level + block_level, start * BLOCK)
                    if key in wanted:
                        report.subtrees[key] = digest
                    if level and (bad := _node_problem(upper_nodes, *key, digest)):
                        report.problem(*bad)
                        return report
            if progress:
                progress(result.count)
    finally:
        if pool is not None:
            pool.terminate()
    for checkpoint in checkpoints:
        if checkpoint.tree_size > size:
            report.problem(
                size,
                f"checkpoint at size {checkpoint.tree_size} covers entries up to position "
                f"{checkpoint.tree_size - 1}, but the log ends at position {size - 1}",
            )
            return report
    problem = beyond_the_tree(size, newest=report.newest)
    if problem is not None:
        report.problem(*problem)
    return report


def _checkpoint_check(
    report: Report,
    checkpoint: Checkpoint,
    root: bytes,
    keys: dict[str, bytes],
    cosignatures: _Cosignatures,
) -> bool:
    """Its signature, its root against the one rebuilt from the entries, its cosignatures."""
    tree_size = checkpoint.tree_size
    report.checkpoints += 1
    text = signing.checkpoint_note(
        tree_size, bytes.fromhex(checkpoint.root_hash), checkpoint.timestamp
    )
    public = keys.get(checkpoint.key_id)
    if public is None or not signing.verify(text, checkpoint.signature, public):
        report.problem(
            tree_size - 1, f"checkpoint at size {tree_size}: its signature does not verify"
        )
        return False
    if root.hex() != checkpoint.root_hash:
        report.problem(
            tree_size - 1,
            f"checkpoint at size {tree_size}: the entries before it no longer "
            "give its root (an entry was changed, removed, added or moved)",
        )
        return False
    valid, bad = cosignatures.check(checkpoint, text)
    if bad is not None:
        report.problem(
            tree_size - 1,
            f"checkpoint at size {tree_size}: the cosignature of witness {bad} does not verify",
        )
        return False
    report.cosignatures += valid
    if valid and valid >= settings.AUDITLOG_WITNESS_QUORUM:
        report.witnessed = tree_size
    return True
