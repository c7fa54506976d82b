"""Where an advisory applies: the neighbourhoods whose centre lies within a rule's radius of
its sensor (the neighbourhoods are public register data, read through the exchange), and
CAP's circle around the sensor."""

from __future__ import annotations

import math

from civic.exchange.selectors import neighbourhoods_list
from civic.sensors import models as m

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to metres at a city's scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def place_of(rule: m.Rule) -> tuple[float, float] | None:
    """(latitude, longitude) of the datastream's Thing, if it has a point location."""
    location = rule.datastream.thing.locations.first()
    geometry = (location.location if location else None) or {}
    if geometry.get("type") != "Point":
        return None
    longitude, latitude = geometry["coordinates"][:2]
    return float(latitude), float(longitude)


def advisory_area(rule: m.Rule) -> tuple[list[str], list[str], str]:
    """The neighbourhoods (codes, names) within the rule's radius of its sensor, nearest
    first, and CAP's circle ("lat,lon radius_km")."""
    place = place_of(rule)
    if place is None:
        return [], [], ""
    near = sorted(
        (distance_m(*place, n["latitude"], n["longitude"]), n["code"], n["name"])
        for n in neighbourhoods_list()
    )
    inside = [(code, name) for distance, code, name in near if distance <= rule.advisory_radius_m]
    circle = f"{place[0]:.5f},{place[1]:.5f} {rule.advisory_radius_m / 1000:g}"
    return [c for c, _n in inside], [n for _c, n in inside], circle
