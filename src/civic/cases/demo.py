"""The demo's case types (src/civic/cases/data/case_types.json) and the caseworkers' grants
for reading register data on the case page under each case type's purpose."""

from __future__ import annotations

import json
from pathlib import Path

from civic.cases.services import case_type_ensure
from civic.catalog.selectors import service_get
from civic.exchange import services as exchange
from civic.exchange.models import LegalGround
from civic.exchange.selectors import purpose_get
from civic.identity.models import Role
from civic.identity.selectors import agency_get

DATA = Path(__file__).parent / "data" / "case_types.json"


def demo_case_types_ensure() -> int:
    data = json.loads(DATA.read_text())
    havenstad = agency_get(code="havenstad")
    exchange.purpose_ensure(
        code="handle-objection",
        name="Handle your objection to a decision",
        name_nl="Uw bezwaar tegen een besluit behandelen",
        description="We look at the decision you object to and the data it used.",
        description_nl="Wij bekijken het besluit waartegen u bezwaar maakt en de gegevens die het gebruikte.",
        controller=havenstad,
        legal_ground=LegalGround.PUBLIC_TASK,
        legal_basis="Algemene wet bestuursrecht, art. 7:1",
    )
    for item in data["types"]:
        service = service_get(code=item["service"]) if item["service"] else None
        agency = service.agency if service else havenstad
        case_type_ensure(
            code=item["code"],
            service=service,
            agency=agency,
            name=item["name"],
            purpose=item["purpose"],
            workflow=data["workflow"],
            decision_period_days=item["decision_period_days"],
            decision_templates=item["decision_templates"],
            register_fields=item["register_fields"],
            is_objection=item.get("is_objection", False),
            teams=item.get("teams", []),
        )
        purpose = purpose_get(code=item["purpose"])
        for register, attributes in sorted(item["register_fields"].items()):
            exchange.grant_ensure(
                purpose=purpose,
                register=register,
                attributes=attributes,
                staff_role=Role.CASEWORKER,
                agency=agency,
            )
    return len(data["types"])
