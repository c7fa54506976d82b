"""People of one chunk of the synthetic municipality and ten years of their register history.

The chunk starts from today's households (types, sizes and ages from the shapes in
docs/jurisdiction.md), then walks back: when each household moved in and from where, who
lived at each address before, who died, who divorced, who left their parents' home. Every
address is lived in by one household at a time; a household that moved within the
municipality left behind the address the next household moved into.
"""

from __future__ import annotations

import numpy as np

from civic.registers.jurisdiction import history, names
from civic.registers.jurisdiction.people import (
    COUPLE,
    FAMILY,
    FROM_OUTSIDE,
    FROM_PARENTS,
    INTERNAL,
    LONG_TERM,
    SINGLE,
    SINGLE_PARENT,
    YEAR,
    Frame,
    Households,
    Population,
)
from civic.registers.jurisdiction.writer import NA

HOUSEHOLD_TYPE_SHARES = (0.38, 0.31, 0.22, 0.09)
KIDS_SHARES = (0.42, 0.41, 0.13, 0.04)  # 1, 2, 3, 4 children at home


def _draw_households(rng: np.random.Generator, residents: int):
    estimate = int(residents / 2.0 * 1.1) + 10
    kind = rng.choice(4, estimate, p=HOUSEHOLD_TYPE_SHARES)
    kids = np.where(kind >= FAMILY, rng.choice(4, estimate, p=KIDS_SHARES) + 1, 0)
    size = np.select([kind == SINGLE, kind == COUPLE, kind == FAMILY], [1, 2, 2 + kids], 1 + kids)
    keep = np.cumsum(size) <= residents
    kind, kids, size = kind[keep], kids[keep], size[keep]
    missing = residents - int(size.sum())
    # Top up with single households so the chunk has exactly the residents asked for.
    return (
        np.concatenate([kind, np.full(missing, SINGLE)]),
        np.concatenate([kids, np.zeros(missing, dtype=kids.dtype)]),
    )


def _ages_of_kids(
    rng, kids: np.ndarray, oldest_allowed: np.ndarray, max_span: np.ndarray
) -> np.ndarray:
    """Ages in years, one row per household, NaN past the household's number of children.

    Siblings are 1.1 to 8 years apart (mean 3); the youngest is anywhere from newborn to what
    the eldest's age (children live at home up to about 24) leaves room for.
    """
    gaps = np.clip(rng.normal(3.0, 1.2, (len(kids), 3)), 1.1, 8.0)
    gaps[np.arange(3)[None, :] >= (kids - 1)[:, None]] = 0.0
    gaps *= np.minimum(1.0, max_span / np.maximum(gaps.sum(axis=1), 1e-9))[:, None]
    span = np.minimum(gaps.sum(axis=1), oldest_allowed - 0.5)
    # Skewed towards young, so that (with the siblings above them) ages come out about even.
    youngest = rng.uniform(0, 1, len(kids)) ** 1.15 * (oldest_allowed - span)
    offsets = np.concatenate([np.zeros((len(kids), 1)), np.cumsum(gaps, axis=1)], axis=1)
    ages = np.clip(youngest[:, None] + span[:, None] - offsets, 0.01, None)
    ages[np.arange(4)[None, :] >= kids[:, None]] = np.nan
    return ages


def _older_ages(rng, start: float, mean: float, count: int) -> np.ndarray:
    """Ages past ``start`` thinning out exponentially; the rare draw past 100 is redrawn."""
    ages = start + rng.exponential(mean, count)
    too_old = ages > 100
    ages[too_old] = rng.uniform(start, start + 2 * mean, int(too_old.sum()))
    return ages


