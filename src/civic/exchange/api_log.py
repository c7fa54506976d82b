"""The access log's public side of the exchange API: the newest signed checkpoint, the keys
that sign checkpoints, and inclusion and consistency proofs, for anyone to check the log."""

from __future__ import annotations

import base64
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from civic.core.errors import NotFound
from civic.exchange import auditlog, selectors

router = Router(tags=["exchange"])


class CheckpointOut(Schema):
    origin: str
    tree_size: int
    root_hash: str = Field(..., description="hex")
    timestamp: dt.datetime
    key_id: str
    signature: str = Field(..., description="Ed25519 over the note, base64")
    note: str = Field(..., description="The signed text (C2SP checkpoint), base64")
    witnessed: bool = Field(
        False, description="Co-signed by CIVIC_AUDITLOG_WITNESS_QUORUM of the log's witnesses"
    )
    signed_note: str = Field(
        "",
        description="The whole C2SP signed note: text, the log's signature and the witnesses' "
        "cosignatures. Keep it: `civic auditlog verify --against` proves the log still holds it",
    )


def _checkpoint_out(checkpoint, *, witnessed: bool = False) -> dict:
    from civic.exchange import signing

    note = signing.checkpoint_note(
        checkpoint.tree_size, bytes.fromhex(checkpoint.root_hash), checkpoint.timestamp
    )
    return {
        "origin": settings.AUDITLOG_ORIGIN,
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "timestamp": checkpoint.timestamp,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "note": base64.b64encode(note).decode(),
        "witnessed": witnessed,
        "signed_note": auditlog.checkpoint_signed_note(checkpoint).decode(),
    }


@router.get("/log/checkpoint", response=CheckpointOut, summary="The latest signed checkpoint")
def checkpoint(request):
    """The newest checkpoint that enough witnesses co-signed (docs/exchange.md, witnessing);
    without witnesses, or before any co-signed, the newest."""
    from civic.exchange.witnessing import checkpoint_published

    latest, witnessed = checkpoint_published()
    if latest is None:
        raise NotFound(_("The access log has no checkpoint yet."))
    return _checkpoint_out(latest, witnessed=witnessed)


class KeyOut(Schema):
    key_id: str
    public_key: str = Field(..., description="Raw Ed25519 public key, hex")


@router.get("/log/keys", response=list[KeyOut], summary="Keys that sign checkpoints")
def keys(request):
    return selectors.signing_keys_list()


class ProofOut(Schema):
    tree_size: int
    proof: list[str] = Field(..., description="hex hashes, RFC 6962 order")
    leaf_hash: str | None = None
    position: int | None = None
    old_size: int | None = None


class InclusionQuery(Schema):
    position: int = Field(..., ge=0)
    tree_size: int = Field(..., ge=1)


@router.get("/log/proof/inclusion", response=ProofOut, summary="Inclusion proof of an entry")
def inclusion(request, params: Query[InclusionQuery]):
    return selectors.inclusion_proof_get(position=params.position, tree_size=params.tree_size)


class ConsistencyQuery(Schema):
    old_size: int = Field(..., ge=1)
    tree_size: int = Field(..., ge=1)


@router.get(
    "/log/proof/consistency", response=ProofOut, summary="Consistency proof between two sizes"
)
def consistency(request, params: Query[ConsistencyQuery]):
    return selectors.consistency_proof_get(old_size=params.old_size, new_size=params.tree_size)
