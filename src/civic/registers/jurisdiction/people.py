"""The people and households of one chunk of the synthetic municipality, as the population
and its history (population.py, history.py) and the economy (economy.py) build them.

Only the shapes and the codes they share live here, so those modules import it and each other
in one direction: population uses history, history and economy use this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from civic.registers.jurisdiction import names
from civic.registers.jurisdiction.facts import DAY, FactList
from civic.registers.jurisdiction.writer import NA

YEAR = 365.25
SINGLE, COUPLE, FAMILY, SINGLE_PARENT = 0, 1, 2, 3
# How a household came to live at its current address.
LONG_TERM, INTERNAL, FROM_OUTSIDE, FROM_PARENTS, AFTER_DIVORCE = 0, 1, 2, 3, 4
MARRIAGE, REGISTERED, COHABITING = 0, 1, 2
PARTNERSHIP_KINDS = ("marriage", "registered")  # as stored; cohabiting couples are not registered
PARTNERSHIP_SHARES = (0.65, 0.12, 0.23)


@dataclass
class Frame:
    """The ten years of history: day numbers since 1970-01-01."""

    start_day: int
    until_day: int

    @property
    def now_sec(self) -> int:
        return self.until_day * DAY + 12 * 3600


@dataclass
class Population:
    frame: Frame
    rng: np.random.Generator
    first_id: int
    persons: FactList = field(default_factory=FactList)
    residences: FactList = field(default_factory=FactList)
    partnerships: FactList = field(default_factory=FactList)
    parentages: FactList = field(default_factory=FactList)
    count: int = 0

    # -- helpers -------------------------------------------------------------------------
    def registered(self, day: np.ndarray, max_delay_days: float = 5) -> np.ndarray:
        """When the register learnt of an event on ``day``: a few hours to days later."""
        day = np.asarray(day, dtype=np.int64)
        delay = (self.rng.uniform(0.1, max_delay_days, day.shape) * DAY).astype(np.int64)
        return np.minimum(day * DAY + 8 * 3600 + delay, self.frame.now_sec)

    def family_names(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        name = self.rng.integers(0, len(names.FAMILY_NAMES), n)
        has_prefix = self.rng.random(n) < 0.3
        prefix = self.rng.choice(
            len(names.FAMILY_NAME_PREFIXES), n, p=names.FAMILY_NAME_PREFIX_WEIGHTS
        )
        return name, np.where(has_prefix, prefix, -1)

    def persons_add(
        self,
        *,
        birth_day,
        sex,
        nationality,
        registered_sec,
        family_name=None,
        prefix=None,
        death_day=None,
        death_sec=None,
    ) -> np.ndarray:
        birth_day = np.atleast_1d(np.asarray(birth_day, dtype=np.int64))
        n = len(birth_day)
        if family_name is None:
            family_name, prefix = self.family_names(n)
        ids = np.arange(self.first_id + self.count, self.first_id + self.count + n)
        self.count += n
        self.persons.add(
            id=ids,
            birth_day=birth_day,
            sex=sex,
            nationality=nationality,
            family_name=family_name,
            prefix=prefix,
            registered_sec=registered_sec,
            death_day=NA if death_day is None else death_day,
            death_sec=NA if death_sec is None else death_sec,
        )
        return ids

    def reside(self, person, address, start, end=NA, start_sec=None, end_sec=NA) -> None:
        start = np.asarray(start, dtype=np.int64)
        self.residences.add(
            person=person,
            address=address,
            valid_from=start,
            valid_to=end,
            rec_open=self.registered(start) if start_sec is None else start_sec,
            rec_close=end_sec,
        )

    def partner(self, a, b, kind, start, end=NA, end_sec=NA) -> None:
        """Register a partnership in both directions; cohabiting couples are not registered."""
        a, b, kind = np.atleast_1d(a), np.atleast_1d(b), np.atleast_1d(kind)
        start = np.atleast_1d(np.asarray(start, dtype=np.int64))
        end, end_sec = np.broadcast_to(end, a.shape), np.broadcast_to(end_sec, a.shape)
        keep = kind != COHABITING
        rec = self.registered(start[keep], 3)
        words = np.array(PARTNERSHIP_KINDS, dtype=object)[kind[keep]]
        for x, y in ((a, b), (b, a)):
            self.partnerships.add(
                person=x[keep],
                partner=y[keep],
                kind=words,
                valid_from=start[keep],
                valid_to=end[keep],
                rec_open=rec,
                rec_close=end_sec[keep],
            )

    def parent(self, parent, child, birth_day, birth_sec) -> None:
        self.parentages.add(
            parent=parent,
            child=child,
            valid_from=birth_day,
            valid_to=NA,
            rec_open=birth_sec,
            rec_close=NA,
        )


@dataclass
class Households:
    """Today's households of the chunk, one entry per household."""

    kind: np.ndarray
    address: np.ndarray
    move_day: np.ndarray
    move_sec: np.ndarray
    how: np.ndarray  # LONG_TERM, INTERNAL, ...
    prev_address: np.ndarray
    prev_start: np.ndarray
    adults: np.ndarray  # (n, 2) person ids, -1 where the household has one adult
    head_age: np.ndarray  # years
    nationality: np.ndarray
    spare: np.ndarray  # addresses set aside, vacant today; some movers lived there before
