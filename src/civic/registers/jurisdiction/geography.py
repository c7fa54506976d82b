"""The map of the synthetic municipality: neighbourhoods, streets and addresses.

Neighbourhoods lie on a sunflower spiral around the centre, about 700 m apart, each with some
1,200 homes; streets are short straight lines inside their neighbourhood with houses numbered
along them (odd on one side, even on the other); a tenth of the streets are flats with house
letters. Postcodes follow the Dutch pattern: one 4-digit area per neighbourhood, a letter pair
per block of about 20 homes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from civic.registers.jurisdiction import names

HOMES_PER_NEIGHBOURHOOD = 1200
HOMES_PER_STREET = 60
HOMES_PER_POSTCODE = 20
METRES_PER_DEGREE_LAT = 111_320.0
# Postcode letter pairs; the Dutch post never issues SA, SD or SS.
POSTCODE_LETTERS = [
    a + b
    for a in "ABCDEFGHJKLMNPRTVWXZ"
    for b in "ABCDEFGHJKLMNPRSTVWXZ"
    if a + b not in {"SA", "SD", "SS"}
]


@dataclass
class Map:
    neighbourhood_code: list[str]
    neighbourhood_name: list[str]
    neighbourhood_lat: np.ndarray
    neighbourhood_lon: np.ndarray
    # One entry per address, in id order (ids are 1..n).
    street: np.ndarray
    house_number: np.ndarray
    house_letter: np.ndarray
    postcode: np.ndarray
    neighbourhood: np.ndarray  # index into the neighbourhood lists
    latitude: np.ndarray
    longitude: np.ndarray
    built_day: np.ndarray

    @property
    def address_count(self) -> int:
        return len(self.street)


def _neighbourhood_names(count: int, rng: np.random.Generator) -> list[str]:
    combos = [
        base + quarter
        for quarter in names.NEIGHBOURHOOD_QUARTERS
        for base in names.NEIGHBOURHOOD_NAMES
    ]
    if count > len(combos):
        combos += [f"{base} {i}" for i in range(2, count // len(combos) + 3) for base in combos]
    return combos[:count]


def _street_names(count: int, rng: np.random.Generator) -> list[str]:
    combos = [
        q + stem + suffix
        for q in names.STREET_QUALIFIERS
        for stem in names.STREET_STEMS
        for suffix in names.STREET_SUFFIXES
    ]
    picked = rng.permutation(len(combos))
    # Past the list, names repeat in other neighbourhoods, as they do across a real
    # municipality's villages; postcode and identifier still tell the addresses apart.
    return [combos[picked[i % len(combos)]] for i in range(count)]


def map_build(*, homes: int, rng: np.random.Generator, history_start_day: int) -> Map:
    """Lay out ``homes`` addresses (ids 1..homes) over neighbourhoods and streets."""
    n_nb = max(4, math.ceil(homes / HOMES_PER_NEIGHBOURHOOD))
    golden = math.pi * (3 - math.sqrt(5))
    k = np.arange(n_nb)
    radius_m = 700.0 * np.sqrt(k + 0.5)
    angle = k * golden
    cos_lat = math.cos(math.radians(names.CENTRE_LATITUDE))
    nb_lat = names.CENTRE_LATITUDE + radius_m * np.sin(angle) / METRES_PER_DEGREE_LAT
    nb_lon = names.CENTRE_LONGITUDE + radius_m * np.cos(angle) / (METRES_PER_DEGREE_LAT * cos_lat)

    # Homes per neighbourhood vary (the centre is denser); streets split each neighbourhood.
    share = rng.gamma(6.0, 1.0, n_nb)
    share[: max(1, n_nb // 10)] *= 1.5
    per_nb = np.floor(share / share.sum() * homes).astype(np.int64)
    per_nb[: homes - per_nb.sum()] += 1

    street_sizes: list[int] = []
    street_nb: list[int] = []
    for nb, count in enumerate(per_nb):
        n_streets = max(1, round(count / HOMES_PER_STREET))
        cut = (
            np.sort(rng.choice(np.arange(1, count), size=n_streets - 1, replace=False))
            if n_streets > 1 and count > n_streets
            else np.array([], dtype=np.int64)
        )
        sizes = np.diff(np.concatenate([[0], cut, [count]]))
        street_sizes += sizes.tolist()
        street_nb += [nb] * len(sizes)
    street_sizes_arr = np.array(street_sizes, dtype=np.int64)
    street_nb_arr = np.array(street_nb, dtype=np.int64)
    n_streets = len(street_sizes_arr)
    street_name = np.array(_street_names(n_streets, rng), dtype=object)
    flats = rng.random(n_streets) < 0.10

    # Position of each address along its street.
    address_street = np.repeat(np.arange(n_streets), street_sizes_arr)
    starts = np.concatenate([[0], np.cumsum(street_sizes_arr)[:-1]])
    position = np.arange(homes) - starts[address_street]
    letters_per_number = np.where(flats, 4, 1)[address_street]
    house_number = position // letters_per_number + 1
    letter_index = np.where(flats[address_street], position % 4, -1)
    house_letter = np.where(
        letter_index >= 0, np.array(list("ABCD"))[np.maximum(letter_index, 0)], ""
    )

    street_angle = rng.uniform(0, math.pi, n_streets)
    street_offset_m = rng.uniform(-320, 320, (n_streets, 2))
    along_m = house_number * 6.0
    side_m = np.where(house_number % 2 == 0, 8.0, -8.0)
    a = street_angle[address_street]
    north = street_offset_m[address_street, 0] + along_m * np.sin(a) + side_m * np.cos(a)
    east = street_offset_m[address_street, 1] + along_m * np.cos(a) - side_m * np.sin(a)
    nb_of_address = street_nb_arr[address_street]
    latitude = np.round(nb_lat[nb_of_address] + north / METRES_PER_DEGREE_LAT, 6)
    longitude = np.round(nb_lon[nb_of_address] + east / (METRES_PER_DEGREE_LAT * cos_lat), 6)

    # Postcodes: area 3500 + neighbourhood, then letter pairs in blocks of 20 along each street;
    # a block never spans two streets, so postcode, number and letter name one address.
    blocks_per_street = -(-street_sizes_arr // HOMES_PER_POSTCODE)
    street_first_block = np.zeros(n_streets, dtype=np.int64)
    for nb in range(n_nb):
        in_nb = np.flatnonzero(street_nb_arr == nb)
        street_first_block[in_nb] = np.concatenate([[0], np.cumsum(blocks_per_street[in_nb])[:-1]])
    block = street_first_block[address_street] + position // HOMES_PER_POSTCODE
    if block.max() >= len(POSTCODE_LETTERS):
        raise ValueError("a neighbourhood outgrew its postcode area")
    area = (3500 + nb_of_address).astype(str)
    postcode = np.char.add(area, np.array(POSTCODE_LETTERS, dtype=object)[block].astype(str))

    # Construction years; the generator moves a date earlier if someone lived there before.
    age_days = (rng.exponential(35, homes) * 365.25).astype(np.int64)
    built_day = history_start_day - age_days

    return Map(
        neighbourhood_code=[f"{names.MUNICIPALITY_CODE}{i:04d}" for i in range(n_nb)],
        neighbourhood_name=_neighbourhood_names(n_nb, rng),
        neighbourhood_lat=np.round(nb_lat, 6),
        neighbourhood_lon=np.round(nb_lon, 6),
        street=street_name[address_street],
        house_number=house_number,
        house_letter=house_letter.astype("U1"),
        postcode=postcode.astype("U6"),
        neighbourhood=nb_of_address,
        latitude=latitude,
        longitude=longitude,
        built_day=built_day,
    )
