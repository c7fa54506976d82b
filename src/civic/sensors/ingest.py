"""Observations written in batches: checked, duplicates and future-dated readings refused and
counted, the rest inserted in one go (COPY on PostgreSQL, bulk_create elsewhere), then each
datastream's summary updated once for the batch. Out-of-order readings are accepted: a
reading older than the datastream's latest is stored and leaves the latest value alone."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from civic.sensors.models import Datastream, Observation, Refusal
from civic.sensors.partitions import partitions_ensure
from civic.sensors.publishing import observations_publish
from civic.sensors.rules import rules_evaluate

#: A clock a little ahead on the device is not the future; more than this is.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    datastream_id: int
    phenomenon_time: dt.datetime
    result: object
    phenomenon_time_end: dt.datetime | None = None
    result_time: dt.datetime | None = None
    result_quality: object = None
    parameters: dict | None = None
    feature_of_interest_id: int | None = None


@dataclass
class IngestResult:
    ids: list[int | None] = field(default_factory=list)  # None where the reading was refused
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def created(self) -> int:
        return sum(1 for i in self.ids if i is not None)


def refusals_count(*, datastream_id: int | None, reason: str, count: int = 1) -> None:
    row, _created = Refusal.objects.get_or_create(datastream_ref=datastream_id, reason=reason)
    Refusal.objects.filter(pk=row.pk).update(count=F("count") + count)


def _split_result(result: object) -> tuple[float | None, object]:
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return float(result), None
    return None, result


def _copy_rows(readings: list[Reading]) -> list[int]:
    """COPY with ids drawn from the table's sequence first, so the caller still learns each
    new observation's @iot.id."""
    raw = connection.connection
    with raw.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence('sensors_observation', 'id'))"
            " FROM generate_series(1, %s)",
            (len(readings),),
        )
        ids = [row[0] for row in cur.fetchall()]
        columns = (
            "id, datastream_id, phenomenon_time, phenomenon_time_end, result_time,"
            " result_number, result_json, result_quality, parameters, feature_of_interest_id"
        )
        with cur.copy(f"COPY sensors_observation ({columns}) FROM STDIN") as copy:
            for oid, r in zip(ids, readings, strict=True):
                number, other = _split_result(r.result)
                copy.write_row(
                    (
                        oid,
                        r.datastream_id,
                        r.phenomenon_time,
                        r.phenomenon_time_end,
                        r.result_time,
                        number,
                        None if other is None else json.dumps(other),
                        None if r.result_quality is None else json.dumps(r.result_quality),
                        None if r.parameters is None else json.dumps(r.parameters),
                        r.feature_of_interest_id,
                    )
                )
    return ids


def _bulk_rows(readings: list[Reading]) -> list[int]:
    objs = []
    for r in readings:
        number, other = _split_result(r.result)
        objs.append(
            Observation(
                datastream_id=r.datastream_id,
                phenomenon_time=r.phenomenon_time,
                phenomenon_time_end=r.phenomenon_time_end,
                result_time=r.result_time,
                result_number=number,
                result_json=other,
                result_quality=r.result_quality,
                parameters=r.parameters,
                feature_of_interest_id=r.feature_of_interest_id,
            )
        )
    return [o.pk for o in Observation.objects.bulk_create(objs, batch_size=500)]


def _summaries_update(readings: list[Reading]) -> None:
    by_stream: dict[int, list[Reading]] = defaultdict(list)
    for r in readings:
        by_stream[r.datastream_id].append(r)
    for ds in Datastream.objects.select_for_update().filter(pk__in=by_stream):
        batch = by_stream[ds.pk]
        first = min(r.phenomenon_time for r in batch)
        last = max(batch, key=lambda r: r.phenomenon_time)
        ds.phenomenon_time_start = min(filter(None, [ds.phenomenon_time_start, first]))
        if ds.latest_phenomenon_time is None or last.phenomenon_time > ds.latest_phenomenon_time:
            ds.latest_phenomenon_time = last.phenomenon_time
            ds.latest_result = last.result
        ds.phenomenon_time_end = max(
            filter(None, [ds.phenomenon_time_end, last.phenomenon_time_end or last.phenomenon_time])
        )
        times = [r.result_time for r in batch if r.result_time]
        if times:
            ds.result_time_start = min(filter(None, [ds.result_time_start, *times]))
            ds.result_time_end = max(filter(None, [ds.result_time_end, *times]))
        ds.save(
            update_fields=[
                "phenomenon_time_start",
                "phenomenon_time_end",
                "latest_phenomenon_time",
                "latest_result",
                "result_time_start",
                "result_time_end",
            ]
        )


def observations_ingest(*, readings: list[Reading], now: dt.datetime | None = None) -> IngestResult:
    """Store a batch; each refused reading gets None in ``ids`` and is counted by reason."""
    now = now or timezone.now()
    result = IngestResult()
    known = set(
        Datastream.objects.filter(pk__in={r.datastream_id for r in readings}).values_list(
            "pk", flat=True
        )
    )
    # Readings already stored for the same instants: duplicates.
    existing: set[tuple[int, dt.datetime]] = set()
    for ds_id in known:
        times = [r.phenomenon_time for r in readings if r.datastream_id == ds_id]
        existing.update(
            (ds_id, t)
            for t in Observation.objects.filter(
                datastream_id=ds_id,
                phenomenon_time__gte=min(times),
                phenomenon_time__lte=max(times),
            ).values_list("phenomenon_time", flat=True)
        )
    accepted: list[Reading] = []
    slots: list[int] = []
    refusals: dict[tuple[int | None, str], int] = defaultdict(int)
    for index, r in enumerate(readings):
        key = (r.datastream_id, r.phenomenon_time)
        reason = (
            "unknown-datastream"
            if r.datastream_id not in known
            else "future"
            if r.phenomenon_time > now + FUTURE_TOLERANCE
            else "duplicate"
            if key in existing
            else None
        )
        result.ids.append(None)
        if reason:
            refusals[(r.datastream_id if r.datastream_id in known else None, reason)] += 1
            result.refused[reason] += 1
            continue
        existing.add(key)
        accepted.append(r)
        slots.append(index)
    if accepted:  # the months' partitions first, each in a short transaction of its own
        partitions_ensure(r.phenomenon_time for r in accepted)
    with transaction.atomic():
        if accepted:
            ids = (
                _copy_rows(accepted) if connection.vendor == "postgresql" else _bulk_rows(accepted)
            )
            for slot, oid in zip(slots, ids, strict=True):
                result.ids[slot] = oid
            _summaries_update(accepted)
            if settings.SENSORS_MQTT_PUBLISH:
                stored = list(zip(ids, accepted, strict=True))
                transaction.on_commit(lambda: observations_publish(stored), robust=True)
        for (ds_id, reason), count in refusals.items():
            refusals_count(datastream_id=ds_id, reason=reason, count=count)
    if accepted:
        _rules_after(accepted)
    return result


def _rules_after(accepted: list[Reading]) -> None:
    """The rules of the datastreams that got readings, once the batch is stored: a rule that
    fails is logged, and the stream goes on (the readings are kept either way)."""
    first_new: dict[int, dt.datetime] = {}
    for r in accepted:
        if r.datastream_id not in first_new or r.phenomenon_time < first_new[r.datastream_id]:
            first_new[r.datastream_id] = r.phenomenon_time
    try:
        rules_evaluate(first_new)
    except Exception:
        log.exception("the rules of datastreams %s failed; the readings are stored", first_new)
