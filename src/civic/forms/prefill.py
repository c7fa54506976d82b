"""Prefill: the register values a form's ``prefill`` fields show, read through the exchange.

Prefill sources are plugins: :data:`prefill_sources` holds them by the key a form definition's
``prefill`` field names (``person.given_names``); each is a :class:`Binding`. Civic's own,
reading the base registers, are registered below; a new one is one more
``prefill_sources.register(Binding(...), key=...)`` (docs/plugins.md). Form definitions are
data, so a source is only ever looked up by key, never imported by a dotted path.

Each binding names the register attributes it needs and how to turn the records into one
value for the resident to confirm. All bindings of a form are read together, one exchange
query per register, under the form's purpose and as the resident (acting for someone when
they are), so every read is in the access log and the resident's data tracker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from civic.core.plugins import Registry
from civic.exchange.selectors import Actor, records_fetch, register_catalogue


@dataclass(frozen=True)
class Binding:
    register: str
    attributes: tuple[str, ...]
    label: Any
    #: (records of that register) -> (value for display, the day the register recorded it)
    value: Callable[[dict[str, Any]], tuple[str, str]]


def _day(text: str | None) -> str:
    return dt.datetime.fromisoformat(text).date().isoformat() if text else ""


def _identity(attribute: str) -> Callable[[dict], tuple[str, str]]:
    def read(records: dict) -> tuple[str, str]:
        identity = records.get("identity") or {}
        if attribute == "family_name":
            value = " ".join(
                p for p in (identity.get("family_name_prefix"), identity.get("family_name")) if p
            )
        else:
            value = identity.get(attribute) or ""
        return value, _day(identity.get("recorded_from"))

    return read


def _partner(records: dict) -> tuple[str, str]:
    rows = [r for r in records.get("partnership") or [] if r.get("partner")]
    if not rows:
        return "", ""
    number = rows[-1]["partner"]
    return f"{number[:3]}***{number[-2:]}", _day(rows[-1].get("recorded_from"))


def _children(records: dict) -> tuple[str, str]:
    rows = [r for r in records.get("parentage") or [] if r.get("child")]
    latest = max((r.get("recorded_from") or "" for r in rows), default="")
    return str(len(rows)), _day(latest)


def _income(records: dict) -> tuple[str, str]:
    rows = records.get("income") or []
    if not rows:
        return "", ""
    year = max(r["year"] for r in rows)
    total = sum(r["amount"] for r in rows if r["year"] == year)
    latest = max(r.get("recorded_from") or "" for r in rows if r["year"] == year)
    return f"{year}: € {total:,}".replace(",", "."), _day(latest)


#: The prefill sources by key; publishing a form whose field names another key is refused.
prefill_sources: Registry[Binding] = Registry("prefill source", Binding)

_BUILT_IN: dict[str, Binding] = {
    "person.given_names": Binding(
        "persons",
        ("identity.given_names", "identity.recorded_from"),
        _("Given names"),
        _identity("given_names"),
    ),
    "person.family_name": Binding(
        "persons",
        ("identity.family_name_prefix", "identity.family_name", "identity.recorded_from"),
        _("Family name"),
        _identity("family_name"),
    ),
    "person.birth_date": Binding(
        "persons",
        ("identity.birth_date", "identity.recorded_from"),
        _("Date of birth"),
        _identity("birth_date"),
    ),
    "person.partner": Binding(
        "persons",
        ("partnership.partner", "partnership.recorded_from"),
        _("Partner"),
        _partner,
    ),
    "person.children": Binding(
        "persons",
        ("parentage.child", "parentage.recorded_from"),
        _("Number of children"),
        _children,
    ),
    "income.last_year": Binding(
        "income",
        ("income.year", "income.source", "income.amount", "income.recorded_from"),
        _("Income in the latest year"),
        _income,
    ),
    # The address is two reads: where the person lives (persons), then that address.
    "person.address": Binding(
        "persons",
        ("residence.address", "residence.recorded_from"),
        _("Address"),
        lambda r: ("", ""),
    ),
}
for _key, _binding in _BUILT_IN.items():
    prefill_sources.register(_binding, key=_key)
ADDRESS_FIELDS = (
    "address.street",
    "address.house_number",
    "address.house_letter",
    "address.postcode",
    "address.municipality",
)


def grants_needed(bindings: set[str]) -> dict[str, set[str]]:
    """register -> attributes a form with these bindings reads (for its purpose's grant)."""
    needed: dict[str, set[str]] = {}
    for name in bindings:
        binding = prefill_sources[name]
        needed.setdefault(binding.register, set()).update(binding.attributes)
        if name == "person.address":
            needed.setdefault("addresses", set()).update(ADDRESS_FIELDS)
    return needed


def prefill_read(
    *, bindings: dict[str, str], purpose: str, applicant: str, subject: str, case: str = ""
) -> dict[str, dict[str, Any]]:
    """field key -> {value, register, attribute, authority, as_of} for ``subject``'s records.

    ``bindings`` maps field keys to binding names. Raises the exchange's QueryRefused when the
    purpose's grant does not cover what the form asks, so a misconfigured form fails loudly."""
    actor = Actor.resident(applicant, on_behalf_of=subject if subject != applicant else "")
    by_register: dict[str, set[str]] = {}
    for name in bindings.values():
        binding = prefill_sources[name]
        by_register.setdefault(binding.register, set()).update(binding.attributes)
    records: dict[str, dict] = {}
    for register, fields in sorted(by_register.items()):
        records[register] = records_fetch(
            actor=actor,
            register=register,
            subject=subject,
            fields=sorted(fields),
            purpose=purpose,
            case=case,
        )
    out: dict[str, dict[str, Any]] = {}
    catalogue = register_catalogue()
    for key, name in bindings.items():
        binding = prefill_sources[name]
        if name == "person.address":
            value, as_of = _address(records["persons"], actor, purpose, case)
        else:
            value, as_of = binding.value(records[binding.register])
        out[key] = {
            "value": value,
            "binding": name,
            "register": binding.register,
            "authority": catalogue[binding.register]["authority"],
            "as_of": as_of,
        }
    return out


def _address(persons: dict, actor: Actor, purpose: str, case: str) -> tuple[str, str]:
    residence = persons.get("residence") or {}
    if not residence.get("address"):
        return "", ""
    address = records_fetch(
        actor=actor,
        register="addresses",
        subject=residence["address"],
        fields=list(ADDRESS_FIELDS),
        purpose=purpose,
        case=case,
    )["address"]
    postcode = address["postcode"]
    line = (
        f"{address['street']} {address['house_number']}{address['house_letter'] or ''}, "
        f"{postcode[:4]} {postcode[4:]} {address['municipality']}"
    )
    return line, _day(residence.get("recorded_from"))