def population_generate(
    *, rng, frame: Frame, residents: int, addresses: np.ndarray, first_person_id: int
) -> tuple[Population, Households, dict]:
    """Generate ``residents`` people living today at ``addresses`` (one per household)."""
    pop = Population(frame=frame, rng=rng, first_id=first_person_id)
    U, S = frame.until_day, frame.start_day
    kind, kids = _draw_households(rng, residents)
    n = len(kind)
    if n + int(0.06 * n) + 1 > len(addresses):
        raise ValueError("more households than addresses were set aside for the chunk")
    address = addresses[:n]
    spare = addresses[n : n + int(0.06 * n) + 1]
    nationality = rng.choice(len(names.NATIONALITIES), n, p=names.NATIONALITY_WEIGHTS)

    # Ages of the (first) adult, the partner and the children, in years.
    age1 = np.empty(n)
    young = rng.random(n)
    single = kind == SINGLE
    age1[single] = np.select(
        [young[single] < 0.38, young[single] < 0.68],
        [np.clip(rng.normal(27, 5.5, single.sum()), 18, 40), rng.uniform(40, 67, single.sum())],
        _older_ages(rng, 67, 9, single.sum()),
    )
    couple = kind == COUPLE
    age1[couple] = np.select(
        [young[couple] < 0.35, young[couple] < 0.82],
        [rng.uniform(23, 40, couple.sum()), rng.uniform(52, 74, couple.sum())],
        _older_ages(rng, 72, 6, couple.sum()),
    )
    with_kids = kind >= FAMILY
    # Mothers are 19 to 40 at the eldest's birth (CBS: about 30 on average) and have their
    # last child by 44.
    mother_at_birth = np.clip(rng.normal(29.5, 4.5, n), 19, 40)
    kid_ages = _ages_of_kids(rng, kids, np.where(kind == FAMILY, 24.0, 22.0), 44 - mother_at_birth)
    eldest = np.nanmax(np.where(np.isnan(kid_ages), -1, kid_ages), axis=1)
    age1[with_kids] = (eldest + mother_at_birth)[with_kids]
    # A partner in a family is the other parent: at least 18 at the eldest's birth.
    partner_floor = np.where(kind == FAMILY, eldest + 18.5, 18.5)
    age2 = np.clip(age1 + rng.normal(2.5, 3.0, n), partner_floor, 100)
    has_partner = (kind == COUPLE) | (kind == FAMILY)

    # Sexes: the first adult is the woman in mixed couples; 3% of couples are same-sex, half
    # of them two women and half two men.
    same_sex = has_partner & (rng.random(n) < 0.03)
    sex1 = np.where(single, np.where(age1 >= 65, rng.random(n) < 0.65, rng.random(n) < 0.5), True)
    sex1 = np.where(kind == SINGLE_PARENT, rng.random(n) < 0.82, sex1)
    sex1 = np.where(same_sex, rng.random(n) < 0.5, sex1)
    sex2 = np.where(same_sex, sex1, ~sex1)

    # When each household moved in, and from where.
    adult_min_age = np.where(has_partner, np.minimum(age1, age2), age1)
    mean_stay = np.select([single & (age1 < 35), kind == FAMILY], [3.0, 7.0], 11.0)
    years_here = np.minimum(rng.exponential(mean_stay), adult_min_age - 18)
    move_day = (U - years_here * YEAR).astype(np.int64)
    in_window = move_day >= S
    how = np.where(in_window, np.where(rng.random(n) < 0.8, INTERNAL, FROM_OUTSIDE), LONG_TERM)
    how = np.where(in_window & single & (age1 < 31) & (rng.random(n) < 0.5), FROM_PARENTS, how)
    move_sec = pop.registered(move_day, 10)

    def birth_of(age_years, count=None):
        return (
            U - age_years * YEAR - rng.uniform(0, 1, count if count is not None else len(age_years))
        ).astype(np.int64)

    birth1, birth2 = birth_of(age1), birth_of(age2)
    arrived = how == FROM_OUTSIDE
    reg1 = np.where(arrived, move_sec, pop.registered(birth1))
    reg2 = np.where(arrived, move_sec, pop.registered(birth2))
    adult1 = pop.persons_add(
        birth_day=birth1, sex=np.where(sex1, "F", "M"), nationality=nationality, registered_sec=reg1
    )
    partner_idx = np.flatnonzero(has_partner)
    adult2 = np.full(n, -1)
    adult2[partner_idx] = pop.persons_add(
        birth_day=birth2[partner_idx],
        sex=np.where(sex2, "F", "M")[partner_idx],
        nationality=nationality[partner_idx],
        registered_sec=reg2[partner_idx],
    )

    # Children: the father's family name in families; the absent parent's in single parents.
    kid_household = np.repeat(np.arange(n), kids)
    kid_age = kid_ages[~np.isnan(kid_ages)]
    kid_birth = birth_of(kid_age)
    kid_birth_sec = pop.registered(kid_birth, 3)
    born_before_arrival = arrived[kid_household] & (kid_birth < move_day[kid_household])
    absent_name, absent_prefix = pop.family_names(n)
    so_far = pop.persons.concat()
    father = np.where(kind == FAMILY, np.where(sex1 & ~sex2, adult2, adult1), -1)[kid_household]
    has_father = father >= 0
    at = np.where(has_father, father - pop.first_id, 0)
    kid_family = np.where(has_father, so_far["family_name"][at], absent_name[kid_household])
    kid_prefix = np.where(has_father, so_far["prefix"][at], absent_prefix[kid_household])
    kid_nationality = np.where(rng.random(len(kid_household)) < 0.5, 0, nationality[kid_household])
    kid_ids = pop.persons_add(
        birth_day=kid_birth,
        sex=np.where(rng.random(len(kid_birth)) < 0.49, "F", "M"),
        nationality=kid_nationality,
        family_name=kid_family,
        prefix=kid_prefix,
        registered_sec=np.where(born_before_arrival, move_sec[kid_household], kid_birth_sec),
    )
    for parent in (adult1[kid_household], adult2[kid_household]):
        known = parent >= 0
        pop.parent(parent[known], kid_ids[known], kid_birth[known], kid_birth_sec[known])

    households = Households(
        kind=kind,
        address=address,
        move_day=move_day,
        move_sec=move_sec,
        how=how,
        prev_address=np.full(n, -1),
        prev_start=np.full(n, NA),
        adults=np.stack([adult1, adult2], axis=1),
        head_age=age1,
        nationality=nationality,
        spare=spare,
    )
    stats = history.history_build(
        pop=pop,
        hh=households,
        kid_household=kid_household,
        kid_ids=kid_ids,
        kid_birth=kid_birth,
        kid_birth_sec=kid_birth_sec,
        births=(birth1, birth2),
        sexes=(sex1, sex2),
    )
    return pop, households, stats
