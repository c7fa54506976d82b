"""Reads of the access log's proofs for anyone to verify: the signing keys, an entry's
inclusion proof and the consistency of two tree sizes (RFC 6962), over the integrated log.
Re-exported by exchange.selectors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civic.exchange import auditlog
from civic.exchange.errors import QueryRefused
from civic.exchange.models import AccessLogEntry, TreeHead


def signing_keys_list() -> list[dict[str, str]]:
    """Every key that ever signed a checkpoint, oldest first (older checkpoints still verify)."""
    from civic.exchange.models import SigningKey

    return list(SigningKey.objects.order_by("created_at").values("key_id", "public_key"))


def _integrated_size() -> int:
    head = TreeHead.objects.filter(pk=1).first()
    return head.size if head else 0


def inclusion_proof_get(*, position: int, tree_size: int) -> dict[str, Any]:
    size = _integrated_size()
    if not position < tree_size <= size:
        raise QueryRefused(
            _(
                "The log has %(size)s entries: ask for a tree size from 1 to that, and a position below the tree size."
            )
            % {"size": size},
            items=[str(position), str(tree_size)],
        )
    leaf = AccessLogEntry.objects.values_list("leaf_hash", flat=True).get(position=position)
    proof = auditlog.inclusion_proof(position=position, tree_size=tree_size)
    return {
        "tree_size": tree_size,
        "position": position,
        "leaf_hash": leaf,
        "proof": [p.hex() for p in proof],
    }


def consistency_proof_get(*, old_size: int, new_size: int) -> dict[str, Any]:
    size = _integrated_size()
    if not old_size <= new_size <= size:
        raise QueryRefused(
            _(
                "The log has %(size)s entries: ask for two tree sizes from 1 to that, the old one no larger than the new one."
            )
            % {"size": size},
            items=[str(old_size), str(new_size)],
        )
    proof = auditlog.consistency_proof(old_size=old_size, new_size=new_size)
    return {"tree_size": new_size, "old_size": old_size, "proof": [p.hex() for p in proof]}
