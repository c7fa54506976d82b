"""The forms back office across agencies: a service owner adds versions and definitions only
for their own agency's forms and services, under a purpose their agency controls that is not
confidential, and the add pages offer nothing of another agency."""

from __future__ import annotations

import json

import pytest

from civic.catalog.models import Service
from civic.core.errors import NotFound
from civic.forms.models import FormDefinition, FormVersion
from civic.forms.services import form_version_publish, form_version_save
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff
from tests.exchange.builders import create_purpose

pytestmark = pytest.mark.django_db

A_SCHEMA = {
    "steps": [
        {
            "key": "only",
            "title": {"en": "Only"},
            "fields": [{"key": "colour", "type": "text", "label": {"en": "Colour"}}],
        }
    ]
}


def _service_owner(agency_code: str):
    return create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code=agency_code))


def _a_service_without_a_form(agency_code: str) -> Service:
    return (
        Service.objects.filter(agency__code=agency_code, form__isnull=True).order_by("code").first()
    )


def _definition(service: Service, purpose: str, code: str = "new-form") -> dict:
    return {
        "code": code,
        "service": service.pk,
        "purpose": purpose,
        "title": json.dumps({"en": "A new form", "nl": "Een nieuw formulier"}),
    }


def test_a_service_owner_of_another_agency_cannot_add_a_version_to_the_municipalitys_form(
    client, jurisdiction
):
    form = FormDefinition.objects.get(code="dog-tax")
    before = list(form.versions.values_list("pk", flat=True))
    owner = _service_owner("social-insurance-bank")
    client.force_login(owner)

    response = client.post(
        "/admin/forms/formversion/add/", {"form": form.pk, "schema": json.dumps(A_SCHEMA)}
    )

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert list(form.versions.values_list("pk", flat=True)) == before
    with pytest.raises(NotFound):
        form_version_save(form=form, schema=A_SCHEMA, user=owner)
    with pytest.raises(NotFound):
        form_version_publish(version=form.versions.first(), user=owner)
    assert list(form.versions.values_list("pk", flat=True)) == before


def test_the_add_pages_offer_only_the_agencys_own_forms_and_services(client, jurisdiction):
    client.force_login(_service_owner("social-insurance-bank"))

    versions = client.get("/admin/forms/formversion/add/").content.decode()
    definitions = client.get("/admin/forms/formdefinition/add/").content.decode()

    for code in FormDefinition.objects.values_list("code", flat=True):
        assert f">{code}<" not in versions
    assert ">parking-permit<" not in definitions and ">dog-tax<" not in definitions
    assert ">state-pension<" in definitions
    assert "apply-parking-permit" not in definitions


def test_a_service_owner_cannot_put_a_form_on_another_agencys_service(client, jurisdiction):
    municipal = _a_service_without_a_form("havenstad")
    own_purpose = create_purpose(code="pension-application")
    client.force_login(_service_owner("social-insurance-bank"))

    client.post("/admin/forms/formdefinition/add/", _definition(municipal, own_purpose.code))

    assert not FormDefinition.objects.filter(code="new-form").exists()
    assert not FormDefinition.objects.filter(service=municipal).exists()


@pytest.mark.parametrize("which", ["confidential", "another agency's"])
def test_a_form_cannot_read_under_a_confidential_or_another_agencys_purpose(
    client, jurisdiction, which
):
    own = _a_service_without_a_form("social-insurance-bank")
    if which == "confidential":
        purpose = create_purpose(
            code="benefit-fraud-investigation", confidential=True, embargo_days=180
        ).code
    else:
        purpose = "apply-parking-permit"  # the Municipality's
    client.force_login(_service_owner("social-insurance-bank"))

    response = client.post("/admin/forms/formdefinition/add/", _definition(own, purpose))

    assert response.status_code == 200
    assert not FormDefinition.objects.filter(code="new-form").exists()


def test_a_service_owner_adds_a_form_to_their_own_service_under_their_own_purpose(
    client, jurisdiction
):
    own = _a_service_without_a_form("social-insurance-bank")
    purpose = create_purpose(code="pension-application")
    client.force_login(_service_owner("social-insurance-bank"))

    response = client.post("/admin/forms/formdefinition/add/", _definition(own, purpose.code))

    assert response.status_code == 302
    assert FormDefinition.objects.get(code="new-form").service == own


def test_a_version_of_another_agencys_form_cannot_be_published_from_the_list(client, jurisdiction):
    form = FormDefinition.objects.get(code="dog-tax")
    draft = form_version_save(form=form, schema=A_SCHEMA, user=None)
    client.force_login(_service_owner("social-insurance-bank"))

    client.post(
        "/admin/forms/formversion/",
        {"action": "publish", "_selected_action": [draft.pk], "index": 0},
    )

    draft.refresh_from_db()
    assert draft.status == FormVersion.Status.DRAFT
