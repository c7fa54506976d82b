"""Save and resume: answers are kept at every step, found again after logging in on another
device, and a step sent after the session expired is not lost."""

from __future__ import annotations

import pytest
from django.test import Client

from civic.forms.models import Draft
from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.exchange.builders import create_purpose


@pytest.fixture
def resident(db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    return a_registered_resident()


def _device(number: str) -> Client:
    client = Client()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return client


def test_a_resident_resumes_on_another_device_where_they_stopped(resident):
    phone = _device(resident)
    phone.get("/my/apply/dog-tax/")
    phone.post(
        "/my/apply/dog-tax/about_you/", {"form_version": "1", "action": "continue", "shown": ""}
    )
    phone.post(
        "/my/apply/dog-tax/dogs/",
        {
            "form_version": "1",
            "action": "continue",
            "shown": "dogs,assistance_dog",
            "dogs-count": "1",
            "dogs-0-dog_name": "Bobbie",
            "dogs-0-chip_number": "528140000123456",
            "dogs-0-since": "2025-06-01",
            "assistance_dog": "no",
        },
    )
    laptop = _device(resident)
    response = laptop.get("/my/apply/dog-tax/")
    # The step after the last one saved; here no step is left, so check-your-answers.
    assert response.url.endswith("/check/")
    page = laptop.get(response.url).content.decode()
    assert "Bobbie" in page and "528140000123456" in page
    saved = laptop.get("/my/apply/dog-tax/dogs/").content.decode()
    assert "Bobbie" in saved, "the step they saved is there to change"
    assert Draft.objects.filter(applicant=resident).count() == 1


def test_adding_and_removing_a_repeated_item_works_without_javascript(resident):
    client = _device(resident)
    client.get("/my/apply/dog-tax/")
    url = "/my/apply/dog-tax/dogs/"
    added = client.post(
        url,
        {
            "form_version": "1",
            "action": "add:dogs",
            "shown": "dogs,assistance_dog",
            "dogs-count": "1",
            "dogs-0-dog_name": "Bobbie",
        },
    ).content.decode()
    assert "Dog 2" in added and "Bobbie" in added and "There is a problem" not in added
    removed = client.post(
        url,
        {
            "form_version": "1",
            "action": "remove:dogs:0",
            "shown": "dogs,assistance_dog",
            "dogs-count": "2",
            "dogs-0-dog_name": "Bobbie",
            "dogs-1-dog_name": "Rex",
        },
    ).content.decode()
    assert "Rex" in removed and "Bobbie" not in removed and "Dog 2" not in removed


def test_a_step_sent_after_the_session_expired_is_saved_after_logging_in_again(resident):
    client = _device(resident)
    client.get("/my/apply/dog-tax/")
    client.post(
        "/my/apply/dog-tax/about_you/", {"form_version": "1", "action": "continue", "shown": ""}
    )
    client.logout()  # the session expired
    url = "/my/apply/dog-tax/dogs/"
    response = client.post(
        url,
        {
            "form_version": "1",
            "action": "continue",
            "shown": "dogs,assistance_dog",
            "dogs-count": "1",
            "dogs-0-dog_name": "Bobbie",
            "dogs-0-chip_number": "528140000123456",
            "dogs-0-since": "2025-06-01",
            "assistance_dog": "no",
        },
    )
    assert "/login/" in response.url and "next=/my/apply/dog-tax/dogs/" in response.url
    client.force_login(identity.resident_account_ensure(personal_number=resident))
    back = client.get(url)
    assert back.status_code == 302 and back.url.endswith("/check/")
    draft = Draft.objects.get(applicant=resident)
    assert draft.answers["dogs"][0]["dog_name"] == "Bobbie"
