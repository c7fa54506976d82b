"""On PostgreSQL, sensors_observation becomes a table partitioned by month of phenomenon time
(sensors/partitions.py), with a default partition; the readings stored so far are moved into
partitions of their months. The table's columns, constraints and index names stay as Django
made them, so the model and later migrations see the same table. The primary key becomes
(id, phenomenon_time), as a partitioned table's must include the partition key; id is drawn
from a sequence of its own (PostgreSQL 15 has no identity column on a partitioned table).
SQLite keeps its plain table."""

from django.db import migrations

COLUMNS = (
    '"id" bigint NOT NULL, "phenomenon_time" timestamp with time zone NOT NULL, '
    '"phenomenon_time_end" timestamp with time zone NULL, '
    '"result_time" timestamp with time zone NULL, "result_number" double precision NULL, '
    '"result_json" jsonb NULL, "result_quality" jsonb NULL, "parameters" jsonb NULL, '
    '"datastream_id" bigint NOT NULL, "feature_of_interest_id" bigint NULL'
)
ALL = (
    "id, phenomenon_time, phenomenon_time_end, result_time, result_number, result_json, "
    "result_quality, parameters, datastream_id, feature_of_interest_id"
)
FOREIGN_KEYS = [
    (
        "sensors_observation_datastream_id_511f374b_fk_sensors_d",
        "datastream_id",
        "sensors_datastream",
    ),
    (
        "sensors_observation_feature_of_interest__f563bd79_fk_sensors_f",
        "feature_of_interest_id",
        "sensors_featureofinterest",
    ),
]
INDEXES = [
    ("sensors_observation_datastream_id_511f374b", "datastream_id"),
    ("sensors_observation_feature_of_interest_id_f563bd79", "feature_of_interest_id"),
]


def _finish(cursor, table: str) -> None:
    """Constraints and indexes of the new table under Django's names."""
    cursor.execute(
        f'ALTER TABLE "{table}" ADD CONSTRAINT "sensors_observation_one_per_instant" '
        'UNIQUE ("datastream_id", "phenomenon_time")'
    )
    for name, column, target in FOREIGN_KEYS:
        cursor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" FOREIGN KEY ("{column}") '
            f'REFERENCES "{target}" ("id") DEFERRABLE INITIALLY DEFERRED'
        )
    for name, column in INDEXES:
        cursor.execute(f'CREATE INDEX "{name}" ON "{table}" ("{column}")')


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "sensors_observation" RENAME TO "sensors_observation_plain"')
        cursor.execute(
            'ALTER TABLE "sensors_observation_plain" '
            'RENAME CONSTRAINT "sensors_observation_pkey" TO "sensors_observation_plain_pkey"'
        )
        cursor.execute(
            f'CREATE TABLE "sensors_observation" ({COLUMNS}, CONSTRAINT "sensors_observation_pkey" '
            'PRIMARY KEY ("id", "phenomenon_time")) PARTITION BY RANGE ("phenomenon_time")'
        )
        cursor.execute(
            'CREATE TABLE "sensors_observation_default" PARTITION OF "sensors_observation" DEFAULT'
        )
        cursor.execute(
            "SELECT DISTINCT date_trunc('month', phenomenon_time AT TIME ZONE 'UTC') "
            'FROM "sensors_observation_plain"'
        )
        for (month,) in cursor.fetchall():
            following = f"{month.year + month.month // 12}-{month.month % 12 + 1:02d}-01"
            cursor.execute(  # DDL takes no parameters; the bounds are dates made here
                f'CREATE TABLE "sensors_observation_p{month:%Y_%m}" PARTITION OF '
                f"\"sensors_observation\" FOR VALUES FROM ('{month:%Y-%m-01} 00:00+00') "
                f"TO ('{following} 00:00+00')"
            )
        cursor.execute(
            f'INSERT INTO "sensors_observation" ({ALL}) SELECT {ALL} FROM "sensors_observation_plain"'
        )
        cursor.execute('SELECT coalesce(max(id), 0) FROM "sensors_observation_plain"')
        (highest,) = cursor.fetchone()
        cursor.execute('DROP TABLE "sensors_observation_plain"')
        cursor.execute('CREATE SEQUENCE "sensors_observation_id_seq" OWNED BY "sensors_observation"."id"')
        cursor.execute(
            'ALTER TABLE "sensors_observation" ALTER COLUMN "id" '
            "SET DEFAULT nextval('sensors_observation_id_seq')"
        )
        if highest:
            cursor.execute(f"SELECT setval('sensors_observation_id_seq', {int(highest)})")
        _finish(cursor, "sensors_observation")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "sensors_observation" RENAME TO "sensors_observation_parts"')
        for name, _column, _target in FOREIGN_KEYS:
            cursor.execute(f'ALTER TABLE "sensors_observation_parts" DROP CONSTRAINT "{name}"')
        cursor.execute(
            'ALTER TABLE "sensors_observation_parts" '
            'DROP CONSTRAINT "sensors_observation_one_per_instant"'
        )
        for name, _column in INDEXES:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            f'CREATE TABLE "sensors_observation" ({COLUMNS.replace(chr(34) + "id" + chr(34) + " bigint NOT NULL", chr(34) + "id" + chr(34) + " bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY", 1)})'
        )
        cursor.execute(
            f'INSERT INTO "sensors_observation" ({ALL}) OVERRIDING SYSTEM VALUE '
            f'SELECT {ALL} FROM "sensors_observation_parts"'
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('sensors_observation', 'id'), "
            'coalesce((SELECT max(id) FROM "sensors_observation"), 0) + 1, false)'
        )
        cursor.execute('DROP TABLE "sensors_observation_parts" CASCADE')
        _finish(cursor, "sensors_observation")


class Migration(migrations.Migration):
    dependencies = [("sensors", "0005_advisories")]

    operations = [migrations.RunPython(partition, unpartition)]
