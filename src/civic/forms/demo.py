"""The demo's forms (src/civic/forms/data/forms.json): each with its purpose and the residents'
grant its prefill needs, published as a version when it changed."""

from __future__ import annotations

import json
from pathlib import Path

from civic.catalog.selectors import service_get
from civic.exchange import services as exchange
from civic.forms import schema as schema_rules
from civic.forms.prefill import grants_needed
from civic.forms.services import form_definition_ensure
from civic.identity.selectors import agency_get

DATA = Path(__file__).parent / "data" / "forms.json"


def demo_forms_ensure() -> int:
    forms = json.loads(DATA.read_text())
    for item in forms:
        p = item["purpose"]
        purpose = exchange.purpose_ensure(
            code=p["code"],
            name=p["name"]["en"],
            name_nl=p["name"]["nl"],
            description=p["description"]["en"],
            description_nl=p["description"]["nl"],
            controller=agency_get(code=p["controller"]),
            legal_ground=p["legal_ground"],
            legal_basis=p["legal_basis"],
        )
        schema = {"steps": item["steps"]}
        bindings = {
            f["prefill"] for f in schema_rules.questions(schema) if f.get("type") == "prefill"
        }
        for register, attributes in sorted(grants_needed(bindings).items()):
            exchange.grant_ensure(
                purpose=purpose, register=register, attributes=sorted(attributes), residents=True
            )
        form_definition_ensure(
            code=item["code"],
            service=service_get(code=item["service"]),
            purpose=purpose.code,
            title=item["title"],
            schema=schema,
        )
    return len(forms)
