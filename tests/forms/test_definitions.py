"""Form definitions as versioned data: checked before saving, previewed, published; the
demo forms ask residents nothing a register already holds."""

from __future__ import annotations

import json

import pytest

from civic.forms.models import FormDefinition, FormVersion
from civic.forms.selectors import retyped_questions
from civic.forms.services import FormInvalid, form_version_publish, form_version_save
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff

A_QUESTION = {"key": "colour", "type": "text", "label": {"en": "Colour", "nl": "Kleur"}}


@pytest.fixture
def form(db):
    return FormDefinition.objects.get(code="dog-tax")


def test_every_demo_form_asks_zero_questions_a_register_already_holds(db):
    published = FormVersion.objects.filter(status=FormVersion.Status.PUBLISHED)
    assert published.count() >= 3
    for version in published:
        assert retyped_questions(version=version) == [], version


def test_a_question_retyping_register_data_is_counted(form):
    schema = {
        "steps": [
            {
                "key": "you",
                "title": {"en": "You"},
                "fields": [
                    {"key": "date_of_birth", "type": "date", "label": {"en": "Date of birth"}},
                    {
                        "key": "where",
                        "type": "text",
                        "asks_for": "address",
                        "label": {"en": "Where do you live?"},
                    },
                    A_QUESTION,
                ],
            }
        ]
    }
    version = form_version_save(form=form, schema=schema, user=None)
    assert [f["key"] for f in retyped_questions(version=version)] == ["date_of_birth", "where"]


def test_a_broken_definition_is_refused_with_every_problem_named_and_nothing_changes(form):
    before = form.versions.count()
    schema = {
        "steps": [
            {
                "key": "Bad Key",
                "title": {},
                "fields": [
                    {"key": "x", "type": "slider", "label": {"en": "X"}},
                    {
                        "key": "who",
                        "type": "prefill",
                        "prefill": "person.shoe_size",
                        "label": {"en": "Who"},
                    },
                    {
                        "key": "y",
                        "type": "text",
                        "label": {"en": "Y"},
                        "show_if": {"field": "nothing", "equals": 1},
                    },
                ],
            }
        ]
    }
    with pytest.raises(FormInvalid) as refused:
        form_version_save(form=form, schema=schema, user=None)
    text = " ".join(refused.value.problems)
    assert "lower-case" in text and "title" in text and "unknown type “slider”" in text
    assert "person.shoe_size" in text and "“nothing”" in text
    assert form.versions.count() == before


def test_publishing_a_new_version_retires_the_old_one_and_drafts_keep_theirs(form):
    old = form.versions.get(status=FormVersion.Status.PUBLISHED)
    schema = {
        "steps": [
            *old.schema["steps"][:1],
            {"key": "extra", "title": {"en": "Extra"}, "fields": [A_QUESTION]},
        ]
    }
    new = form_version_publish(
        version=form_version_save(form=form, schema=schema, user=None), user=None
    )
    old.refresh_from_db()
    assert old.status == "retired" and new.status == "published" and new.number == old.number + 1


def test_service_owners_add_versions_in_the_back_office_and_bad_json_is_refused(client, form):
    owner = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    client.force_login(owner)
    before = form.versions.count()
    bad = client.post(
        "/admin/forms/formversion/add/", {"form": form.pk, "schema": json.dumps({"steps": []})}
    )
    assert bad.status_code == 200 and "A form needs at least one step." in bad.content.decode()
    assert form.versions.count() == before
    good = {"steps": [{"key": "only", "title": {"en": "Only"}, "fields": [A_QUESTION]}]}
    response = client.post(
        "/admin/forms/formversion/add/", {"form": form.pk, "schema": json.dumps(good)}
    )
    assert response.status_code == 302 and form.versions.count() == before + 1


def test_the_preview_shows_every_step_and_where_prefilled_values_come_from(client, form):
    owner = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    client.force_login(owner)
    version = form.versions.get(status=FormVersion.Status.PUBLISHED)
    page = client.get(f"/staff/forms/{version.pk}/preview/").content.decode()
    assert "Your dogs" in page and "Assistance dog" in page and "Chip number" in page
    assert "Prefilled from the persons register" in page
    assert "No question asks residents for something a register already holds." in page
    other = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="tax-administration"))
    client.force_login(other)
    assert client.get(f"/staff/forms/{version.pk}/preview/").status_code == 404
