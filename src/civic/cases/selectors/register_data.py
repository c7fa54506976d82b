"""The subject's register data a case shows its caseworker (or API client), read through the
exchange under the case's purpose."""

from __future__ import annotations

from typing import Any

from civic.cases.acting import ClientActing
from civic.cases.models import Case
from civic.exchange.selectors import Actor, records_fetch


def case_register_data(*, case: Case, user) -> list[dict[str, Any]]:
    """The subject's register data the case type shows, read through the exchange as this
    caseworker under the case's purpose (so the resident sees the read in their tracker)."""

    actor = Actor.api_client(user.client) if isinstance(user, ClientActing) else Actor.staff(user)
    purpose = case.case_type.purpose
    fields = case.case_type.register_fields
    sections = []
    address_id = ""
    for register, attributes in fields.items():
        if register == "addresses":
            continue
        records = records_fetch(
            register=register,
            subject=case.subject,
            fields=attributes,
            purpose=purpose,
            actor=actor,
            case=case.reference,
        )
        rows = []
        for record_type, value in records.items():
            for item in value if isinstance(value, list) else [value]:
                for attribute, content in (item or {}).items():
                    if attribute == "address" and record_type == "residence":
                        address_id = content or ""
                    rows.append({"attribute": f"{record_type}.{attribute}", "value": content})
        sections.append({"register": register, "rows": rows})
    if address_id and "addresses" in fields:
        address = (
            records_fetch(
                register="addresses",
                subject=address_id,
                fields=fields["addresses"],
                purpose=purpose,
                actor=actor,
                case=case.reference,
            ).get("address")
            or {}
        )
        sections.append(
            {
                "register": "addresses",
                "rows": [{"attribute": f"address.{k}", "value": v} for k, v in address.items()],
            }
        )
    return sections
