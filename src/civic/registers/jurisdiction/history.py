"""Ten years of register history behind today's households of one chunk.

Works backwards from today: divorces (single parents and the ex-partner who moved out),
young adults who left their parents' home, moves within the municipality (each matched to the
address its household left behind, so an address has one household at a time), previous
occupants who died or moved away, widowhood, and the partnerships of today's couples.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from civic.registers.jurisdiction.facts import DAY
from civic.registers.jurisdiction.people import (
    AFTER_DIVORCE,
    COHABITING,
    COUPLE,
    FAMILY,
    FROM_OUTSIDE,
    FROM_PARENTS,
    INTERNAL,
    LONG_TERM,
    MARRIAGE,
    PARTNERSHIP_SHARES,
    REGISTERED,
    SINGLE,
    SINGLE_PARENT,
    YEAR,
    Households,
    Population,
)
from civic.registers.jurisdiction.writer import NA

#: Children a couple may have had leave home (besides those still at home), and the oldest a
#: parent may have been at a birth.
MAX_LEFT_HOME = 3
OLDEST_PARENT = 50


def _years(n: np.ndarray | float) -> np.ndarray:
    return (np.asarray(n) * YEAR).astype(np.int64)


def history_build(
    *,
    pop: Population,
    hh: Households,
    kid_household,
    kid_ids,
    kid_birth,
    kid_birth_sec,
    births,
    sexes,
) -> dict:
    rng, U, S = pop.rng, pop.frame.until_day, pop.frame.start_day
    n = len(hh.kind)
    birth1, birth2 = births
    sex1, _sex2 = sexes
    adult1, adult2 = hh.adults[:, 0], hh.adults[:, 1]
    stats = defaultdict(int)
    youngest = np.full(n, -(2**62), dtype=np.int64)
    eldest = np.full(n, 2**62, dtype=np.int64)
    np.maximum.at(youngest, kid_household, kid_birth)
    np.minimum.at(eldest, kid_household, kid_birth)
    spare = list(hh.spare)

    def move(h: int, day: int, prev_address: int, prev_start: int, how: int) -> None:
        hh.move_day[h], hh.move_sec[h] = day, pop.registered(np.array([day]), 10)[0]
        hh.prev_address[h], hh.prev_start[h], hh.how[h] = prev_address, prev_start, how

    # -- Divorces: a single parent's ex-partner moved out, to a single household here or away.
    singles_by_sex_age: dict[tuple[bool, int], list[int]] = defaultdict(list)
    settled = (hh.kind == SINGLE) & np.isin(hh.how, [LONG_TERM, INTERNAL])
    for h in rng.permutation(np.flatnonzero(settled)):
        singles_by_sex_age[(bool(sex1[h]), int(hh.head_age[h] // 5))].append(int(h))
    for h in np.flatnonzero((hh.kind == SINGLE_PARENT) & (rng.random(n) < 0.55)):
        lo, hi = max(hh.move_day[h], youngest[h] + 200), U - 120
        if lo >= hi:
            continue
        divorce = int(lo + rng.random() * (hi - lo))
        # The ex lived here from the day the household moved in, so must have been an adult then.
        bucket = singles_by_sex_age.get((not sex1[h], int(hh.head_age[h] // 5)))
        leave = divorce + int(rng.uniform(5, 90))
        adult_by = min(int(hh.move_day[h]), int(eldest[h]))
        if bucket and birth1[bucket[-1]] + _years(18) <= adult_by:
            single = bucket.pop()
            ex, ex_birth = int(adult1[single]), int(birth1[single])
            move(single, leave, int(hh.address[h]), int(hh.move_day[h]), AFTER_DIVORCE)
        else:
            ex_birth = int(min(birth1[h] + _years(rng.normal(2, 3)), adult_by - _years(18)))
            ex = int(
                pop.persons_add(
                    birth_day=ex_birth,
                    sex="M" if sex1[h] else "F",
                    nationality=hh.nationality[h],
                    registered_sec=pop.registered(np.array([ex_birth]))[0],
                )[0]
            )
            pop.reside(
                ex,
                hh.address[h],
                int(hh.move_day[h]),
                leave,
                end_sec=pop.registered(np.array([leave]), 10),
            )
            stats["emigrations"] += 1
        start = int(
            np.clip(
                eldest[h] - _years(rng.uniform(0.5, 4)),
                max(birth1[h], ex_birth) + _years(18),
                divorce - 30,
            )
        )
        pop.partner(
            adult1[h],
            ex,
            rng.choice(3, p=PARTNERSHIP_SHARES),
            start,
            divorce,
            pop.registered(np.array([divorce]), 20),
        )
        kids = kid_ids[kid_household == h]
        pop.parent(
            np.full(len(kids), ex),
            kids,
            kid_birth[kid_household == h],
            pop.registered(kid_birth[kid_household == h], 3),
        )
        stats["divorces"] += 1

    # -- Young adults who left their parents' home (an older couple in this chunk). The couple
    # is drawn at random among those of a fitting age, and takes at most MAX_LEFT_HOME such
    # children, a year or more apart: always taking the first fit gave some couples dozens.
    couples_by_age: dict[int, list[int]] = defaultdict(list)
    for h in np.flatnonzero((hh.kind == COUPLE) & (hh.head_age >= 42)):
        couples_by_age[int(hh.head_age[h])].append(int(h))
    given: dict[int, list[int]] = defaultdict(list)  # couple -> birth days of children given

    def fits(p: int, h: int) -> bool:
        born = birth1[h]
        return (
            hh.move_day[p] < hh.move_day[h] - 365
            and max(birth1[p], birth2[p]) + _years(18) <= born
            and min(birth1[p], birth2[p]) + _years(OLDEST_PARENT) >= born
            and len(given[p]) < MAX_LEFT_HOME
            and all(abs(other - born) >= 365 for other in given[p])
        )

    for h in np.flatnonzero(hh.how == FROM_PARENTS):
        target = int(hh.head_age[h] + rng.uniform(24, 36))
        pool = [p for age in (target, target + 1, target - 1) for p in couples_by_age.get(age, [])]
        parents = next((pool[i] for i in rng.permutation(len(pool)) if fits(pool[i], h)), None)
        if parents is None:
            hh.how[h] = INTERNAL
            continue
        given[parents].append(int(birth1[h]))
        hh.prev_address[h] = hh.address[parents]
        hh.prev_start[h] = max(int(birth1[h]), int(hh.move_day[parents]))
        for p in hh.adults[parents]:
            pop.parent(p, adult1[h], birth1[h], pop.registered(np.array([birth1[h]]), 3))

    # -- Moves within the municipality: each mover left the address a later household took.
    movers = np.flatnonzero(hh.how == INTERNAL)
    movers = movers[np.argsort(hh.move_day[movers], kind="stable")]
    slots = np.flatnonzero(hh.move_day >= S)
    slot_time = hh.move_day[slots] - rng.integers(7, 90, len(slots))
    order = np.argsort(slot_time, kind="stable")
    slots, slot_time = slots[order], slot_time[order]
    filled = np.zeros(len(slots), dtype=bool)
    j = 0
    for h in movers:
        while j < len(slots) and slot_time[j] < hh.move_day[h]:
            j += 1
        if j < len(slots):
            hh.prev_address[h] = hh.address[slots[j]]
            filled[j] = True
            j += 1
        elif spare:
            hh.prev_address[h] = spare.pop()
        else:
            hh.how[h] = FROM_OUTSIDE
            continue
        # They lived at the previous address for years (as children, perhaps), never zero days.
        born = max(birth1[h], birth2[h] if adult2[h] >= 0 else birth1[h])
        # Most had lived there since before the history began: the generator follows each
        # household back one move, so an earlier start leaves no one unhoused in the history.
        earliest = int(
            min(hh.move_day[h] - _years(rng.exponential(6)), S - _years(rng.exponential(4)))
        )
        hh.prev_start[h] = min(max(earliest, int(born)), int(hh.move_day[h]) - 30)

    # -- Who lived at the other vacated addresses: someone who died, or who moved away.
    vacated = slots[~filled]
    left_day = slot_time[~filled] - rng.integers(0, 30, len(vacated))
    fate = rng.random(len(vacated))
    died = fate < 0.38
    if died.any():
        death = left_day[died]
        age = np.clip(72 + rng.exponential(9, died.sum()), 72, 101)
        birth = death - _years(age)
        death_sec = pop.registered(death, 4)
        ids = pop.persons_add(
            birth_day=birth,
            sex=np.where(rng.random(died.sum()) < 0.6, "F", "M"),
            nationality=hh.nationality[vacated[died]],
            registered_sec=pop.registered(birth),
            death_day=death,
            death_sec=death_sec,
        )
        start = np.maximum(death - _years(rng.exponential(15, died.sum())), birth + _years(25))
        start = np.minimum(start, death - 30)
        pop.reside(ids, hh.address[vacated[died]], start, death, end_sec=death_sec)
        stats["deaths"] += int((death >= S).sum())
    away = (fate >= 0.38) & (fate < 0.88)
    if away.any():
        leave = left_day[away]
        size = np.where(rng.random(away.sum()) < 0.65, 2, 1)
        who = np.repeat(np.arange(away.sum()), size)
        # Couples: a woman and a man about two years apart (as today's couples, same-sex aside).
        first = np.r_[True, np.diff(who) != 0]
        age = np.repeat(rng.uniform(20, 60, int(away.sum())), size)
        age = np.maximum(np.where(first, age, age + rng.normal(2, 3, len(who))), 20)
        birth = leave[who] - _years(age)
        ids = pop.persons_add(
            birth_day=birth,
            sex=np.where(
                size[who] == 1,
                np.where(rng.random(len(who)) < 0.5, "F", "M"),
                np.where(first, "F", "M"),
            ),
            nationality=hh.nationality[vacated[away]][who],
            registered_sec=pop.registered(birth),
        )
        # A household moves in together: the same day for both, once both were adults.
        adult_from = np.full(int(away.sum()), np.iinfo(np.int64).min)
        np.maximum.at(adult_from, who, birth + _years(18))
        start = np.maximum(leave - _years(rng.exponential(8, int(away.sum()))), adult_from)
        start = np.minimum(start, leave - 30)[who]
        pop.reside(
            ids,
            hh.address[vacated[away]][who],
            start,
            leave[who],
            end_sec=pop.registered(leave[who], 10),
        )
        pairs = np.flatnonzero(np.diff(who) == 0)
        pop.partner(
            ids[pairs],
            ids[pairs + 1],
            rng.choice(3, len(pairs), p=PARTNERSHIP_SHARES),
            np.maximum(start[pairs], start[pairs + 1]),
        )
        stats["emigrations"] += len(who)

    # -- Widowhood: a long-settled older single whose partner died in the last ten years.
    widowed = np.flatnonzero(
        (hh.kind == SINGLE) & (hh.head_age >= 60) & (hh.how == LONG_TERM) & (rng.random(n) < 0.75)
    )
    if len(widowed):
        # Earlier years weigh more: later deaths mostly show as previous occupants of homes
        # that new households moved into, which the history holds more of in recent years.
        death = S + ((U - 30 - S) * rng.beta(1.0, 2.0, len(widowed))).astype(np.int64)
        birth = birth1[widowed] - _years(rng.normal(2, 4, len(widowed)))
        death_sec = pop.registered(death, 4)
        ids = pop.persons_add(
            birth_day=birth,
            sex=np.where(sex1[widowed], "M", "F"),
            nationality=hh.nationality[widowed],
            registered_sec=pop.registered(birth),
            death_day=death,
            death_sec=death_sec,
        )
        pop.reside(ids, hh.address[widowed], hh.move_day[widowed], death, end_sec=death_sec)
        start = np.minimum(
            np.maximum(birth, birth1[widowed]) + _years(rng.uniform(22, 32, len(widowed))),
            death - 365,
        )
        pop.partner(
            adult1[widowed],
            ids,
            rng.choice([MARRIAGE, REGISTERED], len(widowed), p=[0.9, 0.1]),
            start,
            death,
            death_sec,
        )
        stats["deaths"] += len(widowed)

    # -- Partnerships of today's couples.
    together = np.flatnonzero((hh.kind == COUPLE) | (hh.kind == FAMILY))
    kind = rng.choice(3, len(together), p=PARTNERSHIP_SHARES)
    younger_birth = np.maximum(birth1[together], birth2[together])
    # Families: some years before the eldest was born. Couples: at 19 to 36, within the
    # younger partner's life so far.
    younger_age = (U - younger_birth) / YEAR
    at_age = 19 + rng.random(len(together)) * np.clip(np.minimum(younger_age, 36) - 19, 0, None)
    start = np.where(
        hh.kind[together] == FAMILY,
        eldest[together] - _years(rng.uniform(0.5, 5, len(together))),
        younger_birth + _years(at_age),
    )
    start = np.clip(start, younger_birth + _years(18), U - 30)
    pop.partner(adult1[together], adult2[together], kind, start)
    stats["partnerships_started"] += int(((start >= S) & (kind != COHABITING)).sum())

    # -- Where today's households live, and where the movers lived before.
    for adults in (adult1, adult2):
        has = np.flatnonzero(adults >= 0)
        pop.reside(adults[has], hh.address[has], hh.move_day[has], start_sec=hh.move_sec[has])
        moved = has[hh.prev_address[has] >= 0]
        if adults is adult2:
            moved = moved[hh.how[moved] == INTERNAL]
        pop.reside(
            adults[moved],
            hh.prev_address[moved],
            hh.prev_start[moved],
            hh.move_day[moved],
            end_sec=hh.move_sec[moved],
        )
    kid_move = hh.move_day[kid_household]
    born_here = kid_birth >= kid_move
    pop.reside(
        kid_ids,
        hh.address[kid_household],
        np.maximum(kid_birth, kid_move),
        start_sec=np.where(born_here, kid_birth_sec, hh.move_sec[kid_household]),
    )
    moved = ~born_here & (hh.how[kid_household] == INTERNAL)
    kh = kid_household[moved]
    pop.reside(
        kid_ids[moved],
        hh.prev_address[kh],
        np.maximum(kid_birth[moved], hh.prev_start[kh]),
        hh.move_day[kh],
        end_sec=hh.move_sec[kh],
    )

    in_window = hh.move_day >= S
    stats["moves_within"] = int(
        (in_window & np.isin(hh.how, [INTERNAL, FROM_PARENTS, AFTER_DIVORCE])).sum()
    )
    stats["moves_into"] = int((in_window & (hh.how == FROM_OUTSIDE)).sum())
    stats["births"] = int((kid_birth >= S).sum())
    stats["households"] = n
    return dict(stats)


__all__ = ["DAY", "NA", "history_build"]
