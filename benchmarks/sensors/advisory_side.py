"""The advisory benchmark's Django side, called in a ``civic shell`` (harness.django_call.ask)."""

from __future__ import annotations


def _living_in(codes: set[str], inside: bool, count: int, exclude: set[str]) -> list[str]:
    from civic.registers import models as registers

    rows = registers.Residence.objects.filter(
        valid_to__isnull=True, person__records__date_of_death__isnull=True
    )
    rows = (
        rows.filter(address__neighbourhood__code__in=codes)
        if inside
        else rows.exclude(address__neighbourhood__code__in=codes)
    )
    numbers = rows.values_list("person__personal_number", flat=True).order_by("pk")
    out: list[str] = []
    for number in numbers.iterator():
        if number not in exclude and number not in out:
            out.append(number)
        if len(out) == count:
            break
    return out


def gauge_make(spec: dict) -> dict:
    """A gauge beside the demo's Havenbrug gauge whose rule warns at once above 2.5 m (no
    duration, so each reading over the line is an alert), and ``subscribers`` residents who
    asked for warnings: a quarter for their home inside the area, a quarter for their home
    outside it (looked up, not warned), half for one of the area's neighbourhoods."""
    from civic.sensors import models as m
    from civic.sensors.selectors import advisory_area
    from civic.sensors.services import advisory_subscription_set
    from civic.sensors.simulation.network import RIVER_RULE

    demo = m.Thing.objects.get(properties__simulated="river-havenbrug")
    thing = m.Thing.objects.create(name="Benchmark gauge Havenbrug", description="benchmark")
    thing.locations.add(
        m.Location.objects.create(name=thing.name, location=demo.locations.first().location)
    )
    model = demo.datastreams.first()
    stream = m.Datastream.objects.create(
        name="Water level benchmark",
        description="benchmark",
        observation_type=model.observation_type,
        unit_of_measurement=model.unit_of_measurement,
        thing=thing,
        sensor=model.sensor,
        observed_property=model.observed_property,
    )
    rule = m.Rule.objects.create(
        name="Benchmark high water",
        datastream=stream,
        **{**RIVER_RULE, "duration_minutes": 0, "flatline_minutes": None, "gap_minutes": None},
    )
    codes = set(advisory_area(rule)[0])
    n = spec["subscribers"]
    home_in = _living_in(codes, True, n // 4, set())
    home_out = _living_in(codes, False, n // 4, set())
    chosen = _living_in(codes, False, n - len(home_in) - len(home_out), set(home_out))
    for number in home_in + home_out:
        advisory_subscription_set(personal_number=number, home=True, neighbourhoods=[])
    area = sorted(codes)[:1]
    for number in chosen:
        advisory_subscription_set(personal_number=number, home=False, neighbourhoods=area)
    return {
        "datastream": stream.pk,
        "subscribers": len(home_in) + len(home_out) + len(chosen),
        "home": len(home_in) + len(home_out),
        "recipients": len(home_in) + len(chosen),
    }
