"""The generated municipality looks like a real one, and its history is consistent."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from django.db.models import Count, F, Q

from civic.registers.models import (
    Address,
    Neighbourhood,
    Parentage,
    PersonRecord,
    Residence,
)

CURRENT = Q(recorded_to__isnull=True)


def current_residences():
    return Residence.objects.filter(CURRENT, valid_to__isnull=True)


def test_the_jurisdiction_has_exactly_the_residents_asked_for(jurisdiction):
    living_here = current_residences().values("person").distinct().count()
    assert living_here == jurisdiction.residents == 3_000


def test_household_sizes_look_like_a_dutch_municipality(jurisdiction):
    sizes = list(
        current_residences()
        .values("address")
        .annotate(n=Count("person"))
        .values_list("n", flat=True)
    )
    average = sum(sizes) / len(sizes)
    singles = sum(1 for s in sizes if s == 1) / len(sizes)
    assert 1.9 <= average <= 2.4  # CBS: about 2.1
    assert 0.33 <= singles <= 0.45  # CBS: about 39% live alone
    assert max(sizes) <= 6


def test_the_age_pyramid_has_children_working_ages_and_elderly_in_plausible_shares(jurisdiction):
    bands = {int(k): v for k, v in jurisdiction.summary["age_pyramid"].items()}
    total = sum(bands.values())
    under_20 = sum(v for k, v in bands.items() if k < 20) / total
    over_65 = sum(v for k, v in bands.items() if k >= 65) / total
    assert 0.17 <= under_20 <= 0.30  # the Netherlands: about 21%
    assert 0.14 <= over_65 <= 0.26  # the Netherlands: about 20%


def test_no_one_lives_at_two_addresses_at_once(jurisdiction):
    rows = (
        Residence.objects.filter(CURRENT)
        .order_by("person_id", "valid_from")
        .values_list("person_id", "valid_from", "valid_to")
    )
    previous = None
    for person, start, end in rows:
        if previous and previous[0] == person:
            assert previous[2] is not None and previous[2] <= start, f"person {person} overlaps"
        previous = (person, start, end)


def test_no_address_has_two_households_at_the_same_time(jurisdiction):
    # A household moves in together; later arrivals at an address are only babies born there.
    # So a stay that starts on a day other than its person's birthday must not begin while a
    # stay that began on an earlier day is still running.
    born = dict(PersonRecord.objects.filter(CURRENT).values_list("person_id", "birth_date"))
    stays: dict[int, list[tuple[dt.date, dt.date | None, int]]] = {}
    for address, person, start, end in Residence.objects.filter(CURRENT).values_list(
        "address_id", "person_id", "valid_from", "valid_to"
    ):
        stays.setdefault(address, []).append((start, end, person))
    checked = 0
    for address, rows in stays.items():
        rows.sort(key=lambda r: r[0])
        for start, _end, person in rows:
            if start == born[person]:
                continue
            earlier = [(s, e) for s, e, _p in rows if s < start]
            clash = [(s, e) for s, e in earlier if e is None or e > start]
            assert not clash, (
                f"address {address}: {person} moved in on {start} while {clash} lived there"
            )
            checked += 1
    assert checked > 1000


def test_no_residence_starts_before_birth_or_after_death(jurisdiction):
    born = dict(PersonRecord.objects.filter(CURRENT).values_list("person_id", "birth_date"))
    died = dict(
        PersonRecord.objects.filter(CURRENT, date_of_death__isnull=False).values_list(
            "person_id", "date_of_death"
        )
    )
    for person, start, end in Residence.objects.filter(CURRENT).values_list(
        "person_id", "valid_from", "valid_to"
    ):
        assert start >= born[person], person
        if person in died:
            assert end is not None and end <= died[person], person


def test_parents_were_adults_and_at_most_55_when_their_children_were_born(jurisdiction):
    born = dict(PersonRecord.objects.filter(CURRENT).values_list("person_id", "birth_date"))
    pairs = list(Parentage.objects.filter(CURRENT).values_list("parent_id", "child_id"))
    assert len(pairs) > 500
    for parent, child in pairs:
        age_at_birth = (born[child] - born[parent]).days / 365.25
        assert 18 <= age_at_birth <= 55, (parent, child, age_at_birth)


def test_nobody_has_more_than_twelve_children_and_most_families_have_one_to_three(jurisdiction):
    """docs/jurisdiction.md: 1, 2, 3, 4 children at home in 42 / 41 / 13 / 4 %, plus at most
    three who left home; real Dutch families rarely pass five."""
    per_parent = Counter(Parentage.objects.filter(CURRENT).values_list("parent_id", flat=True))
    assert max(per_parent.values()) <= 12
    sizes = Counter(per_parent.values())
    parents = sum(sizes.values())
    assert sum(n for k, n in sizes.items() if k <= 3) / parents >= 0.85, sizes
    assert sum(n for k, n in sizes.items() if k >= 6) / parents <= 0.01, sizes


def test_siblings_who_are_not_twins_are_born_at_least_nine_months_apart(jurisdiction):
    born = dict(PersonRecord.objects.filter(CURRENT).values_list("person_id", "birth_date"))
    children: dict[int, list] = {}
    for parent, child in Parentage.objects.filter(CURRENT).values_list("parent_id", "child_id"):
        children.setdefault(parent, []).append(born[child])
    close = 0
    for dates in children.values():
        dates.sort()
        close += sum(1 for a, b in itertools.pairwise(dates) if 0 < (b - a).days < 270)
    assert close == 0


def test_partnerships_are_marriages_or_registered_partnerships_in_both_directions(jurisdiction):
    from civic.registers.models import Partnership, PartnershipKind

    kinds = set(Partnership.objects.values_list("kind", flat=True))
    assert kinds == set(PartnershipKind.values)
    pairs = set(
        Partnership.objects.filter(CURRENT).values_list("person_id", "partner_id", "valid_from")
    )
    assert all((b, a, start) in pairs for a, b, start in pairs)


def test_businesses_end_after_they_start_and_their_people_were_adults(jurisdiction):
    from civic.registers.models import BusinessRecord, BusinessRole

    assert not BusinessRecord.objects.filter(CURRENT, valid_to__lte=F("valid_from")).exists()
    born = dict(PersonRecord.objects.filter(CURRENT).values_list("person_id", "birth_date"))
    for person, start in BusinessRole.objects.filter(CURRENT).values_list(
        "person_id", "valid_from"
    ):
        assert (start - born[person]).days >= 18 * 365, person


def test_nothing_about_a_person_is_recorded_before_the_person_is(jurisdiction):
    from django.db.models import Min

    from civic.registers.models import Partnership, VehicleOwnership

    first_known = dict(
        PersonRecord.objects.values("person_id")
        .annotate(f=Min("recorded_from"))
        .values_list("person_id", "f")
    )
    for model, column in (
        (Residence, "person_id"),
        (Partnership, "person_id"),
        (Partnership, "partner_id"),
        (Parentage, "parent_id"),
        (Parentage, "child_id"),
        (VehicleOwnership, "owner_id"),
    ):
        for person, recorded in model.objects.values_list(column, "recorded_from"):
            assert recorded >= first_known[person], (model.__name__, column, person)


def test_postcode_house_number_and_letter_name_one_address(jurisdiction):
    keys = list(Address.objects.values_list("postcode", "house_number", "house_letter"))
    assert len(keys) == len(set(keys))


def test_the_history_holds_births_deaths_moves_and_business_changes(jurisdiction):
    summary = jurisdiction.summary
    residents = jurisdiction.residents
    # Ten years at Dutch rates: ~9 births and ~9.5 deaths per 1,000 a year.
    assert 0.05 * residents <= summary["births"] <= 0.15 * residents
    assert 0.05 * residents <= summary["deaths"] <= 0.14 * residents
    assert summary["moves_within"] > 0.1 * summary["households"]
    assert summary["divorces"] > 0 and summary["partnerships_started"] > 0
    start = jurisdiction.history_from
    from civic.registers.models import BusinessRecord

    opened = BusinessRecord.objects.filter(CURRENT, valid_from__gte=start).count()
    closed = BusinessRecord.objects.filter(CURRENT, valid_to__isnull=False).count()
    assert opened > 0 and closed > 0


def test_addresses_have_coordinates_in_their_neighbourhood_and_dutch_postcodes(jurisdiction):
    assert Neighbourhood.objects.count() >= 4
    for address in Address.objects.select_related("neighbourhood")[:500]:
        assert abs(address.latitude - address.neighbourhood.latitude) < 0.02
        assert abs(address.longitude - address.neighbourhood.longitude) < 0.03
        assert (
            len(address.postcode) == 6
            and address.postcode[:4].isdigit()
            and address.postcode[4:].isalpha()
        )
