"""The record of processing activities (GDPR art. 30), generated from what the system does:
the exchange's purposes and the grants in force under them, and the register catalogue's
classification and retention of each attribute granted. Nothing in it is written by hand.
Reads only the exchange's and identity's selectors."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from civic.core import clock
from civic.exchange import selectors as exchange
from civic.exchange.models import LegalGround
from civic.identity.models import Role
from civic.identity.selectors import agency_list

__all__ = ["processing_record", "recipient_said"]


def _agency_names() -> dict[str, str]:
    dutch = translation.get_language() == "nl"
    return {a.code: (a.name_nl if dutch and a.name_nl else a.name) for a in agency_list()}


def _localised(purpose, field: str) -> str:
    dutch = translation.get_language() == "nl"
    return (getattr(purpose, f"{field}_nl") if dutch else "") or getattr(purpose, field)


def _catalogue() -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    """Each register as the catalogue describes it, and each (register, attribute)."""
    registers, attributes = {}, {}
    for register in exchange.catalogue_list():
        registers[register["key"]] = register
        for record in register["records"]:
            for attribute in record["attributes"]:
                attributes[(register["key"], attribute["name"])] = attribute
    return registers, attributes


def _recipient(grant, agencies: dict[str, str], public: bool) -> dict[str, Any]:
    if grant.api_client_id:
        kind, agency = "api_client", grant.api_client.agency.code
    elif grant.staff_role:
        kind, agency = "staff_role", grant.agency.code
    elif grant.job:
        kind, agency = "job", grant.agency.code
    else:
        kind, agency = "residents", ""
    out = {
        "kind": kind,
        "agency": agency,
        "agency_name": agencies.get(agency, agency),
        "staff_role": grant.staff_role,
        "job": grant.job,
        "register": grant.register,
        "attributes": sorted(grant.attributes),
        "valid_from": grant.valid_from,
        "valid_until": grant.valid_until,
    }
    if not public:
        # Who exactly, for the officer: the grant and the partner system holding it.
        out["grant"] = grant.pk
        out["api_client"] = grant.api_client.client_id if grant.api_client_id else ""
        out["api_client_name"] = grant.api_client.name if grant.api_client_id else ""
    return out


def recipient_said(recipient: dict[str, Any]) -> str:
    """A recipient in words, for the page and the PDF."""
    if recipient["kind"] == "api_client":
        name = recipient.get("api_client_name") or _("a partner system")
        return _("%(client)s, partner system of %(agency)s") % {
            "client": name,
            "agency": recipient["agency_name"],
        }
    if recipient["kind"] == "staff_role":
        return _("Staff of %(agency)s with the role %(role)s") % {
            "agency": recipient["agency_name"],
            "role": Role(recipient["staff_role"]).label,
        }
    if recipient["kind"] == "job":
        return _("%(agency)s's background job “%(job)s”") % {
            "agency": recipient["agency_name"],
            "job": recipient["job"],
        }
    return _("The residents themselves, for their own records")


def _retention(categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The categories' retention periods, one line per period with the attributes kept so."""
    periods: dict[tuple, list[str]] = defaultdict(list)
    for category in categories:
        for attribute in category["attributes"]:
            key = (attribute["retention"]["years"], attribute["retention"]["description"])
            periods[key].append(f"{category['register']}:{attribute['name']}")
    return [
        {"years": years, "description": description, "attributes": sorted(names)}
        for (years, description), names in sorted(
            periods.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0, item[0][1])
        )
    ]


def _entry(purpose, grants, registers, attributes, agencies, public) -> dict[str, Any]:
    granted: dict[str, set[str]] = defaultdict(set)
    for grant in grants:
        granted[grant.register].update(grant.attributes)
    categories = []
    for register_key in sorted(granted):
        register = registers.get(register_key, {})
        described = [
            {
                "name": name,
                "description": attributes.get((register_key, name), {}).get("description", name),
                "classification": attributes.get((register_key, name), {}).get(
                    "classification", ""
                ),
                "retention": attributes.get((register_key, name), {}).get(
                    "retention", {"years": None, "description": _("Not in the catalogue.")}
                ),
            }
            for name in sorted(granted[register_key])
        ]
        categories.append(
            {
                "register": register_key,
                "register_name": register.get("name", register_key),
                "authority": register.get("authority", ""),
                "authority_name": register.get("authority_name", ""),
                "register_legal_basis": register.get("legal_basis", ""),
                "data_subjects": register.get("subject", ""),
                "attributes": described,
            }
        )
    return {
        "code": purpose.code,
        "name": _localised(purpose, "name"),
        "description": _localised(purpose, "description"),
        "controller": purpose.controller.code,
        "controller_name": agencies.get(purpose.controller.code, purpose.controller.name),
        "legal_ground": purpose.legal_ground,
        "legal_ground_label": str(LegalGround(purpose.legal_ground).label),
        "legal_basis": purpose.legal_basis,
        "confidential": purpose.confidential,
        "embargo_days": purpose.embargo_days,
        "data_subjects": sorted({c["data_subjects"] for c in categories if c["data_subjects"]}),
        "data_categories": categories,
        "recipients": [_recipient(grant, agencies, public) for grant in grants],
        "retention": _retention(categories),
    }


def processing_record(*, controller: str | None = None, public: bool = False) -> dict[str, Any]:
    """The record: one entry per purpose (of ``controller`` only, if named), each with its
    legal ground and basis, the data categories its grants in force name, the recipients
    holding those grants, and each category's retention. ``public`` leaves out which grant
    and which partner system (the agency and kind of recipient stay)."""
    registers, attributes = _catalogue()
    agencies = _agency_names()
    grants_of = defaultdict(list)
    for grant in exchange.grants_in_force_list():
        grants_of[grant.purpose_id].append(grant)
    purposes = [
        p for p in exchange.purposes_list() if controller is None or p.controller.code == controller
    ]
    return {
        "generated_at": clock.now().astimezone(dt.UTC),
        "controller": controller or "",
        "controller_name": agencies.get(controller, "") if controller else "",
        "purposes": [
            _entry(p, grants_of[p.pk], registers, attributes, agencies, public) for p in purposes
        ],
    }
