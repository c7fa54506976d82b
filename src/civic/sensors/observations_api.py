"""CreateObservations (the data-array extension): many readings in one request, stored as one
batch. The answer lists, per reading in order, its selfLink or "error"; refusals are counted."""

from __future__ import annotations

from civic.sensors.entities import EntityError, interval_parse, time_parse
from civic.sensors.ingest import Reading, observations_ingest, refusals_count
from civic.sensors.models import Datastream, FeatureOfInterest
from civic.sensors.services import feature_default

_KNOWN = {
    "phenomenonTime",
    "result",
    "resultTime",
    "resultQuality",
    "parameters",
    "FeatureOfInterest/id",
}


def _reading(
    datastream_id: int, components: list[str], row: list, default_foi: int | None
) -> Reading:
    if not isinstance(row, list) or len(row) != len(components):
        raise EntityError("row shape")
    values = dict(zip(components, row, strict=True))
    start, end = interval_parse(values.get("phenomenonTime"), "phenomenonTime")
    result_time = values.get("resultTime")
    return Reading(
        datastream_id=datastream_id,
        phenomenon_time=start,
        phenomenon_time_end=end,
        result=values.get("result"),
        result_time=time_parse(result_time, "resultTime") if result_time else None,
        result_quality=values.get("resultQuality"),
        parameters=values.get("parameters"),
        feature_of_interest_id=values.get("FeatureOfInterest/id", default_foi),
    )


def observations_create_batch(body: object, *, base: str) -> list[str]:
    if not isinstance(body, list):
        raise EntityError(
            "CreateObservations takes a JSON list of {Datastream, components, dataArray}."
        )
    answer: list[str] = []
    for group in body:
        if not isinstance(group, dict) or not isinstance(group.get("dataArray"), list):
            raise EntityError(
                "Each CreateObservations item needs Datastream, components and dataArray."
            )
        components = group.get("components")
        if (
            not isinstance(components, list)
            or "result" not in components
            or not set(components) <= _KNOWN
        ):
            raise EntityError(f"components must include result and only name {sorted(_KNOWN)}.")
        try:
            datastream_id = int((group.get("Datastream") or {})["@iot.id"])
        except (KeyError, TypeError, ValueError):
            raise EntityError(
                'Each CreateObservations item needs Datastream {"@iot.id": n}.'
            ) from None
        datastream = Datastream.objects.filter(pk=datastream_id).select_related("thing").first()
        default_foi = None
        if datastream is not None and "FeatureOfInterest/id" not in components:
            feature = feature_default(datastream)
            default_foi = feature.pk if isinstance(feature, FeatureOfInterest) else None
        readings, slots, malformed = [], [], 0
        for index, row in enumerate(group["dataArray"]):
            try:
                readings.append(_reading(datastream_id, components, row, default_foi))
                slots.append(index)
            except (EntityError, ValueError, TypeError):
                malformed += 1
        if malformed:
            refusals_count(
                datastream_id=datastream.pk if datastream else None,
                reason="malformed",
                count=malformed,
            )
        outcome = observations_ingest(readings=readings)
        links = ["error"] * len(group["dataArray"])
        for slot, oid in zip(slots, outcome.ids, strict=True):
            if oid is not None:
                links[slot] = f"{base}/Observations({oid})"
        answer.extend(links)
    return answer
