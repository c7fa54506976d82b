"""Bulk loading of generated rows: executemany on SQLite, COPY on PostgreSQL.

Generated columns arrive as NumPy arrays. Dates are day numbers (days since 1970-01-01) and
record times are seconds since the epoch (UTC); ``NA`` marks NULL in both. While loading,
secondary indexes (and on PostgreSQL foreign keys) are dropped and rebuilt afterwards, inside
the same transaction, which is several times faster than maintaining them row by row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection
from django.db.models import Model

NA = np.int64(-(10**12))


def days_to_text(days: np.ndarray) -> list:
    """Day numbers to ISO dates; NA to None."""
    days = np.asarray(days, dtype=np.int64)
    missing = days == NA
    text = np.datetime_as_string(np.where(missing, 0, days).astype("datetime64[D]"))
    out = text.astype(object)
    out[missing] = None
    return out.tolist()


def seconds_to_text(seconds: np.ndarray, *, zone_suffix: str) -> list:
    """Epoch seconds to 'YYYY-MM-DD HH:MM:SS' (UTC, as Django stores it); NA to None."""
    seconds = np.asarray(seconds, dtype=np.int64)
    missing = seconds == NA
    text = np.datetime_as_string(np.where(missing, 0, seconds).astype("datetime64[s]"))
    text = np.char.add(np.char.replace(text, "T", " "), zone_suffix)
    out = text.astype(object)
    out[missing] = None
    return out.tolist()


@contextmanager
def _raw_cursor():
    """The driver's own cursor: no SQL logging, native placeholders (? on SQLite, %s on
    PostgreSQL), COPY on psycopg. Runs inside the caller's transaction."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


class BulkWriter:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.zone_suffix = "+00" if self.vendor == "postgresql" else ""
        self.rows_written: dict[str, int] = {}

    def write(self, model: type[Model], columns: dict[str, Sequence]) -> int:
        """Insert rows given column-wise; keys are field names (``person`` for ``person_id``)."""
        if not columns:
            return 0
        names = list(columns)
        fields = [model._meta.get_field(name) for name in names]
        values = [
            self._python_values(field, columns[name])
            for field, name in zip(fields, names, strict=True)
        ]
        count = len(values[0])
        if count == 0:
            return 0
        table = model._meta.db_table
        db_columns = [field.column for field in fields]
        rows = zip(*values, strict=True)
        with _raw_cursor() as cursor:
            if self.vendor == "postgresql":
                quoted = ", ".join(f'"{c}"' for c in db_columns)
                with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(db_columns))
                quoted = ", ".join(f'"{c}"' for c in db_columns)
                sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'  # noqa: S608 (names from our models)
                cursor.executemany(sql, list(rows))
        self.rows_written[model.__name__] = self.rows_written.get(model.__name__, 0) + count
        return count

    def update(self, model: type[Model], *, ids: np.ndarray, columns: dict[str, Sequence]) -> int:
        """Set ``columns`` on the rows with primary keys ``ids``."""
        if not len(ids):
            return 0
        fields = [model._meta.get_field(name) for name in columns]
        values = [self._python_values(f, columns[f.name]) for f in fields]
        mark = "%s" if self.vendor == "postgresql" else "?"
        assignments = ", ".join(f'"{f.column}" = {mark}' for f in fields)
        rows = [
            (*row, pk)
            for row, pk in zip(zip(*values, strict=True), np.asarray(ids).tolist(), strict=True)
        ]
        with _raw_cursor() as cursor:
            cursor.executemany(
                f'UPDATE "{model._meta.db_table}" SET {assignments} WHERE id = {mark}',  # noqa: S608
                rows,
            )
        return len(rows)

    def _python_values(self, field, data) -> list:
        internal = field.get_internal_type()
        if isinstance(data, list):
            return data
        array = np.asarray(data)
        if internal == "DateField":
            return days_to_text(array)
        if internal == "DateTimeField":
            return seconds_to_text(array, zone_suffix=self.zone_suffix)
        if internal == "BooleanField":
            return array.astype(bool).tolist()
        if array.dtype.kind in "iu" and field.null:
            out = array.astype(object)
            out[array == NA] = None
            return out.tolist()
        return array.tolist()

    @contextmanager
    def fast_load(self, models: list[type[Model]]) -> Iterator[None]:
        """Drop secondary indexes (and PostgreSQL foreign keys) of ``models``; rebuild after."""
        tables = [m._meta.db_table for m in models]
        with _raw_cursor() as cursor:
            restore = (
                self._drop_pg(cursor, tables)
                if self.vendor == "postgresql"
                else self._drop_sqlite(cursor, tables)
            )
        yield
        with _raw_cursor() as cursor:
            for statement in restore:
                cursor.execute(statement)
            if self.vendor == "postgresql":
                for table in tables:
                    self._sequence_forward(cursor, table)
                for table in tables:
                    cursor.execute(f'ANALYZE "{table}"')
            else:
                cursor.execute("ANALYZE")

    @staticmethod
    def _sequence_forward(cursor, table: str) -> None:
        """Move ``table``'s id sequence past the rows just loaded with their own ids, never
        back: setval is not undone by a rollback, so a sequence set back by a load that was
        rolled back would hand out ids that rows committed before still hold."""
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
        (sequence,) = cursor.fetchone()
        if sequence is None:
            return
        cursor.execute(
            f'SELECT setval(%s, (SELECT max(id) FROM "{table}")) FROM {sequence} '  # noqa: S608
            f'WHERE (SELECT max(id) FROM "{table}") > '
            "CASE WHEN is_called THEN last_value ELSE last_value - 1 END",
            [sequence],
        )

    @staticmethod
    def _drop_sqlite(cursor, tables: list[str]) -> list[str]:
        marks = ", ".join("?" * len(tables))
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND tbl_name IN ({marks})",
            tables,
        )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
        return [sql for _name, sql in found]

    @staticmethod
    def _drop_pg(cursor, tables: list[str]) -> list[str]:
        restore: list[str] = []
        cursor.execute(
            "SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
            [[f'"{t}"' for t in tables] + tables],
        )
        foreign_keys = cursor.fetchall()
        for name, table, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(definition)
        restore += [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for name, table, definition in foreign_keys
        ]
        return restore
