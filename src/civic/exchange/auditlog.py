"""The access log as a verifiable Merkle tree: integrating entries, checkpoints, proofs.

Queries only insert entries. The integrator takes the entries not yet in the tree, in the
order they were written, gives each its position and leaf hash (the position is part of the
hashed data, so moving an entry changes its hash), stores every completed subtree's hash, and
signs a checkpoint: at most CIVIC_AUDITLOG_CHECKPOINT_ENTRIES entries per checkpoint, and the
integrator runs at least every CIVIC_AUDITLOG_CHECKPOINT_SECONDS. Queries never wait for it.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction

from civic.core import clock
from civic.exchange import merkle, note, signing
from civic.exchange.models import AccessLogEntry, Checkpoint, MerkleNode, SigningKey, TreeHead

log = logging.getLogger("civic.exchange")
LEAF_FORMAT = "civic-access-log/1"
#: The entry's columns that are hashed, in this order, after the format and the position.
HASHED_COLUMNS = (
    "at",
    "actor_kind",
    "actor",
    "on_behalf_of",
    "agency",
    "purpose",
    "legal_ground",
    "legal_basis",
    "register",
    "subject",
    "fields",
    "case",
    "kind",
    "trace_id",
    "visible_from",
)
SEPARATOR = "\x1f"  # unit separator: never in any column (the API refuses control characters)


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def leaf_data(position: int, values) -> bytes:
    """The canonical bytes of an entry at ``position``; ``values`` in HASHED_COLUMNS order."""
    return SEPARATOR.join([LEAF_FORMAT, str(position), *map(_text, values)]).encode()


def _perfect_subtree(level: int, start: int) -> bytes:
    if level == 0:
        return bytes.fromhex(
            AccessLogEntry.objects.values_list("leaf_hash", flat=True).get(position=start)
        )
    return bytes.fromhex(
        MerkleNode.objects.values_list("hash", flat=True).get(level=level, start=start)
    )


#: An entry dated further ahead than this was not written by a query of this installation.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def entry_malformed(values, *, now: dt.datetime) -> str | None:
    """Why a waiting entry (``values`` in HASHED_COLUMNS order) cannot be one Civic wrote, or
    None. Civic's writers refuse control characters and fill every column; an entry that
    breaks that came from outside (a forged row), and hashing it would make the log's leaves
    ambiguous."""
    row = dict(zip(HASHED_COLUMNS, values, strict=True))
    for name, value in row.items():
        if isinstance(value, str) and (SEPARATOR in value or "\x00" in value):
            return f"its {name} holds a control character"
    for name in ("actor", "agency", "purpose", "register", "subject", "trace_id"):
        if not row[name]:
            return f"its {name} is empty"
    if row["actor_kind"] not in AccessLogEntry.ActorKind.values:
        return "its actor kind is unknown"
    if row["kind"] not in AccessLogEntry.Kind.values:
        return "its kind is unknown"
    if row["at"] > now + FUTURE_TOLERANCE:
        return "it is dated in the future"
    if row["visible_from"] < row["at"]:
        return "it would be visible before it was written"
    return None


def _quarantine(bad: list[tuple[int, str]]) -> None:
    for entry_id, reason in bad:
        AccessLogEntry.objects.filter(id=entry_id).update(quarantined=reason[:200])
        # An operator's alert: the log keeps growing past it, `auditlog verify` names it.
        log.error("access-log entry id %s left out of the tree: %s (forged?)", entry_id, reason)


def integrate(*, limit: int | None = None) -> Checkpoint | None:
    """Add the waiting entries (up to ``limit``) to the tree and sign a checkpoint for them.
    A malformed waiting entry is quarantined, not integrated, and integrating goes on."""
    limit = limit or settings.AUDITLOG_CHECKPOINT_ENTRIES
    now = clock.now()
    with transaction.atomic():
        head, _created = TreeHead.objects.select_for_update().get_or_create(pk=1)
        while True:
            waiting = list(
                AccessLogEntry.objects.filter(position__isnull=True, quarantined="")
                .order_by("id")
                .values_list("id", *HASHED_COLUMNS)[:limit]
            )
            if not waiting:
                return None
            good, bad = [], []
            for entry_id, *values in waiting:
                if reason := entry_malformed(values, now=now):
                    bad.append((entry_id, reason))
                else:
                    good.append((entry_id, values))
            _quarantine(bad)
            if good:
                break
        frontier = merkle.Frontier(head.size, [bytes.fromhex(h) for h in head.frontier])
        entries, nodes = [], []
        for entry_id, values in good:
            position = frontier.size
            leaf = merkle.leaf_hash(leaf_data(position, values))
            for level, start, digest in frontier.append(leaf):
                if level:
                    nodes.append(MerkleNode(level=level, start=start, hash=digest.hex()))
            entries.append(AccessLogEntry(id=entry_id, position=position, leaf_hash=leaf.hex()))
        _positions_write(entries)
        MerkleNode.objects.bulk_create(nodes, batch_size=1000)
        head.size, head.frontier = frontier.size, [h.hex() for h in frontier.hashes]
        head.save(update_fields=["size", "frontier"])
        return checkpoint_sign(size=frontier.size, root=frontier.root())


def _positions_write(entries: list[AccessLogEntry]) -> None:
    """Set position and leaf hash of many entries in one round trip (Django's bulk_update
    builds a CASE per column, several times slower at a thousand rows)."""
    table = AccessLogEntry._meta.db_table
    rows = [(e.id, e.position, e.leaf_hash) for e in entries]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s::bigint, %s::bigint, %s)"] * len(rows))
            cursor.execute(
                f'UPDATE "{table}" AS t SET "position" = v.position, "leaf_hash" = v.leaf_hash '  # noqa: S608
                f"FROM (VALUES {values}) AS v(id, position, leaf_hash) WHERE t.id = v.id",
                [value for row in rows for value in row],
            )
        else:
            cursor.executemany(
                f'UPDATE "{table}" SET "position" = %s, "leaf_hash" = %s WHERE id = %s',  # noqa: S608
                [(position, leaf, entry_id) for entry_id, position, leaf in rows],
            )


def integrate_all() -> int:
    """Integrate everything waiting; returns the number of checkpoints signed."""
    signed = 0
    while integrate() is not None:
        signed += 1
    return signed


def checkpoint_sign(*, size: int, root: bytes) -> Checkpoint:
    timestamp = clock.now()
    signature, key_id, public = signing.sign(signing.checkpoint_note(size, root, timestamp))
    SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key": public.hex()})
    return Checkpoint.objects.create(
        tree_size=size,
        root_hash=root.hex(),
        timestamp=timestamp,
        signature=signature,
        key_id=key_id,
    )


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def inclusion_proof(*, position: int, tree_size: int) -> list[bytes]:
    return merkle.inclusion_proof(position, tree_size, _perfect_subtree)


def consistency_proof(*, old_size: int, new_size: int) -> list[bytes]:
    return merkle.consistency_proof(old_size, new_size, _perfect_subtree)


def checkpoint_verifies(checkpoint: Checkpoint) -> bool:
    key = SigningKey.objects.filter(key_id=checkpoint.key_id).first()
    if key is None:
        return False
    note = signing.checkpoint_note(
        checkpoint.tree_size, bytes.fromhex(checkpoint.root_hash), checkpoint.timestamp
    )
    return signing.verify(note, checkpoint.signature, bytes.fromhex(key.public_key))


def checkpoint_signed_note(checkpoint: Checkpoint, *, cosigned: bool = True) -> bytes:
    """The checkpoint as a C2SP signed note: its text, the log's signature line (the key named
    after the origin) and, if ``cosigned``, the witnesses' cosignatures kept with it."""
    text = signing.checkpoint_note(
        checkpoint.tree_size, bytes.fromhex(checkpoint.root_hash), checkpoint.timestamp
    )
    public = bytes.fromhex(SigningKey.objects.get(key_id=checkpoint.key_id).public_key)
    signatures = [
        note.Signature(
            settings.AUDITLOG_ORIGIN,
            signing.verifier(public).id,
            base64.b64decode(checkpoint.signature),
        )
    ]
    if cosigned:
        signatures += [
            note.Signature(c.witness_name, bytes.fromhex(c.key_id), base64.b64decode(c.signature))
            for c in checkpoint.cosignatures.order_by("witness_name", "key_id")
        ]
    return bytes(note.Note(text, tuple(signatures)))
