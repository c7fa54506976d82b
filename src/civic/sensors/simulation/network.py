"""The demo city's sensor network: which stations measure what, where. Made once as
SensorThings entities (a Thing with its Location, a Sensor, the observed properties and one
Datastream per station and property), found again by the station key in the Thing's
properties, so that a second simulation writes to the same datastreams."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from civic.sensors import models as m

#: Where the demo city (Havenstad) lies, (longitude, latitude): the synthetic jurisdiction's
#: centre (registers.jurisdiction.names, which this app may not import), so the stations sit
#: among its neighbourhoods and an advisory's area finds the residents around a gauge.
CENTRE = (5.1214, 52.0907)


@dataclass(frozen=True)
class Quantity:
    key: str
    name: str
    definition: str
    unit: dict[str, str]
    observation_type: str = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


PM25 = Quantity(
    "pm25",
    "PM2.5",
    "http://vocabs.lter-europe.net/EnvThes/22093",
    {"name": "microgram per cubic metre", "symbol": "µg/m³", "definition": "ucum:ug/m3"},
)
NO2 = Quantity(
    "no2",
    "NO2",
    "http://vocabs.lter-europe.net/EnvThes/30291",
    {"name": "microgram per cubic metre", "symbol": "µg/m³", "definition": "ucum:ug/m3"},
)
WATER_LEVEL = Quantity(
    "water_level",
    "Water level",
    "http://vocabs.lter-europe.net/EnvThes/21640",
    {"name": "metre", "symbol": "m", "definition": "ucum:m"},
)
RAINFALL = Quantity(
    "rainfall",
    "Rainfall",
    "http://vocab.nerc.ac.uk/standard_name/rainfall_rate/",
    {"name": "millimetre per hour", "symbol": "mm/h", "definition": "ucum:mm/h"},
)
PEDESTRIANS = Quantity(
    "pedestrians",
    "Pedestrians",
    "https://civic.invalid/def/pedestrian-count",
    {"name": "people", "symbol": "{people}", "definition": "ucum:{people}"},
    "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation",
)
VEHICLES = Quantity(
    "vehicles",
    "Vehicles",
    "https://civic.invalid/def/vehicle-count",
    {"name": "vehicles", "symbol": "{vehicles}", "definition": "ucum:{vehicles}"},
    "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation",
)


#: The simulated river gauges' rule (rules.py): above 2.5 m for half an hour, cleared below
#: 2.3 m; stuck for two hours, silent for an hour or outside 0–8 m is a fault.
RIVER_RULE = {
    "level": 2.5,
    "clear_level": 2.3,
    "duration_minutes": 30,
    "valid_min": 0.0,
    "valid_max": 8.0,
    "flatline_minutes": 120,
    "gap_minutes": 60,
    "severity": "Severe",
    # High water is told to the public at once, and the all-clear when it falls again.
    "advisory": "auto",
    "advisory_category": "Met",
    "advisory_texts": {
        "en": {
            "event": "High water",
            "instruction": "Stay off the quays and the riverside paths, move cars parked on "
            "the quays, and keep children and pets away from the water.",
        },
        "nl": {
            "event": "Hoog water",
            "instruction": "Blijf van de kades en de paden langs de rivier, zet auto's die op "
            "de kades staan ergens anders neer en houd kinderen en huisdieren weg van het water.",
        },
    },
}

KIND_TITLES = {
    "air": "Air quality",
    "river": "River gauge",
    "rain": "Rain gauge",
    "pedestrians": "Pedestrians",
    "traffic": "Traffic",
}


@dataclass(frozen=True)
class Station:
    key: str
    place: str
    kind: str  # air, river, rain, pedestrians, traffic
    offset: tuple[float, float]  # degrees east and north of the centre
    quantities: tuple[Quantity, ...]
    scale: float = 1.0  # how busy (counts), how exposed (air) or how full (river) the place is

    @property
    def name(self) -> str:
        return f"{KIND_TITLES[self.kind]} {self.place}"


STATIONS: tuple[Station, ...] = (
    Station("air-centrum", "Centrum", "air", (0.0, 0.002), (PM25, NO2), 1.2),
    Station("air-haven", "Haven", "air", (-0.02, -0.006), (PM25, NO2), 1.5),
    Station("air-park", "Stadspark", "air", (0.015, 0.012), (PM25, NO2), 0.7),
    Station("river-havenbrug", "Havenbrug", "river", (-0.008, -0.004), (WATER_LEVEL,), 1.024),
    Station("river-molenkade", "Molenkade", "river", (0.012, -0.009), (WATER_LEVEL,), 1.032),
    Station(
        "ped-stationsplein", "Stationsplein", "pedestrians", (0.002, 0.006), (PEDESTRIANS,), 3.0
    ),
    Station("ped-markt", "Markt", "pedestrians", (0.004, 0.0), (PEDESTRIANS,), 2.0),
    Station("ped-kade", "Kade", "pedestrians", (-0.01, -0.003), (PEDESTRIANS,), 0.8),
    Station("traffic-ring", "Ring Noord", "traffic", (0.0, 0.02), (VEHICLES,), 2.5),
    Station("traffic-brug", "Havenbrug", "traffic", (-0.008, -0.005), (VEHICLES,), 1.5),
    # Last, so that the stations before it keep their own noise streams (seeded by index).
    Station("rain-centrum", "Centrum", "rain", (0.001, 0.003), (RAINFALL,)),
)


def _point(station: Station) -> dict:
    return {
        "type": "Point",
        "coordinates": [
            round(CENTRE[0] + station.offset[0], 6),
            round(CENTRE[1] + station.offset[1], 6),
        ],
    }


@transaction.atomic
def network_ensure() -> dict[tuple[str, str], int]:
    """The network's datastreams, made where missing: (station key, quantity key) -> id."""
    properties = {
        q.key: m.ObservedProperty.objects.get_or_create(
            definition=q.definition, defaults={"name": q.name, "description": q.name}
        )[0]
        for station in STATIONS
        for q in station.quantities
    }
    out: dict[tuple[str, str], int] = {}
    for station in STATIONS:
        thing = m.Thing.objects.filter(properties__simulated=station.key).first()
        if thing is None:
            thing = m.Thing.objects.create(
                name=station.name,
                description=f"Simulated {station.kind} station of the demo city",
                properties={"simulated": station.key, "kind": station.kind},
            )
            location = m.Location.objects.create(
                name=station.name, description=station.name, location=_point(station)
            )
            thing.locations.add(location)
        sensor, _made = m.Sensor.objects.get_or_create(
            name=f"Simulated {station.kind} sensor",
            defaults={
                "description": "civic sensors simulate",
                "encoding_type": "text/plain",
                "metadata": "civic sensors simulate",
            },
        )
        for quantity in station.quantities:
            stream = thing.datastreams.filter(observed_property=properties[quantity.key]).first()
            if stream is None:
                stream = m.Datastream.objects.create(
                    name=f"{quantity.name} {station.place}",
                    description=f"{quantity.name} at {station.name}",
                    observation_type=quantity.observation_type,
                    unit_of_measurement=quantity.unit,
                    thing=thing,
                    sensor=sensor,
                    observed_property=properties[quantity.key],
                )
            out[(station.key, quantity.key)] = stream.pk
    return out
