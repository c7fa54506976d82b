"""The SensorThings 1.1 entity sets as data: each set's model, its properties (the API's
camelCase name, the model field, how a value is read and written) and navigation links. The
API (views.py), the query options (query.py) and the writes (services.py) all read these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.dateparse import parse_datetime

from civic.sensors import models as m


class EntityError(ValueError):
    """Something the client sent that cannot be stored: 400 with this message."""


def time_parse(value: object, name: str) -> dt.datetime:
    parsed = None
    if isinstance(value, str):
        try:  # the fast path for what devices send (2026-03-01T06:00:00Z); Django's for the rest
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = parse_datetime(value)
    if parsed is None:
        raise EntityError(f"{name} must be an ISO 8601 date and time, not {value!r}.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def time_format(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def interval_parse(value: object, name: str) -> tuple[dt.datetime, dt.datetime | None]:
    if isinstance(value, str) and "/" in value:
        start, end = value.split("/", 1)
        return time_parse(start, name), time_parse(end, name)
    return time_parse(value, name), None


def interval_format(start: dt.datetime | None, end: dt.datetime | None) -> str | None:
    if start is None:
        return None
    if end is None or end == start:
        return time_format(start)
    return f"{time_format(start)}/{time_format(end)}"


@dataclass(frozen=True)
class Prop:
    name: str  # as in the API
    field: str  # the model field ($filter and $orderby use it)
    kind: str = "value"  # value | text | json | time
    required: bool = False

    def read(self, obj: models.Model) -> object:
        value = getattr(obj, self.field)
        return time_format(value) if self.kind == "time" else value

    def write(self, value: object) -> dict[str, object]:
        if self.kind == "time":
            return {self.field: None if value is None else time_parse(value, self.name)}
        if self.kind == "text" and not isinstance(value, str):
            raise EntityError(f"{self.name} must be a string.")
        return {self.field: value}


class IntervalProp(Prop):
    """phenomenonTime and resultTime of a Datastream, an interval over two columns."""

    def read(self, obj):
        return interval_format(getattr(obj, self.field), getattr(obj, self.field[:-6] + "_end"))

    def write(self, value):
        raise EntityError(f"{self.name} is kept by the server from the observations.")


class ObservationTimeProp(Prop):
    def read(self, obj):
        return interval_format(obj.phenomenon_time, obj.phenomenon_time_end)

    def write(self, value):
        start, end = interval_parse(value, self.name)
        return {"phenomenon_time": start, "phenomenon_time_end": end}


class ResultProp(Prop):
    def read(self, obj):
        return obj.result

    def write(self, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"result_number": float(value), "result_json": None}
        return {"result_number": None, "result_json": value}


@dataclass(frozen=True)
class Nav:
    name: str  # as in the API: Thing, Datastreams
    target: str  # the entity set it leads to
    attr: str  # the model's field or related name
    many: bool
    inverse: str | None = None  # the target's Nav back here, for deep insert


@dataclass
class EntitySet:
    name: str
    model: type[models.Model]
    props: list[Prop]
    navs: list[Nav] = field(default_factory=list)

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    def nav(self, name: str) -> Nav | None:
        return next((n for n in self.navs if n.name == name), None)


def _described(*extra: Prop) -> list[Prop]:
    return [
        Prop("name", "name", "text", required=True),
        Prop("description", "description", "text", required=True),
        *extra,
        Prop("properties", "properties", "json"),
    ]


SETS: dict[str, EntitySet] = {
    s.name: s
    for s in [
        EntitySet(
            "Things",
            m.Thing,
            _described(),
            [
                Nav("Locations", "Locations", "locations", True, "Things"),
                Nav(
                    "HistoricalLocations",
                    "HistoricalLocations",
                    "historical_locations",
                    True,
                    "Thing",
                ),
                Nav("Datastreams", "Datastreams", "datastreams", True, "Thing"),
            ],
        ),
        EntitySet(
            "Locations",
            m.Location,
            _described(
                Prop("encodingType", "encoding_type", "text", required=True),
                Prop("location", "location", "json", required=True),
            ),
            [
                Nav("Things", "Things", "things", True, "Locations"),
                Nav(
                    "HistoricalLocations",
                    "HistoricalLocations",
                    "historical_locations",
                    True,
                    "Locations",
                ),
            ],
        ),
        EntitySet(
            "HistoricalLocations",
            m.HistoricalLocation,
            [Prop("time", "time", "time", True)],
            [
                Nav("Thing", "Things", "thing", False),
                Nav("Locations", "Locations", "locations", True, "HistoricalLocations"),
            ],
        ),
        EntitySet(
            "Sensors",
            m.Sensor,
            _described(
                Prop("encodingType", "encoding_type", "text", required=True),
                Prop("metadata", "metadata", "value", required=True),
            ),
            [Nav("Datastreams", "Datastreams", "datastreams", True, "Sensor")],
        ),
        EntitySet(
            "ObservedProperties",
            m.ObservedProperty,
            _described(
                Prop("definition", "definition", "text", required=True),
            ),
            [Nav("Datastreams", "Datastreams", "datastreams", True, "ObservedProperty")],
        ),
        EntitySet(
            "FeaturesOfInterest",
            m.FeatureOfInterest,
            _described(
                Prop("encodingType", "encoding_type", "text", required=True),
                Prop("feature", "feature", "json", required=True),
            ),
            [Nav("Observations", "Observations", "observations", True, "FeatureOfInterest")],
        ),
        EntitySet(
            "Datastreams",
            m.Datastream,
            _described(
                Prop("observationType", "observation_type", "text", required=True),
                Prop("unitOfMeasurement", "unit_of_measurement", "json", required=True),
                Prop("observedArea", "observed_area", "json"),
                IntervalProp("phenomenonTime", "phenomenon_time_start"),
                IntervalProp("resultTime", "result_time_start"),
            ),
            [
                Nav("Thing", "Things", "thing", False),
                Nav("Sensor", "Sensors", "sensor", False),
                Nav("ObservedProperty", "ObservedProperties", "observed_property", False),
                Nav("Observations", "Observations", "observations", True, "Datastream"),
            ],
        ),
        EntitySet(
            "Observations",
            m.Observation,
            [
                ObservationTimeProp("phenomenonTime", "phenomenon_time"),
                Prop("resultTime", "result_time", "time"),
                ResultProp("result", "result_number", required=True),
                Prop("resultQuality", "result_quality", "json"),
                Prop("parameters", "parameters", "json"),
            ],
            [
                Nav("Datastream", "Datastreams", "datastream", False),
                Nav("FeatureOfInterest", "FeaturesOfInterest", "feature_of_interest", False),
            ],
        ),
    ]
}
