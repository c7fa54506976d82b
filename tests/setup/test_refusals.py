"""A bad set-up file is refused whole: every problem is one line naming its place in the file,
the exit code is 2, and nothing is written, not even the parts of the file that were fine."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic.identity.selectors import agency_get
from civic.setup.state import state_current
from tests.setup.builders import a_setup_file, riverdale

pytestmark = pytest.mark.django_db


def _missing_agency(d):
    d["purposes"][0]["controller"] = "atlantis"


def _unknown_attribute(d):
    d["grants"][0]["attributes"] = ["identity.family_name", "identity.shoe_size"]


def _bad_legal_ground(d):
    d["purposes"][0]["legal_ground"] = "because"


def _duplicate_code(d):
    d["catalogue"]["services"].append(dict(d["catalogue"]["services"][0]))


def _wrong_version(d):
    d["version"] = 2


def _unknown_key(d):
    d["agencies"][0]["colour"] = "blue"


def _unknown_register(d):
    d["grants"][0]["register"] = "pets"


def _grantee_of_two_kinds(d):
    d["grants"][0]["to"] = {"staff_role": "caseworker", "agency": "riverdale", "residents": True}


def _missing_include(d):
    d["catalogue"]["services"] = {"file": "services.yaml"}


def _case_page_reads_more_than_granted(d):
    d["teams"] = [{"agency": "riverdale", "name": "Waste"}]
    d["workflows"] = {
        "simple": {
            "initial": "received",
            "states": {"received": {"label": {"en": "Received"}}, "done": {"final": True}},
            "transitions": [
                {"name": "decide", "from": ["received"], "to": "done", "roles": ["caseworker"]}
            ],
        }
    }
    d["case_types"] = [
        {
            "code": "bulky-waste",
            "service": "riverdale-bulky-waste",
            "purpose": "bulky-waste-collection",
            "name": {"en": "Bulky waste"},
            "workflow": "simple",
            "decision_period_days": 14,
            "teams": ["Waste"],
            "register_fields": {"persons": ["identity.family_name", "identity.birth_date"]},
        }
    ]


def _unknown_workflow_role(d):
    _case_page_reads_more_than_granted(d)
    d["case_types"][0]["register_fields"] = {}
    d["workflows"]["simple"]["transitions"][0]["roles"] = ["janitor"]


BAD = {
    "missing agency": (
        _missing_agency,
        "purposes[0].controller: there is no agency 'atlantis' in this file or the database",
    ),
    "unknown register attribute": (
        _unknown_attribute,
        "grants[0].attributes[1]: register persons has no attribute 'identity.shoe_size'",
    ),
    "bad legal ground": (
        _bad_legal_ground,
        "purposes[0].legal_ground: 'because' is not one of: consent, contract, legal_obligation",
    ),
    "duplicate code": (
        _duplicate_code,
        "catalogue.services[1]: code 'riverdale-bulky-waste' is given twice (also catalogue.services[0])",
    ),
    "wrong version": (
        _wrong_version,
        "version: this Civic reads set-up version 1; the file says 2",
    ),
    "unknown key": (_unknown_key, "agencies[0].colour: unknown key (known here: code, kind, name)"),
    "unknown register": (
        _unknown_register,
        "grants[0].register: there is no register 'pets' (registers: addresses, businesses",
    ),
    "grantee of two kinds": (_grantee_of_two_kinds, "grants[0].to.residents: unknown key"),
    "missing include": (
        _missing_include,
        "catalogue.services.file: there is no file services.yaml next to setup.yaml",
    ),
    "case page reads more than granted": (
        _case_page_reads_more_than_granted,
        "case_types[0].register_fields.persons: The case page needs a grant to staff role "
        "caseworker of riverdale under purpose bulky-waste-collection for persons: "
        "identity.birth_date",
    ),
    "workflow with a role that does not exist": (
        _unknown_workflow_role,
        "workflows.simple: Transition “decide” needs roles that exist.",
    ),
}


def _refused(path) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("setup", "apply", str(path), stdout=StringIO(), stderr=err)
    assert refused.value.returncode == 2
    assert "nothing was changed" in str(refused.value)
    return err.getvalue()


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_refused_with_its_place_and_nothing_is_written(case, tmp_path):
    spoil, expected = BAD[case]
    document = riverdale()
    spoil(document)
    before = state_current()
    problems = _refused(a_setup_file(tmp_path, document))
    assert any(line.startswith(expected) for line in problems.splitlines()), problems
    assert state_current() == before
    assert agency_get(code="riverdale") is None  # the file's good parts were not applied


def test_a_file_that_is_not_yaml_is_refused_at_its_line_and_column(tmp_path):
    path = tmp_path / "setup.yaml"
    path.write_text("version: 1\nagencies:\n  - code: riverdale\n    name: {en: Riverdale\n")
    problems = _refused(path)
    assert problems.startswith("setup.yaml:5:1: not valid YAML:"), problems


def test_a_key_given_twice_is_refused_rather_than_read_as_the_last(tmp_path):
    path = tmp_path / "setup.yaml"
    path.write_text("version: 1\nrules:\n  modes:\n    dog-tax: off\n    dog-tax: deciding\n")
    assert _refused(path).startswith("setup.yaml:5:5: not valid YAML:")


def test_a_problem_in_an_included_file_names_that_file(tmp_path):
    import json
    import shutil

    from civic.setup.services import DEMO_SETUP

    copy = tmp_path / "havenstad"
    shutil.copytree(DEMO_SETUP.parent, copy)
    services = json.loads((copy / "catalogue" / "services.json").read_text())
    services[3]["agency"] = "atlantis"
    (copy / "catalogue" / "services.json").write_text(json.dumps(services))
    problems = _refused(copy / "setup.yaml")
    assert problems.strip() == (
        "catalogue.services[3].agency (in catalogue/services.json): "
        "there is no agency 'atlantis' in this file or the database"
    )


def test_every_problem_is_named_at_once(tmp_path):
    document = riverdale()
    _missing_agency(document)
    _unknown_attribute(document)
    lines = _refused(a_setup_file(tmp_path, document)).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "purposes[0].controller",
        "grants[0].attributes[1]",
    ]


def test_check_says_a_good_file_has_no_problems_and_writes_nothing(tmp_path):
    path = a_setup_file(tmp_path, riverdale())
    out = StringIO()
    call_command("setup", "check", str(path), stdout=out)
    assert out.getvalue().strip() == f"{path}: no problems"
    assert agency_get(code="riverdale") is None


def test_off_in_a_file_is_the_mode_off_not_false(tmp_path):
    path = tmp_path / "setup.yaml"
    path.write_text("version: 1\nrules:\n  modes:\n    parking-permit: off\n")
    out = StringIO()
    call_command("setup", "apply", "--dry-run", str(path), stdout=out)
    assert "rule-set modes:   0 created, 0 changed, 1 unchanged" in out.getvalue()
