"""Asking the witnesses of CIVIC_AUDITLOG_WITNESSES to co-sign the newest checkpoint
(c2sp.org/tlog-witness), keeping their cosignatures, and how far behind they are.

A witness that is down or refuses holds up nothing but its own cosignature: the log keeps
growing, the checkpoint stays un-witnessed, and the witness is asked again after a pause that
doubles up to MAX_PAUSE; `civic auditlog status` shows the lag. A refusal because the witness
holds a larger or a different tree is logged as an error: the log was cut back or forked.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from civic.core import clock
from civic.exchange import auditlog, note
from civic.exchange.models import AccessLogEntry, Checkpoint, Cosignature, TreeHead, Witness
from civic.exchange.witness import SIZE_TYPE

log = logging.getLogger("civic.exchange")
MAX_PAUSE = 300  # seconds between offers to a failing witness, at most
MAX_ANSWER = 64 * 1024


@dataclass(frozen=True)
class WitnessConfig:
    url: str
    verifier: note.Verifier

    @property
    def key(self) -> tuple[str, str]:
        return self.verifier.name, self.verifier.id.hex()


def witnesses_configured() -> list[WitnessConfig]:
    """The witnesses of CIVIC_AUDITLOG_WITNESSES (each `<url> <vkey>`, shape checked in conf)."""
    configs = []
    for item in settings.AUDITLOG_WITNESSES:
        url, vkey = item.split(" ")
        configs.append(WitnessConfig(url.rstrip("/"), note.Verifier.from_vkey(vkey)))
    return configs


def witnesses_update(*, force: bool = False) -> dict[str, str]:
    """Offer the newest checkpoint to each witness that has not co-signed it and is due (or to
    all, with ``force``); returns what happened, by witness name."""
    configs = witnesses_configured()
    latest = auditlog.checkpoint_latest() if configs else None
    if latest is None:
        return {}
    return {config.verifier.name: _offer(config, latest, force=force) for config in configs}


def _offer(config: WitnessConfig, checkpoint: Checkpoint, *, force: bool) -> str:
    name, key_id = config.key
    row, _ = Witness.objects.get_or_create(name=name, key_id=key_id)
    if checkpoint.cosignatures.filter(witness_name=name, key_id=key_id).exists():
        return f"co-signed size {checkpoint.tree_size}"
    if not force and row.next_attempt_at and row.next_attempt_at > clock.now():
        return f"waiting until {row.next_attempt_at:%H:%M:%S} after: {row.last_error}"
    signed = auditlog.checkpoint_signed_note(checkpoint, cosigned=False)
    size, old = checkpoint.tree_size, row.size
    # The HTTP exchange runs outside any transaction: a slow witness must hold no lock that
    # the access log's writers wait for. Two processes offering at once is harmless; the
    # witness serialises them.
    for _attempt in range(3):
        if old > size:
            return _failed(
                row,
                f"the witness holds size {old}, more than the newest checkpoint ({size}): "
                "entries were removed from the access log",
                alarm=True,
            )
        proof = auditlog.consistency_proof(old_size=old, new_size=size) if 0 < old < size else []
        body = b"".join(
            [f"old {old}\n".encode(), *(base64.b64encode(h) + b"\n" for h in proof), b"\n", signed]
        )
        try:
            status, kind, answer = _post(f"{config.url}/add-checkpoint", body)
        except (OSError, http.client.HTTPException) as error:
            return _failed(row, f"could not reach the witness at {config.url}: {error}")
        if status == 409 and kind == SIZE_TYPE and answer.strip().isdigit():
            old = int(answer)  # it holds another size: prove consistency from that one
            row.size = old
            continue
        if status == 200:
            return _cosigned(row, config, checkpoint, signed, answer)
        reason = answer.decode(errors="replace").strip().splitlines()[:1] or [""]
        return _failed(
            row,
            f"the witness refused the checkpoint at size {size} ({status}): {reason[0][:200]}",
            alarm=status in (409, 422),
        )
    return _failed(row, "the witness's size kept changing while it was asked")


def _post(url: str, body: bytes) -> tuple[int, str, bytes]:
    request = urllib.request.Request(  # noqa: S310 (the URL is the operator's own setting, http(s) only)
        url, data=body, method="POST", headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    timeout = settings.AUDITLOG_WITNESS_TIMEOUT_SECONDS
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers.get_content_type(), response.read(MAX_ANSWER)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read(MAX_ANSWER)


def _cosigned(
    row: Witness, config: WitnessConfig, checkpoint: Checkpoint, signed: bytes, answer: bytes
) -> str:
    """Keep the cosignatures of the configured key that verify (others are ignored, as the
    spec asks); an answer with none is a failure like any other."""
    try:
        answered = note.note_parse(note.note_parse(signed).text + b"\n" + answer)
        if not answered.verified_by([config.verifier]):
            return _failed(row, "the witness answered without a cosignature from its key")
    except note.NoteError as error:
        return _failed(row, f"the witness's answer does not verify: {error}")
    now = clock.now()
    with transaction.atomic():
        for signature in answered.signatures:
            if (signature.name, signature.id.hex()) == config.key:
                Cosignature.objects.get_or_create(
                    checkpoint=checkpoint,
                    witness_name=signature.name,
                    key_id=signature.id.hex(),
                    defaults={
                        "signature": base64.b64encode(signature.data).decode(),
                        "cosigned_at": dt.datetime.fromtimestamp(signature.timestamp, dt.UTC),
                    },
                )
        row.size, row.cosigned_at, row.failures = checkpoint.tree_size, now, 0
        row.next_attempt_at, row.last_error = None, ""
        row.save()
    return f"co-signed size {checkpoint.tree_size}"


def _failed(row: Witness, reason: str, *, alarm: bool = False) -> str:
    row.failures += 1
    pause = min(settings.AUDITLOG_CHECKPOINT_SECONDS * 2 ** (row.failures - 1), MAX_PAUSE)
    row.next_attempt_at = clock.now() + dt.timedelta(seconds=pause)
    row.last_error = reason
    row.save()
    (log.error if alarm else log.warning)("witness %s: %s", row.name, reason)
    return reason


def checkpoint_witnessed_latest() -> Checkpoint | None:
    """The newest checkpoint with cosignatures of at least CIVIC_AUDITLOG_WITNESS_QUORUM of the
    configured witnesses (counted from the cosignatures' side: most checkpoints have none)."""
    configs = witnesses_configured()
    if not configs:
        return None
    known = Q()
    for name, key_id in (c.key for c in configs):
        known |= Q(witness_name=name, key_id=key_id)
    found = (
        Cosignature.objects.filter(known)
        .values("checkpoint_id", "checkpoint__tree_size")
        .annotate(witnesses=Count("id"))
        .filter(witnesses__gte=settings.AUDITLOG_WITNESS_QUORUM)
        .order_by("-checkpoint__tree_size")
        .first()
    )
    return None if found is None else Checkpoint.objects.get(pk=found["checkpoint_id"])


def checkpoint_published() -> tuple[Checkpoint | None, bool]:
    """The checkpoint to give partners, and whether it is witnessed: the newest witnessed one,
    or (without witnesses, or before any co-signed) the newest."""
    witnessed = checkpoint_witnessed_latest()
    if witnessed is not None:
        return witnessed, True
    return auditlog.checkpoint_latest(), False


@dataclass(frozen=True)
class Status:
    integrated: int
    waiting: int
    newest: Checkpoint | None
    witnessed: Checkpoint | None
    witnesses: list[tuple[WitnessConfig, Witness | None]]


def auditlog_status() -> Status:
    head = TreeHead.objects.filter(pk=1).first()
    rows = {(w.name, w.key_id): w for w in Witness.objects.all()}
    configs = witnesses_configured()
    return Status(
        integrated=head.size if head else 0,
        waiting=AccessLogEntry.objects.filter(position__isnull=True).count(),
        newest=auditlog.checkpoint_latest(),
        witnessed=checkpoint_witnessed_latest(),
        witnesses=[(c, rows.get(c.key)) for c in configs],
    )
