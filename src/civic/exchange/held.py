"""Checking the access log against a checkpoint held elsewhere (a witness's state, a partner's
copy): `civic auditlog verify --against FILE`.

The log's own checkpoints live on the same host as the log and can be deleted with the entries
they cover; a checkpoint held elsewhere cannot. The log must still contain that tree: its
signature is checked, then the whole log is verified from its entries, and a consistency proof
from the held size to the current size, made from the hashes recomputed from the entries,
must lead from the held root to the current root.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from civic.exchange import merkle, note, signing
from civic.exchange.models import SigningKey
from civic.exchange.verify import Report, auditlog_verify
from civic.exchange.witnessing import witnesses_configured


class HeldCheckpointRefused(Exception):
    """The held checkpoint is not one this log signed, or the log no longer contains it."""


def checkpoint_held_read(data: bytes) -> tuple[note.Checkpoint, int]:
    """The checkpoint in ``data`` once its signatures are checked: the log's (by any key the log
    has used) and those of configured witnesses on it; returns it and how many witnesses
    co-signed it."""
    try:
        held = note.note_parse(data)
        checkpoint = note.checkpoint_parse(held.text)
    except (note.NoteError, UnicodeDecodeError) as error:
        raise HeldCheckpointRefused(f"the file is not a signed checkpoint: {error}") from None
    if checkpoint.origin != settings.AUDITLOG_ORIGIN:
        raise HeldCheckpointRefused(
            f"the checkpoint is of another log ({checkpoint.origin!r}, not "
            f"{settings.AUDITLOG_ORIGIN!r})"
        )
    keys = [signing.verifier(bytes.fromhex(k.public_key)) for k in SigningKey.objects.all()]
    try:
        signed_by = held.verified_by(keys)
        witnessed_by = held.verified_by([c.verifier for c in witnesses_configured()])
    except note.NoteError as error:
        raise HeldCheckpointRefused(f"the held checkpoint was altered: {error}") from None
    if not signed_by:
        raise HeldCheckpointRefused(
            "the held checkpoint is not signed by any key this log has used"
        )
    return checkpoint, len(witnessed_by)


def checkpoint_held_check(
    data: bytes,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
) -> tuple[note.Checkpoint, Report]:
    """Verify the log and prove it contains the checkpoint in ``data``; raises
    HeldCheckpointRefused with a one-line reason, or returns the checkpoint and the report
    (whose own problems, if any, the caller reports first)."""
    held, _witnesses = checkpoint_held_read(data)
    report = auditlog_verify(progress, workers=workers, against=held.size)
    if not report.ok:
        return held, report
    size = report.entries
    if size < held.size:
        raise HeldCheckpointRefused(
            f"the log has {size:,} entries but a checkpoint held elsewhere covers {held.size:,}: "
            f"entries from position {size} on were removed"
        )
    if held.size == 0:
        return held, report
    proof = (
        merkle.consistency_proof(
            held.size, size, lambda level, start: report.subtrees[level, start]
        )
        if held.size < size
        else []
    )
    if not merkle.verify_consistency(held.size, size, held.root, report.roots[size], proof):
        raise HeldCheckpointRefused(
            f"the log's first {held.size:,} entries no longer give the root of the checkpoint "
            "held elsewhere: the log was changed or forked since"
        )
    return held, report
