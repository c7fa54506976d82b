"""Businesses, yearly incomes and vehicles of one chunk's people.

Businesses: about 9 active per 100 residents and 3.5 closed in the last ten years, 60% sole
proprietorships. Income: every adult resident, every complete tax year of the history, by
source; the tax office knows a year from the spring after, and corrects some later. Vehicles:
about 0.45 privately owned cars per resident, spread over households by type, fuel and emissions class by age.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civic.registers.jurisdiction import names
from civic.registers.jurisdiction.facts import DAY, FactList
from civic.registers.jurisdiction.people import (
    FAMILY,
    SINGLE,
    SINGLE_PARENT,
    YEAR,
    Households,
    Population,
)
from civic.registers.jurisdiction.writer import NA

LEGAL_FORMS = (
    "sole_proprietorship",
    "general_partnership",
    "private_limited_company",
    "foundation",
    "association",
)
LEGAL_FORM_SHARES = (0.60, 0.08, 0.25, 0.04, 0.03)
FUELS = ("petrol", "diesel", "electric", "hybrid", "lpg")


def day_of(year: np.ndarray | int, month: int = 1, day: int = 1) -> np.ndarray:
    years = np.asarray(year)
    text = np.char.add(years.astype(str), f"-{month:02d}-{day:02d}")
    return text.astype("datetime64[D]").astype(np.int64)


def year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


@dataclass
class Economy:
    businesses: FactList
    roles: FactList
    incomes: dict
    vehicles: dict
    ownerships: FactList


def _adults_today(pop: Population, hh: Households):
    ids = hh.adults.ravel()
    household = np.repeat(np.arange(len(hh.kind)), 2)
    keep = ids >= 0
    return ids[keep], household[keep]


def businesses_generate(
    pop: Population,
    hh: Households,
    persons: dict,
    *,
    residents: int,
    first_business_id: int,
    address_count: int,
) -> tuple[FactList, FactList, np.ndarray]:
    rng, U, S = pop.rng, pop.frame.until_day, pop.frame.start_day
    adults, household = _adults_today(pop, hh)
    birth = persons["birth_day"][adults - pop.first_id]
    age = (U - birth) / YEAR
    eligible = np.flatnonzero((age >= 21) & (age <= 72))
    active, closed = round(0.09 * residents), round(0.035 * residents)
    count = active + closed
    # Owners of businesses that closed in the history were adults ten years ago already.
    seasoned = np.flatnonzero((age >= 31) & (age <= 72))
    is_closed = np.arange(count) >= active
    pick = np.where(
        is_closed,
        seasoned[rng.integers(0, len(seasoned), count)],
        eligible[rng.integers(0, len(eligible), count)],
    )
    owner, owner_household, owner_birth = adults[pick], household[pick], birth[pick]
    end = np.where(is_closed, rng.integers(S, U - 30, count), NA)
    start = np.where(
        is_closed,
        end - (rng.exponential(5, count) * YEAR).astype(np.int64) - 30,
        U - (rng.exponential(8, count) * YEAR).astype(np.int64),
    )
    start = np.maximum(start, owner_birth + int(18 * YEAR))
    start = np.where(is_closed, np.minimum(start, end - 30), start)
    form = rng.choice(len(LEGAL_FORMS), count, p=LEGAL_FORM_SHARES)
    weights = np.array([w for _c, _t, w in names.ACTIVITIES], dtype=float)
    activity = rng.choice(len(names.ACTIVITIES), count, p=weights / weights.sum())
    # Sole traders and partnerships often work from home, if they lived there when they started.
    at_home = (form <= 1) & (rng.random(count) < 0.6) & (start >= hh.move_day[owner_household])
    address = np.where(
        at_home, hh.address[owner_household], rng.integers(1, address_count + 1, count)
    )

    family = persons["family_name"][owner - pop.first_id]
    trade = np.array([t for _c, t, _w in names.ACTIVITIES], dtype=object)[activity]
    word = np.array(names.COMPANY_WORDS, dtype=object)[
        rng.integers(0, len(names.COMPANY_WORDS), count)
    ]
    surname = np.array(names.FAMILY_NAMES, dtype=object)[family]
    name = np.select(
        [form == 0, form == 1, form == 2, form == 3],
        [
            surname + " " + trade,
            surname + " & " + word + " " + trade,
            word + " " + trade + " B.V.",
            "Stichting " + word,
        ],
        "Vereniging " + word + " " + trade,
    )
    ids = np.arange(first_business_id, first_business_id + count)
    registrations = FactList()
    end_sec = np.where(is_closed, pop.registered(np.where(is_closed, end, 0), 14), NA)
    registrations.add(
        business=ids,
        name=name,
        legal_form=np.array(LEGAL_FORMS, dtype=object)[form],
        activity_code=np.array([c for c, _t, _w in names.ACTIVITIES], dtype=object)[activity],
        address=address,
        valid_from=start,
        valid_to=end,
        rec_open=pop.registered(start, 5),
        rec_close=end_sec,
    )

    roles = FactList()
    role = np.where(form >= 2, "representative", "owner")
    roles.add(
        business=ids,
        person=owner,
        role=role,
        valid_from=start,
        valid_to=end,
        rec_open=pop.registered(start, 5),
        rec_close=end_sec,
    )
    # A partner or second director: another adult who was 18 or over when the business started.
    second = np.flatnonzero((form == 1) | ((form == 2) & (rng.random(count) < 0.5)))
    candidate = eligible[rng.integers(0, len(eligible), (len(second), 8))]
    old_enough = birth[candidate] + int(18 * YEAR) <= start[second][:, None]
    old_enough &= adults[candidate] != owner[second][:, None]
    found = old_enough.any(axis=1)
    partner = adults[candidate[np.arange(len(second)), old_enough.argmax(axis=1)]][found]
    second = second[found]
    roles.add(
        business=ids[second],
        person=partner,
        role=np.where(form[second] == 1, "owner", "representative"),
        valid_from=start[second],
        valid_to=end[second],
        rec_open=pop.registered(start[second], 5),
        rec_close=end_sec[second],
    )
    self_employed = np.stack([owner, start, np.where(end == NA, U + 1, end)], axis=1)[form <= 1]
    return registrations, roles, self_employed


def incomes_generate(
    pop: Population, persons: dict, spans: tuple[np.ndarray, np.ndarray], self_employed: np.ndarray
) -> dict:
    """Yearly income rows (already bitemporal: a correction supersedes the first assessment)."""
    rng, U = pop.rng, pop.frame.until_day
    first_year = int(year_of(pop.frame.start_day))
    years = np.arange(first_year, int(year_of(U)))
    span_start, span_end = spans
    n = len(persons["id"])
    level = np.exp(rng.normal(0, 0.45, n))
    part_time = np.where(rng.random(n) < 0.3, 0.6, 1.0)
    works = rng.random(n)
    own_start = np.full(n, NA)
    own_end = np.full(n, NA)
    if len(self_employed):
        at = self_employed[:, 0] - pop.first_id
        own_start[at], own_end[at] = self_employed[:, 1], self_employed[:, 2]

    out: dict[str, list[np.ndarray]] = {
        k: []
        for k in (
            "person",
            "year",
            "source",
            "amount",
            "valid_from",
            "valid_to",
            "recorded_from",
            "recorded_to",
        )
    }
    for year in years:
        jan1, next_jan1 = int(day_of(year)), int(day_of(year + 1))
        age = (jan1 + 182 - persons["birth_day"]) / YEAR
        alive = (persons["death_day"] == NA) | (persons["death_day"] > jan1)
        resident = (span_start < next_jan1) & ((span_end == NA) | (span_end > jan1))
        adult = alive & resident & (age >= 18)
        growth = 1.025 ** (year - 2020)
        curve = np.interp(age, [18, 23, 30, 45, 55, 66], [0.35, 0.7, 0.95, 1.15, 1.15, 1.0])
        employed = adult & (age < 67) & (works < np.where(age < 23, 0.5, 0.78))
        own = adult & (age < 67) & (own_start != NA) & (own_start < next_jan1) & (own_end > jan1)
        benefits = adult & (age < 67) & ~employed & ~own & (works < 0.92)
        pension = adult & (age >= 67)
        amounts = (
            (employed, "employment", 39_000 * level * curve * part_time * growth),
            (own, "self_employment", 33_000 * level**1.6 * growth),
            (benefits, "benefits", 17_500 * growth * (0.9 + 0.2 * works)),
            (pension, "pension", 15_800 * growth + 9_000 * level**1.5 * growth),
        )
        for mask, source, amount in amounts:
            who = np.flatnonzero(mask)
            if not len(who):
                continue
            recorded = int(day_of(year + 1, 4, 1)) * DAY + (
                rng.uniform(0, 200, len(who)) * DAY
            ).astype(np.int64)
            known = recorded <= pop.frame.now_sec
            who, recorded = who[known], recorded[known]
            value = np.round(amount[who] / 10) * 10
            corrected = rng.random(len(who)) < 0.03
            corrected_at = recorded + (rng.uniform(30, 400, len(who)) * DAY).astype(np.int64)
            corrected &= corrected_at <= pop.frame.now_sec
            for rows, rec_from, rec_to, val in (
                (slice(None), recorded, np.where(corrected, corrected_at, NA), value),
                (
                    corrected,
                    corrected_at[corrected],
                    np.full(int(corrected.sum()), NA),
                    np.round(value[corrected] * rng.uniform(0.9, 1.1, int(corrected.sum())) / 10)
                    * 10,
                ),
            ):
                count = len(rec_from)
                out["person"].append(persons["id"][who[rows]])
                out["year"].append(np.full(count, year))
                out["source"].append(np.full(count, source, dtype=object))
                out["amount"].append(val.astype(np.int64))
                out["valid_from"].append(np.full(count, jan1))
                out["valid_to"].append(np.full(count, next_jan1))
                out["recorded_from"].append(rec_from)
                out["recorded_to"].append(rec_to)
    return {k: np.concatenate(v) if v else np.array([]) for k, v in out.items()}


# Dutch plate layouts ("sidecodes"), each used for cars first registered before the year next
# to it; a b c are letters, x y z digits.
SIDECODES = (
    (2008, "{a}{b}-{x}{y}-{z}{c}"),
    (2013, "{x}{y}-{a}{b}{c}-{z}"),
    (2016, "{x}-{a}{b}{c}-{y}{z}"),
    (2019, "{a}{b}-{x}{y}{z}-{c}"),
    (9999, "{a}-{x}{y}{z}-{b}{c}"),
)
PLATE_SPACE = 16**3 * 1000


def plates(index: np.ndarray, first_year: np.ndarray) -> np.ndarray:
    """Unique plates: a vehicle's index is scrambled over the 4,096,000 letter-digit payloads
    (a bijection, as the multiplier is odd and not a multiple of 5), laid out by its year."""
    if index.max(initial=0) >= PLATE_SPACE:
        raise ValueError("more vehicles than this plate scheme can number")
    scrambled = (index.astype(np.int64) * 2_654_435_761 + 12_345) % PLATE_SPACE
    letters = names.PLATE_LETTERS
    layout_of = np.searchsorted([y for y, _f in SIDECODES], first_year, side="right")
    out = []
    for value, layout in zip(scrambled.tolist(), layout_of.tolist(), strict=True):
        code, digits = divmod(value, 1000)
        out.append(
            SIDECODES[layout][1].format(
                a=letters[code >> 8],
                b=letters[(code >> 4) & 15],
                c=letters[code & 15],
                x=digits // 100,
                y=digits // 10 % 10,
                z=digits % 10,
            )
        )
    return np.array(out, dtype=object)


def vehicles_generate(
    pop: Population, hh: Households, persons: dict, *, first_vehicle_id: int
) -> tuple[dict, FactList]:
    rng, U, S = pop.rng, pop.frame.until_day, pop.frame.start_day
    n = len(hh.kind)
    cars_p = np.select(
        [
            (hh.kind == SINGLE) & (hh.head_age < 30),
            hh.kind == SINGLE,
            hh.kind == FAMILY,
            hh.kind == SINGLE_PARENT,
        ],
        [0.4, 0.7, 1.35, 0.85],
        1.1,
    )
    count = np.minimum(rng.poisson(cars_p), 3)
    household = np.repeat(np.arange(n), count)
    m = len(household)
    choose_second = (rng.random(m) < 0.5) & (hh.adults[household, 1] >= 0)
    owner = np.where(choose_second, hh.adults[household, 1], hh.adults[household, 0])
    owner_birth = persons["birth_day"][owner - pop.first_id]
    # Car ages: mean about 10 years (CBS: the fleet's average is 11); the oldest are 15-30.
    car_age = rng.exponential(10, m)
    car_age = np.where(car_age > 25, rng.uniform(15, 30, m), car_age)
    first_registered = U - (car_age * YEAR).astype(np.int64)
    fy = year_of(first_registered)
    # Share of electric cars among new registrations by year (RVO/RAI: 14% in 2019, 35% by 2024).
    electric_p = np.interp(
        fy, [2012, 2018, 2019, 2020, 2023, 2026], [0, 0.03, 0.10, 0.18, 0.28, 0.35]
    )
    hybrid_p = np.clip(0.05 + (fy - 2012) * 0.012, 0.05, 0.2)
    diesel_p = np.where(fy < 2015, 0.3, np.where(fy < 2020, 0.12, 0.03))
    u = rng.random(m)
    fuel = np.select(
        [
            u < electric_p,
            u < electric_p + hybrid_p,
            u < electric_p + hybrid_p + diesel_p,
            u < electric_p + hybrid_p + diesel_p + 0.03,
        ],
        [2, 3, 1, 4],
        0,
    )
    emissions = np.where(
        fuel == 2,
        "Z",
        np.select(
            [fy < 2001, fy < 2006, fy < 2011, fy < 2015],
            ["Euro 2", "Euro 3", "Euro 4", "Euro 5"],
            "Euro 6",
        ),
    )
    make_index = np.where(
        fuel == 2,
        np.where(
            rng.random(m) < 0.3,
            len(names.CAR_MAKES) - 1,
            rng.integers(0, len(names.CAR_MAKES) - 1, m),
        ),
        rng.integers(0, len(names.CAR_MAKES) - 1, m),
    )
    ids = np.arange(first_vehicle_id, first_vehicle_id + m)
    vehicles = {
        "id": ids,
        "plate": plates(ids, fy),
        "make": np.array(names.CAR_MAKES, dtype=object)[make_index],
        "fuel": np.array(FUELS, dtype=object)[fuel],
        "emissions_class": emissions.astype(object),
        "first_registered": first_registered,
    }
    since = np.maximum(first_registered, U - (rng.exponential(4.5, m) * YEAR).astype(np.int64))
    since = np.minimum(np.maximum(since, owner_birth + int(18 * YEAR)), U - 1)
    ownerships = FactList()
    since_sec = pop.registered(since, 2)
    ownerships.add(
        vehicle=ids, owner=owner, valid_from=since, valid_to=NA, rec_open=since_sec, rec_close=NA
    )
    # Second-hand cars bought in the history window: the previous owner lived here half the time.
    adults = hh.adults.ravel()
    adults = adults[adults >= 0]
    used = np.flatnonzero((since > np.maximum(first_registered + 30, S)) & (rng.random(m) < 0.5))
    previous = adults[rng.integers(0, len(adults), len(used))]
    prev_birth = persons["birth_day"][previous - pop.first_id]
    prev_from = np.maximum(first_registered[used], prev_birth + int(18 * YEAR))
    ok = (prev_from < since[used]) & (previous != owner[used])
    used, previous, prev_from = used[ok], previous[ok], prev_from[ok]
    ownerships.add(
        vehicle=ids[used],
        owner=previous,
        valid_from=prev_from,
        valid_to=since[used],
        rec_open=pop.registered(prev_from, 2),
        rec_close=since_sec[used],
    )
    return vehicles, ownerships
