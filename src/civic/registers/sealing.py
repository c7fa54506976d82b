"""Which register columns are stored encrypted (from the catalogue), opening and sealing them
on a row, and the chunked pass that seals clear values and re-encrypts old keys' values.

The pass is what both the first encryption of a database and a key rotation run: it walks a
table by id in chunks, each chunk its own transaction, and returns where it stopped, so the
caller (compliance's key rotation) records progress and can resume. Reads go on throughout:
every value carries its key id, and a clear value is read as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Model

from civic.core import fieldcrypt
from civic.core.fieldkeys.registry import source_current
from civic.registers import models as m
from civic.registers.catalogue import REGISTERS


@lru_cache(maxsize=1)
def sealed_map() -> dict[type[Model], tuple[str, ...]]:
    """``{model: (field names stored encrypted)}``, from the catalogue's classification."""
    out: dict[type[Model], list[str]] = {}
    for register in REGISTERS.values():
        for record in register.records:
            for attribute in record.attributes:
                if attribute.encrypted:
                    out.setdefault(getattr(m, record.model), []).append(attribute.name)
    return {model: tuple(dict.fromkeys(names)) for model, names in out.items()}


def sealed_columns(model: type[Model]) -> tuple[str, ...]:
    return sealed_map().get(model, ())


def value_open(model: type[Model], field: str, value: object, row_id: int) -> object:
    """The clear value, as the field gives it (an amount as a number, not text)."""
    the_field = model._meta.get_field(field)
    clear = fieldcrypt.unseal(
        value if value is None else str(value),
        table=model._meta.db_table,
        column=the_field.column,
        row_id=row_id,
    )
    return the_field.to_python(clear)


def row_open(row: Model) -> None:
    """Replace the row's sealed values by clear ones in memory (before copying the row)."""
    for name in sealed_columns(type(row)):
        setattr(row, name, value_open(type(row), name, getattr(row, name), row.pk))


def row_seal(row: Model) -> None:
    """Seal the stored row's clear values under the current key (no-op when encryption is off)."""
    model, source = type(row), source_current()
    names = sealed_columns(model)
    if source is None or not names:
        return
    changes = {}
    for name in names:
        value = getattr(row, name)
        if value is not None and not fieldcrypt.is_sealed(value):
            changes[name] = fieldcrypt.seal(
                str(value),
                table=model._meta.db_table,
                column=model._meta.get_field(name).column,
                row_id=row.pk,
                source=source,
            )
    if changes:
        model.objects.filter(pk=row.pk).update(**changes)


#: Rows per UPDATE statement (SQLite allows 32,766 parameters to a statement).
UPDATE_BATCH = 1_000


def _update_from_values(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """One ``UPDATE ... FROM (VALUES ...)`` for ``rows`` of ``(*values, id)``: several times
    faster than a statement per row on PostgreSQL, and SQLite (3.33+) speaks it too."""
    # VALUES' columns are column1, column2, ... on both databases (SQLite names no others).
    width = len(columns) + 1
    marks = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(rows))
    assignments = ", ".join(f'"{c}" = v.column{i + 1}' for i, c in enumerate(columns))
    cursor.execute(
        f'UPDATE "{table}" SET {assignments} FROM (VALUES {marks}) AS v '  # noqa: S608
        f'WHERE "{table}".id = v.column{width}',
        [value for row in rows for value in row],
    )


@dataclass
class SealChunk:
    last_id: int
    scanned: int
    sealed: int
    done: bool


def seal_chunk(*, model_name: str, after_id: int, size: int) -> SealChunk:
    """Seal (or re-encrypt to the current key) the next ``size`` rows of ``model_name`` after
    ``after_id``, in one transaction. Values already under the current key are left alone."""
    model = getattr(m, model_name)
    names = sealed_columns(model)
    source = source_current()
    if source is None:
        raise fieldcrypt.FieldDecryptError("field encryption is off (CIVIC_FIELD_KEYS=off)")
    current = source.current_id()
    table = model._meta.db_table
    columns = [model._meta.get_field(n).column for n in names]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, {quoted} FROM "{table}" WHERE id > %s ORDER BY id LIMIT %s',  # noqa: S608
            [after_id, size],
        )
        rows = cursor.fetchall()
        updates = []
        for row_id, *values in rows:
            new = []
            for column, value in zip(columns, values, strict=True):
                if value is None or (
                    fieldcrypt.is_sealed(value) and fieldcrypt.key_id_of(value) == current
                ):
                    new.append(value)
                    continue
                clear = fieldcrypt.unseal(str(value), table=table, column=column, row_id=row_id)
                new.append(
                    fieldcrypt.seal(clear, table=table, column=column, row_id=row_id, source=source)
                )
            if new != list(values):
                updates.append((*new, row_id))
        for start in range(0, len(updates), UPDATE_BATCH):
            _update_from_values(cursor, table, columns, updates[start : start + UPDATE_BATCH])
    return SealChunk(
        last_id=rows[-1][0] if rows else after_id,
        scanned=len(rows),
        sealed=len(updates),
        done=len(rows) < size,
    )


def sealed_models() -> list[str]:
    return [model.__name__ for model in sealed_map()]


def rows_total(model_name: str) -> int:
    return getattr(m, model_name).objects.count()


#: Rows per chunk when a whole database is sealed at once (the generator's own transaction).
SEAL_ALL_CHUNK = 20_000


def seal_all() -> int:
    """Seal every clear value under the current key, in the caller's transaction (the
    jurisdiction generator: nothing clear is ever committed when a key is configured); the
    number of values sealed. Nothing to do when field encryption is off."""
    if source_current() is None:
        return 0
    sealed = 0
    for name in sealed_models():
        after = 0
        while True:
            chunk = seal_chunk(model_name=name, after_id=after, size=SEAL_ALL_CHUNK)
            sealed, after = sealed + chunk.sealed, chunk.last_id
            if chunk.done:
                break
    return sealed
