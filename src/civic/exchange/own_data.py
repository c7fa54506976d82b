"""A resident's own register data, read through the exchange under the own-data purpose, with
where each value comes from: the register, the authority that keeps it, and since when the
register holds it. The portal shows this; the reads appear in the resident's data tracker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civic.core.formats import date_text, money_text
from civic.core.i18n import tr
from civic.exchange.actors import Actor
from civic.exchange.query import register_query
from civic.identity.selectors import agency_get
from civic.registers.catalogue import REGISTERS

PERSON_FIELDS = [
    "identity.given_names",
    "identity.family_name_prefix",
    "identity.family_name",
    "identity.birth_date",
    "identity.sex",
    "identity.nationality",
    "identity.recorded_from",
    "residence.address",
    "residence.valid_from",
    "residence.recorded_from",
    "partnership.partner",
    "partnership.kind",
    "partnership.valid_from",
    "partnership.recorded_from",
    "parentage.child",
    "parentage.recorded_from",
]
ADDRESS_FIELDS = [
    "address.street",
    "address.house_number",
    "address.house_letter",
    "address.postcode",
    "address.municipality",
    "address.recorded_from",
]
INCOME_FIELDS = ["income.year", "income.source", "income.amount", "income.recorded_from"]

LABELS = {
    "identity.given_names": _("Given names"),
    "identity.family_name": _("Family name"),
    "identity.birth_date": _("Date of birth"),
    "identity.sex": _("Sex"),
    "identity.nationality": _("Nationality"),
    "residence.address": _("Address"),
    "residence.valid_from": _("Living there since"),
    "partnership.partner": _("Partner"),
    "parentage.child": _("Child"),
    "income": _("Income"),
}
SEXES = {"F": _("female"), "M": _("male"), "X": _("unspecified")}
SOURCES = {
    "employment": _("employment"),
    "self_employment": _("self-employment"),
    "benefits": _("benefits"),
    "pension": _("pension"),
}
KINDS = {"marriage": _("marriage"), "registered": _("registered partnership")}


def _as_of(text: str | None) -> dt.date | None:
    return dt.datetime.fromisoformat(text).date() if text else None


def _masked(number: str) -> str:
    return f"{number[:3]}***{number[-2:]}"


def _item(attribute: str, value: Any, as_of: dt.date | None, label=None) -> dict[str, Any]:
    return {
        "attribute": attribute,
        "label": label or LABELS.get(attribute, attribute),
        "value": value,
        "as_of": as_of,
    }


def own_data(*, personal_number: str, acting_for: str = "") -> list[dict[str, Any]]:
    """The sections of "my data" for ``acting_for`` (or the resident), one per register."""
    subject = acting_for or personal_number
    actor = Actor.resident(personal_number, on_behalf_of=acting_for)
    purpose = settings.OWN_DATA_PURPOSE
    person = register_query(
        actor=actor, register="persons", subjects=[subject], fields=PERSON_FIELDS, purpose=purpose
    )["results"][0]["records"]
    identity, residence = person.get("identity") or {}, person.get("residence") or {}
    persons_items = []
    as_of = _as_of(identity.get("recorded_from"))
    name = " ".join(
        p for p in (identity.get("family_name_prefix"), identity.get("family_name")) if p
    )
    persons_items += [
        _item("identity.given_names", identity.get("given_names"), as_of),
        _item("identity.family_name", name, as_of),
        _item(
            "identity.birth_date",
            dt.date.fromisoformat(identity["birth_date"]) if identity.get("birth_date") else None,
            as_of,
        ),
        _item("identity.sex", SEXES.get(identity.get("sex"), identity.get("sex")), as_of),
        _item("identity.nationality", identity.get("nationality"), as_of),
    ]
    if residence.get("address"):
        address = register_query(
            actor=actor,
            register="addresses",
            subjects=[residence["address"]],
            fields=ADDRESS_FIELDS,
            purpose=purpose,
        )["results"][0]["records"]["address"]
        line = f"{address['street']} {address['house_number']}{address['house_letter']}, {address['postcode'][:4]} {address['postcode'][4:]} {address['municipality']}"
        persons_items.append(
            _item("residence.address", line, _as_of(residence.get("recorded_from")))
        )
        persons_items.append(
            _item(
                "residence.valid_from",
                dt.date.fromisoformat(residence["valid_from"]),
                _as_of(residence.get("recorded_from")),
            )
        )
    for row in person.get("partnership") or []:
        if row.get("partner"):
            value = f"{_masked(row['partner'])} ({KINDS.get(row['kind'], row['kind'])}, {date_text(row['valid_from'])})"
            persons_items.append(
                _item("partnership.partner", value, _as_of(row.get("recorded_from")))
            )
    children = [row["child"] for row in person.get("parentage") or [] if row.get("child")]
    for row in person.get("parentage") or []:
        if row.get("child"):
            persons_items.append(
                _item("parentage.child", _masked(row["child"]), _as_of(row.get("recorded_from")))
            )
    sections = [_section("persons", persons_items)]
    income = (
        register_query(
            actor=actor,
            register="income",
            subjects=[subject],
            fields=INCOME_FIELDS,
            purpose=purpose,
        )["results"][0]["records"].get("income")
        or []
    )
    latest = max((row["year"] for row in income), default=None)
    income_items = [
        _item(
            "income",
            f"{row['year']}: {money_text(row['amount'])} ({SOURCES.get(row['source'], row['source'])})",
            _as_of(row.get("recorded_from")),
            label=_("Income %(year)s") % {"year": row["year"]},
        )
        for row in sorted(income, key=lambda r: (-r["year"], r["source"]))
        if row["year"] >= (latest or 0) - 2
    ]
    if income_items:
        sections.append(_section("income", income_items))
    return [{**s, "children": children if s["register_key"] == "persons" else []} for s in sections]


def _section(register: str, items: list[dict[str, Any]]) -> dict[str, Any]:

    catalogue = REGISTERS[register]
    agency = agency_get(code=catalogue.authority)
    return {
        "register_key": register,
        "register": catalogue.name,
        "authority": tr({"en": agency.name, "nl": agency.name_nl})
        if agency
        else catalogue.authority,
        "authority_code": catalogue.authority,
        "legal_basis": catalogue.legal_basis,
        "items": items,
    }
