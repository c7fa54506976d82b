"""What identity needs to know from the persons register, asked through a port.

Identity may not read the registers (only the exchange does, under a purpose, logged), and it
cannot call the exchange either: the exchange lies above identity (it asks identity who an actor
is). So identity declares here what it needs, and the exchange fills the port in when Django
starts (``ExchangeConfig.ready``) with reads under the login and representation purposes, each
one in the access log and the resident's data tracker. Until the port is filled, asking raises
``PortUnfilled``: a login or a representation check never quietly skips the register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from civic.core import clock

#: A parent may act for a child until the child turns this old.
MAJORITY_AGE = 18


@dataclass(frozen=True)
class Child:
    personal_number: str
    birth_date: dt.date
    #: Given names and family name, as the register holds them ("" if it holds none).
    name: str = ""


class PersonsPort(Protocol):
    def registered(self, *, personal_number: str) -> bool:
        """Whether the person is alive in the persons register (read for logging in)."""

    def living_children(self, *, personal_number: str) -> list[Child]:
        """The person's living children today (read to check who they may act for)."""

    def names(self, *, personal_numbers: list[str]) -> dict[str, str]:
        """Full names of people someone may act for (read to show whom they act for)."""


class PortUnfilled(RuntimeError):
    pass


_port: PersonsPort | None = None


def port_fill(port: PersonsPort) -> None:
    """Called once by the exchange at start-up."""
    global _port
    _port = port


def _the_port() -> PersonsPort:
    if _port is None:
        raise PortUnfilled(
            "identity's persons port is not filled: is civic.exchange in INSTALLED_APPS?"
        )
    return _port


def person_is_registered(*, personal_number: str) -> bool:
    """True for a living person in the persons register (whether or not still resident)."""
    return _the_port().registered(personal_number=personal_number)


def _adult_born_before(on: dt.date) -> dt.date:
    day = min(on.day, 28) if on.month == 2 else on.day
    return on.replace(year=on.year - MAJORITY_AGE, day=day)


def minor_children(*, personal_number: str) -> list[str]:
    """Personal numbers of the person's living children under 18 today: whom a parent may act
    for."""
    return [
        child.personal_number for child in minor_children_named(personal_number=personal_number)
    ]


def minor_children_named(*, personal_number: str) -> list[Child]:
    """The person's living children under 18 today, with their names, by personal number."""
    born_after = _adult_born_before(clock.today())
    return sorted(
        (
            child
            for child in _the_port().living_children(personal_number=personal_number)
            if child.birth_date > born_after
        ),
        key=lambda child: child.personal_number,
    )


def person_names(*, personal_numbers: list[str]) -> dict[str, str]:
    """Personal number -> full name, for the people a representative may act for."""
    if not personal_numbers:
        return {}
    return _the_port().names(personal_numbers=personal_numbers)
