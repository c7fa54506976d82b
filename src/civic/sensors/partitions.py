"""Monthly range partitions of the observations on PostgreSQL (by phenomenon time, UTC).

Migration 0006 makes ``sensors_observation`` a partitioned table with a default partition;
the ingest makes the month's partition before it stores a batch that needs one
(``partitions_ensure``), so readings land in ``sensors_observation_pYYYY_MM`` and a query for
a day reads one partition; retention drops a month's partition whole once all of it is past
the raw retention, instead of deleting its rows. A month whose readings already sit in the
default partition (stored through another path before its partition existed) keeps them
there: the partition cannot be made over them, and every query still finds them. SQLite has
one plain table."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.db import DatabaseError, connection, transaction

log = logging.getLogger(__name__)
PARENT, DEFAULT = "sensors_observation", "sensors_observation_default"
#: Partitions known to exist, per process: the catalogue is asked once per new month.
_known: set[str] = set()


def month_of(at: dt.datetime) -> dt.date:
    return at.astimezone(dt.UTC).date().replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def partition_name(month: dt.date) -> str:
    return f"{PARENT}_p{month:%Y_%m}"


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(month, dt.time(), tzinfo=dt.UTC)
    return start, dt.datetime.combine(next_month(month), dt.time(), tzinfo=dt.UTC)


def partitioned() -> bool:
    return connection.vendor == "postgresql"


def partitions_list() -> dict[str, tuple[dt.datetime, dt.datetime] | None]:
    """Every partition of the observations: name -> its month's bounds (None: the default)."""
    if not partitioned():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
    out: dict[str, tuple[dt.datetime, dt.datetime] | None] = {}
    for name in names:
        if name == DEFAULT:
            out[name] = None
            continue
        year, month = name.rsplit("_p", 1)[1].split("_")
        out[name] = _bounds(dt.date(int(year), int(month), 1))
    return out


def partitions_ensure(times: Iterable[dt.datetime]) -> list[str]:
    """The monthly partitions for ``times``, made where missing; returns those made. A
    partition that cannot be made (its month has readings in the default partition, or a
    concurrent ingester made it first) is left: the readings go where they belong anyway."""
    if not partitioned():
        return []
    months = {month_of(t) for t in times}
    missing = [mo for mo in sorted(months) if partition_name(mo) not in _known]
    if not missing:
        return []
    # What is learnt here is remembered only once the transaction commits: a partition made in
    # one that rolls back is gone, and the next readings of its month must make it again.
    known = set(partitions_list())
    transaction.on_commit(partial(_known.update, known))
    if DEFAULT not in known:  # a plain table (a database before migration sensors 0006)
        return []
    made = []
    for month in missing:
        name = partition_name(month)
        if name in known:
            continue
        low, high = _bounds(month)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(  # the names are this module's constants, never input
                    f'SELECT 1 FROM "{DEFAULT}" WHERE phenomenon_time >= %s '  # noqa: S608
                    "AND phenomenon_time < %s LIMIT 1",
                    [low, high],
                )
                if cursor.fetchone():
                    log.info("readings of %s are in the default partition; kept there", month)
                    transaction.on_commit(partial(_known.add, name))
                    continue
                # DDL takes no parameters: the bounds are timestamps this module made.
                cursor.execute(
                    f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{PARENT}" '
                    f"FOR VALUES FROM ('{low.isoformat()}') TO ('{high.isoformat()}')"
                )
        except DatabaseError as error:
            log.warning(
                "the partition %s could not be made (%s); readings go to the default", name, error
            )
            continue
        transaction.on_commit(partial(_known.add, name))
        made.append(name)
    return made


def partitions_expired(before: dt.datetime) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """The monthly partitions wholly before ``before``: (name, start, end), oldest first."""
    months = [(name, *bounds) for name, bounds in partitions_list().items() if bounds]
    return sorted((m for m in months if m[2] <= before), key=lambda m: m[1])


def partition_drop(name: str) -> int:
    """Drop a monthly partition whole; returns how many readings it held."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 (a name from the catalogue)
        count = cursor.fetchone()[0]
        # Deferred foreign-key checks of rows written in this transaction are run now: a
        # table with checks pending cannot be dropped.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'DROP TABLE "{name}"')
    _known.discard(name)
    return count
