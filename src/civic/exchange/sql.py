"""Fixed SQL statements for the exchange's hot path, built once from the models and reused.

A query through the exchange is a handful of small indexed reads and one insert; building them
with the ORM costs several times what the database spends answering (docs/benchmarks.md), so
the statements are composed from the models' metadata once per shape and then only executed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Model


def _column(model: type[Model], path: str, joins: dict[str, str]) -> str:
    """SQL for an ORM-style path (``person__personal_number``), adding the joins it needs."""
    parts = path.split("__")
    if len(parts) == 1:
        return f't."{model._meta.get_field(parts[0]).column}"'
    if len(parts) != 2:
        raise ValueError(f"paths go one relation deep: {path}")
    field = model._meta.get_field(parts[0])
    alias = f"j_{parts[0]}"
    related = field.related_model
    if alias not in joins:
        table = related._meta.db_table
        if field.many_to_one or field.one_to_one:
            joins[alias] = f'JOIN "{table}" {alias} ON {alias}."id" = t."{field.column}"'
        else:  # a reverse relation: the other table holds the key
            joins[alias] = f'JOIN "{table}" {alias} ON {alias}."{field.field.column}" = t."id"'
    return f'{alias}."{related._meta.get_field(parts[1]).column}"'


@lru_cache(maxsize=512)
def records_statement(
    model: type[Model],
    link: str,
    paths: tuple[str, ...],
    count: int,
    time: str,
    valid: bool,
    history: bool = False,
) -> str:
    """SELECT link, *paths FROM the model's table for ``count`` subjects, true on a day (if
    ``valid``) and known at a moment; with ``history``, every version ever recorded (no time
    condition). Parameters: see ``records_params``."""
    joins: dict[str, str] = {}
    link_sql = _column(model, link, joins)
    columns = [_column(model, p, joins) for p in paths]
    where = [f"{link_sql} IN ({', '.join(['%s'] * count)})"]
    if time != "none" and valid and not history:
        where.append('t."valid_from" <= %s AND (t."valid_to" IS NULL OR t."valid_to" > %s)')
    if time == "bitemporal" and not history:
        where.append(
            't."recorded_from" <= %s AND (t."recorded_to" IS NULL OR t."recorded_to" > %s)'
        )
    elif time == "valid" and not history:
        where.append('t."recorded_from" <= %s')
    order = f'{link_sql}, t."valid_from"' if time != "none" else link_sql
    if history and time != "none":
        order += ', t."recorded_from", t."id"'
    return (
        f'SELECT {link_sql}, {", ".join(columns)} FROM "{model._meta.db_table}" t {" ".join(joins.values())} '  # noqa: S608
        f"WHERE {' AND '.join(where)} ORDER BY {order}"
    )


def records_params(
    subjects: list[str],
    time: str,
    valid_at: dt.date | None,
    known_at: dt.datetime,
    history: bool = False,
) -> list[Any]:
    params: list[Any] = list(subjects)
    if history:
        return params
    if time != "none" and valid_at is not None:
        params += [day(valid_at), day(valid_at)]
    if time == "bitemporal":
        params += [moment(known_at), moment(known_at)]
    elif time == "valid":
        params.append(moment(known_at))
    return params


def day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def moment(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute_many(sql: str, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
