"""Applying for someone else: a parent for a minor child (prefill reads the child's records,
logged with both people), and an authorisation that only lets someone look is refused."""

from __future__ import annotations

import datetime as dt

from civic.core import clock
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import person_pseudonym
from civic.forms.models import Draft
from civic.identity import services as identity
from civic.identity.models import RepresentationRefusal
from tests.portal.test_acting_for_someone import (
    a_parent_with_a_minor_child,
    log_in,
    own_data_purpose,  # noqa: F401 (a fixture)
    two_unrelated_residents,
)


def test_a_parent_applies_for_their_child_and_the_reads_name_both(client, own_data_purpose):  # noqa: F811
    parent, child = a_parent_with_a_minor_child()
    log_in(client, parent)
    client.post("/my/representation/", {"action": "act", "person": child})
    response = client.get("/my/apply/dog-tax/")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "You are applying for someone else" in page
    draft = Draft.objects.get(applicant=parent)
    assert draft.subject == child
    read = AccessLogEntry.objects.filter(
        subject=person_pseudonym(child), purpose="register-dog-tax"
    ).get()
    assert read.actor == person_pseudonym(parent) and read.on_behalf_of == person_pseudonym(child)


def test_someone_authorised_only_to_look_cannot_apply(client, own_data_purpose):  # noqa: F811
    grantor, helper = two_unrelated_residents()
    identity.authorisation_grant(
        grantor=grantor,
        representative=helper,
        scope="data",
        valid_until=clock.today() + dt.timedelta(days=30),
    )
    log_in(client, helper)
    client.post("/my/representation/", {"action": "act", "person": grantor})
    refused = client.get("/my/apply/dog-tax/")
    assert refused.status_code == 403 and "not apply for them" in refused.content.decode()
    assert not Draft.objects.filter(subject=grantor).exists()
    assert RepresentationRefusal.objects.filter(where="portal:apply").exists()
