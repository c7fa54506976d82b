"""The registers' retention and field encryption, for the compliance app above: the exchange
stays the only door to the register tables (these touch no released data and log nothing,
as they read no one's data out). Re-exported by ``exchange.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from civic.registers import retention, sealing
from civic.registers.retention import RegisterRule
from civic.registers.sealing import SealChunk


def register_retention_rules() -> list[RegisterRule]:
    return retention.rules_list()


def register_retention_apply(
    *,
    rule: RegisterRule,
    today: dt.date,
    dry_run: bool,
    chunk: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    return retention.rule_apply(rule, today=today, dry_run=dry_run, chunk=chunk, progress=progress)


def register_sealed_tables() -> list[str]:
    """Register models with encrypted columns (``PersonRecord``, ``Income``)."""
    return sealing.sealed_models()


def register_sealed_attributes() -> dict[str, tuple[str, ...]]:
    return {model.__name__: names for model, names in sealing.sealed_map().items()}


def register_rows_total(*, table: str) -> int:
    return sealing.rows_total(table)


def register_seal_chunk(*, table: str, after_id: int, size: int) -> SealChunk:
    return sealing.seal_chunk(model_name=table, after_id=after_id, size=size)
