"""Every demo form can be applied for through the pages, with every register value prefilled
and nothing retyped, and its answers reach the caseworker's case page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civic.cases.models import Case
from civic.forms import schema as rules
from civic.forms.models import FormDefinition, Submission
from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.exchange.builders import create_purpose

PDF = b"%PDF-1.4\n%%EOF\n"
SAMPLES = {
    "text": "AB-123-C",
    "textarea": "Reading glasses",
    "number": "4",
    "money": "249,95",
    "date": "2026-06-01",
    "email": "jan@example.org",
    "phone": "0612345678",
}
PATTERNED = {"chip_number": "528140000123456", "iban": "NL91ABNA0417164300"}


def _answer(field: dict, prefix: str = "") -> dict:
    key = prefix + field["key"]
    kind = field["type"]
    if kind in ("choice",):
        return {key: field["options"][-1]["value"]}
    if kind == "yesno":
        return {key: "yes"}
    if kind == "file":
        return {key: SimpleUploadedFile("proof.pdf", PDF, content_type="application/pdf")}
    return {key: PATTERNED.get(field["key"], SAMPLES.get(kind, ""))}


@pytest.mark.parametrize(
    "code", ["parking-permit", "special-assistance", "housing-allowance", "dog-tax"]
)
def test_a_resident_applies_for_every_demo_service_without_retyping(client, db, settings, code):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    resident = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=resident))
    form = FormDefinition.objects.get(code=code)
    url = client.get(f"/my/apply/{form.service.code}/").url
    for _ in range(10):
        if url.endswith("/check/"):
            break
        step_key = url.rstrip("/").rsplit("/", 1)[1]
        step = next(
            s for s in form.versions.get(status="published").schema["steps"] if s["key"] == step_key
        )
        data: dict = {"form_version": "1", "action": "continue"}
        for field in step["fields"]:
            if field["type"] == "group":
                data[f"{field['key']}-count"] = "1"
                for member in field["fields"]:
                    data.update(_answer(member, f"{field['key']}-0-"))
            elif field["type"] != "prefill":
                data.update(_answer(field))
        data["shown"] = ",".join(f["key"] for f in step["fields"])
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        url = response.url
    check = client.get(url).content.decode()
    assert "From the persons register" in check
    assert client.post(url).status_code == 302
    submission = Submission.objects.get(applicant=resident)
    assert rules.retyped_questions(submission.version.schema) == []
    assert all(v["confirmed"] and v["as_of"] for v in submission.prefilled.values() if v["value"])
    assert Case.objects.filter(submission=submission).exists()
