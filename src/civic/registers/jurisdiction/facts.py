"""Facts collected for one chunk of the population, and how they become bitemporal rows.

A fact is true over ``[valid_from, valid_to)`` (days) and was registered at ``rec_open``
(seconds); if it ended, the register learnt that at ``rec_close``. An ended fact becomes two
rows: the open version, superseded at ``rec_close``, and the closed version from then on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from civic.registers.jurisdiction.writer import NA

DAY = 86_400


@dataclass
class FactList:
    """Column-wise facts of one kind."""

    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **cols) -> None:
        """Append facts; a scalar value is repeated for every fact of the call."""
        arrays = {name: np.atleast_1d(np.asarray(values)) for name, values in cols.items()}
        size = max(len(a) for a in arrays.values())
        for name, array in arrays.items():
            if len(array) != size:
                array = np.repeat(array, size)
            self.columns.setdefault(name, []).append(array)

    def concat(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(parts) for name, parts in self.columns.items()}

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), [])
        return sum(len(p) for p in first)


def bitemporal_rows(
    facts: dict[str, np.ndarray], *, open_only: dict[str, np.ndarray] | None = None
) -> dict[str, np.ndarray]:
    """Expand facts into rows with valid_to/recorded_from/recorded_to.

    ``facts`` must have valid_from, valid_to, rec_open, rec_close (NA when not ended) and
    the kind's own columns. ``open_only`` overrides columns in the open version of ended
    facts (a person's date of death is empty before the death was registered, say).
    """
    ended = facts["valid_to"] != NA
    # A fact that had already ended when the register first learnt of it has no open version.
    superseded = ended & (facts["rec_close"] > facts["rec_open"])
    own = [
        name for name in facts if name not in {"valid_from", "valid_to", "rec_open", "rec_close"}
    ]
    rows: dict[str, list[np.ndarray]] = {
        name: [] for name in [*own, "valid_from", "valid_to", "recorded_from", "recorded_to"]
    }

    # Current version of every fact (closed where ended).
    for name in own:
        rows[name].append(facts[name])
    rows["valid_from"].append(facts["valid_from"])
    rows["valid_to"].append(facts["valid_to"])
    rows["recorded_from"].append(np.where(superseded, facts["rec_close"], facts["rec_open"]))
    rows["recorded_to"].append(np.full(len(ended), NA))

    # Superseded open version of the ended ones.
    for name in own:
        source = open_only[name] if open_only and name in open_only else facts[name]
        rows[name].append(source[superseded])
    rows["valid_from"].append(facts["valid_from"][superseded])
    rows["valid_to"].append(np.full(int(superseded.sum()), NA))
    rows["recorded_from"].append(facts["rec_open"][superseded])
    rows["recorded_to"].append(facts["rec_close"][superseded])
    return {name: np.concatenate(parts) for name, parts in rows.items()}


def known_after_persons(
    facts: dict[str, np.ndarray], registered_sec: np.ndarray, first_id: int, *person_columns: str
) -> dict[str, np.ndarray]:
    """Nothing about a person is recorded before the person is: a family that arrived from
    elsewhere brings a marriage decades old, registered on the day of arrival."""
    for column in person_columns:
        facts["rec_open"] = np.maximum(facts["rec_open"], registered_sec[facts[column] - first_id])
    return facts
