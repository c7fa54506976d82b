"""The registers' retention rules, from the catalogue, and applying them in chunks.

An attribute's ``retention_years`` counts from when its record was closed: superseded
(``recorded_to``) or ended (``valid_to``), whichever came first. A record type whose every
attribute has a retention loses its expired rows whole; where some attributes are kept for
good (or longer), only the shorter-lived ones are blanked (anonymised). Anchors (a person's
number, a business's) are kept for good and never touched.

Work goes by ranges of ids, one statement per range, so memory stays flat however big the
register; the caller holds the transaction (a failed run rolls back whole).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, Min, Model

from civic.registers import models as m
from civic.registers.catalogue import REGISTERS

DELETE, ANONYMISE = "delete", "anonymise"


@dataclass(frozen=True)
class RegisterRule:
    """One retention rule: ``action`` on ``attributes`` of ``register.record`` after ``years``."""

    register: str
    authority: str  # the agency code of the register's authority
    record: str
    model: str
    years: int
    action: str
    attributes: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.register}.{self.record}:{self.action}:{self.years}y"


def _closes(model: type[Model]) -> bool:
    """The model's rows can be closed: they have both record time and valid time."""
    names = {f.name for f in model._meta.fields}
    return {"valid_to", "recorded_to"} <= names


def rules_list() -> list[RegisterRule]:
    """Every register retention rule the catalogue implies, in a stable order."""
    rules: list[RegisterRule] = []
    for register in REGISTERS.values():
        for record in register.records:
            model = getattr(m, record.model)
            if not _closes(model):
                continue  # anchors and timeless tables: nothing ever closes
            values = [a for a in record.attributes if a.name not in TIME_NAMES]
            finite = {a.retention_years for a in values if a.retention_years is not None}
            if not finite:
                continue
            kept_for_good = any(a.retention_years is None for a in values)
            longest = max(finite)
            for years in sorted(finite):
                whole = years == longest and not kept_for_good
                rules.append(
                    RegisterRule(
                        register.key,
                        register.authority,
                        record.key,
                        record.model,
                        years,
                        DELETE if whole else ANONYMISE,
                        tuple(
                            a.name
                            for a in (record.attributes if whole else values)
                            if whole or a.retention_years == years
                        ),
                    )
                )
    return rules


TIME_NAMES = {"valid_from", "valid_to", "recorded_from", "recorded_to"}


def cutoff(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _expired_sql(table: str) -> str:
    return (
        f'FROM "{table}" WHERE id >= %s AND id < %s AND ('
        "(recorded_to IS NOT NULL AND recorded_to < %s) OR (valid_to IS NOT NULL AND valid_to < %s))"
    )


def _blank_assignments(model: type[Model], names: tuple[str, ...]) -> tuple[str, list, str]:
    """``SET`` clause blanking ``names``, its parameters, and a condition that skips rows
    already blank (so a second run counts nothing)."""
    sets, params, pending = [], [], []
    for name in names:
        field = model._meta.get_field(name)
        column = f'"{field.column}"'
        if field.null:
            sets.append(f"{column} = NULL")
            pending.append(f"{column} IS NOT NULL")
        elif field.get_internal_type() in {"CharField", "TextField"}:
            sets.append(f"{column} = %s")
            params.append("")
            pending.append(f"{column} <> ''")
        else:
            raise ValueError(f"{model.__name__}.{name} can be neither NULL nor blank")
    return ", ".join(sets), params, " OR ".join(pending)


def _ranges(model: type[Model], size: int) -> Iterator[tuple[int, int]]:
    bounds = model.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return
    start = bounds["low"]
    while start <= bounds["high"]:
        yield start, start + size
        start += size


def rule_apply(
    rule: RegisterRule,
    *,
    today: dt.date,
    dry_run: bool,
    chunk: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rows deleted or anonymised by ``rule`` (counted only, on a dry run)."""
    model = getattr(m, rule.model)
    table = model._meta.db_table
    day = cutoff(today, rule.years)
    moment = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    ops = connection.ops
    when = [ops.adapt_datetimefield_value(moment), ops.adapt_datefield_value(day)]
    total = 0
    with connection.cursor() as cursor:
        for low, high in _ranges(model, chunk):
            where = _expired_sql(table)
            params = [low, high, *when]
            if rule.action == ANONYMISE:
                sets, set_params, pending = _blank_assignments(model, rule.attributes)
                condition = f" AND ({pending})"
                if dry_run:
                    cursor.execute(f"SELECT COUNT(*) {where}{condition}", params)
                    total += cursor.fetchone()[0]
                else:
                    cursor.execute(
                        f'UPDATE "{table}" SET {sets} WHERE id IN (SELECT id {where}{condition})',  # noqa: S608
                        [*set_params, *params],
                    )
                    total += cursor.rowcount
            elif dry_run:
                cursor.execute(f"SELECT COUNT(*) {where}", params)
                total += cursor.fetchone()[0]
            else:
                cursor.execute(f"DELETE {where}", params)
                total += cursor.rowcount
            if progress:
                progress(total)
    return total
