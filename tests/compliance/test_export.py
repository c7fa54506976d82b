"""A person's access and portability export (GDPR arts. 15 and 20): everything Civic holds and
logged about them, with a top-level ``access_log``; the register reads go through the exchange
under the subject-access purpose and are logged; nothing about another person is in it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from civic.cases.models import Case
from civic.compliance.export import person_export
from civic.exchange.models import AccessLogEntry
from civic.exchange.own_data import own_data
from civic.exchange.pseudonyms import person_pseudonym
from civic.registers.models import Parentage, Person
from tests.builders import a_registered_resident
from tests.cases.builders import a_submitted_application
from tests.portal.test_acting_for_someone import a_parent_with_a_minor_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(jurisdiction) -> str:
    return a_registered_resident()


def _children(number: str) -> list[Person]:
    return [
        row.child
        for row in Parentage.objects.filter(parent__personal_number=number).select_related("child")
    ]


def test_staff_export_a_person_to_a_file_with_a_top_level_access_log(resident, tmp_path):
    own_data(personal_number=resident)  # the resident looked at their data: in the tracker
    output = tmp_path / "export.json"

    call_command("privacy", "export", resident, "--output", str(output), stderr=io.StringIO())

    export = json.loads(output.read_text())
    assert export["personal_number"] == resident
    assert isinstance(export["access_log"], list) and export["access_log"]
    assert {"show-own-data", "data-subject-access"} <= {e["purpose"] for e in export["access_log"]}
    person = Person.objects.get(personal_number=resident)
    [identity] = [
        version
        for version in export["registers"]["persons"]["identity"]
        if version["recorded_to"] is None and version["valid_to"] is None
    ]
    assert identity["family_name"] == person.records.latest("valid_from").family_name
    assert export["registers"]["addresses"], "the address lived at is in it"
    assert oct(output.stat().st_mode)[-3:] == "600"


def test_the_exports_register_reads_are_logged_under_the_subject_access_purpose(resident):
    before = AccessLogEntry.objects.filter(purpose="data-subject-access").count()

    export = person_export(personal_number=resident)

    logged = AccessLogEntry.objects.filter(purpose="data-subject-access").order_by("id")[before:]
    assert {entry.register for entry in logged} >= {"persons", "addresses"}
    mine = [e for e in logged if e.subject == person_pseudonym(resident)]
    assert mine and all(e.actor == "data-subject-access" for e in mine)
    in_export = [e for e in export["access_log"] if e["purpose"] == "data-subject-access"]
    assert len(in_export) == len(mine)


def test_a_parents_export_shows_the_childrens_numbers_only_as_the_register_holds_them(resident):
    children = _children(resident)
    assert children, "the demo resident has a child"

    export = person_export(personal_number=resident)

    held = {row["child"] for row in export["registers"]["persons"]["parentage"] if row.get("child")}
    assert {child.personal_number for child in children} <= held
    rest = dict(export, registers={**export["registers"]})
    rest["registers"]["persons"] = {
        k: v for k, v in export["registers"]["persons"].items() if k != "parentage"
    }
    text = json.dumps(rest)
    for child in children:
        assert child.personal_number not in text
        assert person_pseudonym(child.personal_number) not in text
        names = child.records.latest("valid_from").given_names
        assert names not in json.dumps(export["registers"]["persons"]["identity"])


def test_a_case_about_the_person_is_exported_in_full_and_one_for_a_child_only_by_reference(
    jurisdiction,
):
    resident, child = a_parent_with_a_minor_child()
    a_submitted_application(applicant=resident)
    a_submitted_application(applicant=resident, subject=child)
    own = Case.objects.get(applicant=resident, subject=resident)
    theirs = Case.objects.get(applicant=resident, subject=child)

    export = person_export(personal_number=resident)

    about = {c["reference"]: c for c in export["cases"]["about_you"]}
    assert "AB-123-C" in json.dumps(about[own.reference]["submission"]["answers"])
    assert about[own.reference]["timeline"]
    assert [c["reference"] for c in export["cases"]["for_others"]] == [theirs.reference]
    assert "submission" not in export["cases"]["for_others"][0]
    assert theirs.reference not in about
    assert child not in json.dumps(export["cases"])


def test_acting_for_a_child_is_in_both_exports_and_neither_names_the_other(jurisdiction):
    parent, child = a_parent_with_a_minor_child()
    own_data(personal_number=parent)
    own_data(personal_number=parent, acting_for=child)

    parents = person_export(personal_number=parent)
    childs = person_export(personal_number=child)

    acted = [e for e in parents["access_log"] if e["acting_for_someone_else"]]
    assert acted and {e["purpose"] for e in acted} == {"show-own-data"}
    for_child = [e for e in childs["access_log"] if e["acting_for_someone"]]
    assert len(for_child) >= 1
    # Neither names the other beyond what the register holds about them (the parentage).
    rest = {**childs, "registers": {}}
    assert parent not in json.dumps(rest) and person_pseudonym(parent) not in json.dumps(childs)
    assert person_pseudonym(child) not in json.dumps(parents)


def test_an_export_for_a_malformed_number_is_refused_with_the_reason(jurisdiction, tmp_path):
    with pytest.raises(CommandError, match="check digit is wrong"):
        call_command("privacy", "export", "123456780", "--output", str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()


def test_an_export_never_overwrites_a_file_or_follows_a_link(resident, tmp_path):
    """Someone who placed a file or a link where the export goes must not get the data."""
    existing = tmp_path / "existing.json"
    existing.write_text("kept")
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    for target in (existing, link):
        with pytest.raises(CommandError, match="exists; the export is written to a new file only"):
            call_command("privacy", "export", resident, "--output", str(target))
    assert existing.read_text() == "kept" and not (tmp_path / "elsewhere.json").exists()


def test_an_export_for_a_request_names_its_case_in_the_log(resident, tmp_path):
    """The resident's tracker shows which request each read of the export answered."""
    before = AccessLogEntry.objects.count()
    output = tmp_path / "e.json"
    call_command(
        "privacy",
        "export",
        resident,
        "--output",
        str(output),
        "--case",
        "PR-26-0000042",
        stderr=io.StringIO(),
    )
    reads = AccessLogEntry.objects.order_by("id")[before:]
    assert reads and {entry.case for entry in reads} == {"PR-26-0000042"}
    assert oct(output.stat().st_mode)[-3:] == "600"
