"""`civic setup apply` on the test database (set up from the demo file): a second file on top,
a dry run that only shows, narrowing a grant, a mode a service owner chose, the export that
applies as "no change"."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from civic.exchange.models import Grant
from civic.exchange.selectors import purpose_get
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.setup.services import setup_apply
from civic.setup.state import state_current
from tests.builders import create_staff
from tests.setup.builders import a_setup_file, riverdale

pytestmark = pytest.mark.django_db


def apply(*args: str) -> str:
    out = StringIO()
    call_command("setup", "apply", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_second_file_adds_its_agency_purpose_grant_and_service_beside_the_demos(tmp_path):
    output = apply(a_setup_file(tmp_path, riverdale()))
    assert "agencies:         1 created, 0 changed, 0 unchanged\n  + riverdale\n" in output
    assert "  + bulky-waste-collection / persons / staff role caseworker of riverdale" in output
    assert output.rstrip().endswith("Applied.")
    assert purpose_get(code="bulky-waste-collection").controller.code == "riverdale"
    assert agency_get(code="havenstad") is not None  # what the file does not name stays
    assert "No change" in apply(a_setup_file(tmp_path, riverdale()))


def test_a_dry_run_shows_the_change_and_writes_nothing(tmp_path):
    before = state_current()
    document = riverdale()
    document["purposes"].append(
        {
            **document["purposes"][0],
            "code": "show-own-data",
            "controller": "havenstad",
            "legal_basis": "Wet basisregistratie personen, art. 2.56",
        }
    )
    output = apply("--dry-run", a_setup_file(tmp_path, document))
    assert "purposes:         1 created, 1 changed, 0 unchanged" in output
    assert "  ~ show-own-data (description, legal_basis, name)" in output
    assert output.rstrip().endswith(
        "Dry run: nothing was written (the change above was rolled back)."
    )
    assert state_current() == before


def test_narrowing_a_grant_in_the_file_narrows_it_and_keeps_the_wider_one_as_revoked(tmp_path):
    apply(a_setup_file(tmp_path, riverdale()))
    narrower = riverdale()
    narrower["grants"][0]["attributes"] = ["residence.address"]
    output = apply(a_setup_file(tmp_path, narrower))
    key = "bulky-waste-collection / persons / staff role caseworker of riverdale"
    assert f"  ~ {key} (attributes)" in output
    grants = Grant.objects.filter(purpose__code="bulky-waste-collection").order_by("pk")
    # (attributes, in force): the wider grant is kept as revoked history.
    assert [(g.attributes, g.revoked_at is None) for g in grants] == [
        (["identity.family_name", "residence.address"], False),
        (["residence.address"], True),
    ]


def test_a_mode_a_service_owner_chose_stands_when_the_file_is_applied_again(tmp_path):
    from civic.decisions.models import RuleSetMode
    from civic.decisions.services import mode_set
    from civic.identity.selectors import agency_get

    # Dog tax is the Municipality's: only its own service owner may switch it.
    owner = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    mode_set(case_type="dog-tax", mode="deciding", user=owner)
    output = apply(a_setup_file(tmp_path, {"version": 1, "rules": {"modes": {"dog-tax": "off"}}}))
    assert "rule-set modes:   0 created, 0 changed, 0 unchanged, 1 kept" in output
    assert "  = dog-tax: kept deciding, chosen by" in output
    assert RuleSetMode.objects.get(case_type="dog-tax").mode == "deciding"


def test_the_export_applies_as_no_change(tmp_path):
    out = StringIO()
    call_command("setup", "export", stdout=out)
    exported = tmp_path / "export.yaml"
    exported.write_text(out.getvalue())
    result = setup_apply(path=exported, dry_run=True)
    assert not result.changed, [c for c in result.changes if c.touches]
    assert "school-clothing-grant: deciding" in out.getvalue()


def test_the_schema_names_the_apps_own_words():
    import json

    out = StringIO()
    call_command("setup", "schema", stdout=out)
    schema = json.loads(out.getvalue())
    purpose = schema["properties"]["purposes"]["items"]["properties"]
    assert "public_task" in purpose["legal_ground"]["enum"]
    modes = schema["properties"]["rules"]["properties"]["modes"]["additionalProperties"]
    assert modes["enum"] == ["off", "shadow", "deciding"]
