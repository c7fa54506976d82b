"""Fixtures of the sensors tests: a river gauge whose rule warns an area, and residents in
and around it who asked for warnings."""

from __future__ import annotations

import pytest

from civic.exchange.selectors import neighbourhoods_list
from civic.registers import models as registers
from civic.sensors import services
from civic.sensors.advisories.area import distance_m, place_of
from tests.sensors.test_rules import river_rule


def _residents_of(codes: set[str], count: int, exclude=()) -> list[str]:
    """Living residents whose current address lies in one of ``codes``."""
    rows = registers.Residence.objects.filter(
        valid_to__isnull=True,
        address__neighbourhood__code__in=codes,
        person__records__date_of_death__isnull=True,
    ).exclude(person__personal_number__in=exclude)
    numbers = list(
        dict.fromkeys(rows.values_list("person__personal_number", flat=True).order_by("pk"))
    )
    assert len(numbers) >= count
    return numbers[:count]


@pytest.fixture
def gauge():
    """The Havenbrug gauge's high-water rule, its area the one nearest neighbourhood, and a
    resident inside it, one outside, and one outside who chose the area."""
    rule = river_rule()
    place = place_of(rule)
    near = sorted(
        (distance_m(*place, n["latitude"], n["longitude"]), n["code"])
        for n in neighbourhoods_list()
    )
    rule.advisory_radius_m = int((near[0][0] + near[1][0]) / 2)
    rule.save()
    inside_code, outside = near[0][1], {code for _d, code in near[1:]}
    [inside] = _residents_of({inside_code}, 1)
    far, chooser = _residents_of(outside, 2)
    for number in (inside, far):
        services.advisory_subscription_set(personal_number=number, home=True, neighbourhoods=[])
    services.advisory_subscription_set(
        personal_number=chooser, home=False, neighbourhoods=[inside_code]
    )
    return {"rule": rule, "inside": inside, "far": far, "chooser": chooser, "code": inside_code}
