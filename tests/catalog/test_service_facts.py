"""Service pages take their figures from where they are decided: amounts from the rule
package's parameters in force, decision times from the case types, login words from the
configured login methods. Nothing is typed twice, and no page shows a placeholder."""

from __future__ import annotations

import pytest
from django.utils import translation

from civic.catalog.models import Service
from civic.core import clock
from civic.decisions.engine import rule_system


def _page(client, code, language="en"):
    return client.get(f"/services/{code}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_parking_permit_page_gives_the_rules_fees_the_case_types_time_and_the_login(
    client, db, settings
):
    settings.RESIDENT_LOGIN_METHODS = ["oidc"]
    fees = rule_system().parameters(clock.now().date().isoformat()).parking_permit
    page = _page(client, "parking-permit")
    assert f"€{round(fees.first_permit_fee)} a year" in page
    assert f"€{round(fees.further_permit_fee)} a year" in page
    assert "Decision within 8 weeks" in page  # the case type's 56 days
    assert "with your national eID" in page and "DigiD" not in page
    dutch = _page(client, "parking-permit", "nl")
    assert f"€ {round(fees.first_permit_fee)} per jaar" in dutch and "binnen 8 weken" in dutch


def test_the_login_words_follow_the_methods_switched_on(client, db, settings):
    settings.RESIDENT_LOGIN_METHODS = ["onetimecode"]
    page = _page(client, "dog-tax")
    assert "a one-time code sent to you" in page and "national eID" not in page


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_service_page_shows_a_placeholder_or_a_gap(client, db, language):
    codes = list(Service.objects.values_list("code", flat=True))
    assert len(codes) > 40
    for code in codes:
        page = _page(client, code, language)
        assert "{" not in page.split("<main", 1)[1].split("</main>", 1)[0], code
        assert "…" not in page, f"{code}: a fact could not be given"


def test_an_unknown_fact_leaves_a_visible_gap_not_the_placeholder(db):
    from civic.catalog.facts import text_render

    with translation.override("en"):
        text = text_render("Costs {amount:no_such.parameter}.", service_code="dog-tax")
    assert text == "Costs …."
