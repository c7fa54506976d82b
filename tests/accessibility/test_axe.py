"""Every page, logged out and logged in, in English and Dutch, checked by axe-core in headless
Chromium against WCAG 2.2 AA. Any violation fails the test, listed with where it is.

Needs Debian's chromium and chromium-driver (.ci/run installs them) and the axe-core npm
package (`make assets`). Outside CI the test is skipped with the reason when they are missing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.browser import chromium_start, log_in, require_browser, send

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: The pages' HTML is the same on both engines (their views are tested on both by their own
#: tests): `make test` checks it once, on SQLite (tests/conftest.py, engine_dependent).
pytestmark = pytest.mark.engine_independent


def _require_browser() -> None:
    require_browser(str(AXE))


@pytest.fixture
def browser():
    _require_browser()
    driver = chromium_start()
    yield driver
    driver.quit()


def _pages(
    reference: str,
    decided: str = "",
    alert: int = 0,
    advisories: dict | None = None,
    document: int = 0,
) -> dict[str, list[str]]:
    advisories = advisories or {}
    public = [
        "/",
        "/services/",
        "/services/search/?q=new+baby",
        "/services/search/?q=qqqzzz",
        "/services/search/?q=",
        "/services/child-benefit/",
        "/performance/parking-permit/",
        "/performance/maturity/",
        "/performance/flood-risk/",
        "/feedback/?service=parking-permit&kind=satisfaction",
        "/feedback/thanks/?next=/",
        "/consultations/",
        "/consultations/sunday-car-free-old-town/",
        "/consultations/playgrounds/",
        "/services/life-events/having-a-baby/",
        "/services/guide/feeling-unwell/",
        "/services/guide/feeling-unwell/?submitted=1",
        "/registers/",
        "/algorithms/",
        "/algorithms/school-clothing-grant-decision/",
        "/algorithms/school-clothing-grant-decision/assessments/",
        "/algorithms/processing/",
        "/data/",
        "/data/?q=qqqzzz&page=abc",
        "/data/households-by-size/",
        "/advisories/",
        *([f"/advisories/{advisories['issued']}/"] if advisories.get("issued") else []),
        "/calculator/",
        "/calculator/household/",
        "/login/",
        "/login/code/request/",
        "/oidc/callback/?error=access_denied",
        "/staff/login/",
        "/no-such-page/",
    ]
    resident_pages = [
        "/",
        "/my/",
        "/calculator/",
        "/my/data-use/",
        "/my/data-use/?since=2026-13-01",
        "/my/data-use/?since=9999-12-31",
        "/my/data-use/?page=abc",
        "/my/data/correct/?register=persons&attribute=identity.given_names",
        "/my/representation/",
        "/my/inbox/",
        "/my/inbox/preferences/",
        "/my/advisories/",
        _a_message_page(),
        "/my/apply/dog-tax/",
        "/my/apply/dog-tax/dogs/",
        "/my/apply/dog-tax/check/",
        "/my/apply/special-assistance/",
        "/my/cases/",
        f"/my/cases/{reference}/",
        "/my/documents/",
        "/my/privacy/",
        "/consultations/playgrounds/",
        f"/my/apply/parking-permit/sent/{reference}/",
    ]
    staff_pages = [
        "/staff/",
        "/staff/cases/",
        "/staff/cases/?assigned=me&overdue=1",
        f"/staff/cases/{reference}/",
        f"/staff/cases/{reference}/?show=register",
        "/staff/cases/backlog/",
        "/staff/cases/backlog/?case_type=parking-permit",
        "/staff/insights/",
        "/staff/insights/parking-permit/",
        "/staff/rules/",
        "/staff/rules/school-clothing-grant/",
        "/staff/rules/reforms/",
        "/staff/privacy/break-glass/",
        "/staff/documents/",
        "/staff/feedback/",
        "/staff/feedback/consultations/",
        "/staff/feedback/consultations/sunday-car-free-old-town/",
        "/staff/feedback/consultations/playgrounds/",
        *([f"/staff/documents/{document}/"] if document else []),
        _a_form_preview(),
    ]
    # The data protection officer with an access alert to review.
    officer_pages = [
        "/staff/",
        "/staff/privacy/alerts/",
        "/staff/privacy/alerts/?show=all",
        f"/staff/privacy/alerts/{alert}/",
        "/staff/privacy/processing/",
        "/staff/privacy/requests/",
        "/staff/privacy/requests/?show=all",
        "/staff/privacy/reviews/",
        "/staff/privacy/reviews/?show=all",
        "/staff/privacy/breaches/",
        "/staff/privacy/breaches/new/",
        "/staff/privacy/break-glass/",
    ]
    # A resident whose application the rules decided, with offers on the dashboard.
    decided_pages = ["/my/", f"/my/cases/{decided}/"]
    # A representative whose authorisation was withdrawn while they acted for someone.
    stopped_pages = ["/my/apply/dog-tax/"]
    # The city operator, with a draft advisory to review and one in force.
    operator_pages = [
        "/staff/",
        "/staff/sensors/",
        f"/staff/sensors/datastreams/{advisories.get('stream', 0)}/",
        f"/staff/insights/streams/{advisories.get('stream', 0)}/",
    ] + [
        f"/staff/sensors/advisories/{advisories[k]}/"
        for k in ("draft_pk", "issued_pk")
        if k in advisories
    ]
    return {
        "anonymous": public,
        "resident": resident_pages,
        "decided": decided_pages,
        "stopped": stopped_pages,
        "staff": staff_pages,
        "officer": officer_pages,
        "operator": operator_pages,
    }


#: Forms sent with wrong input, so that pages in their error state are checked too.
FORMS_WITH_ERRORS = {
    "anonymous": [
        ("/login/code/request/", {"personal_number": "123"}),
        ("/staff/login/", {"username": "nobody", "password": "wrong"}),
        # Feedback without an answer: the error summary, the comment kept.
        ("/feedback/?service=parking-permit&kind=satisfaction", {"comment": "no answer chosen"}),
    ],
    "resident": [
        ("/my/data/correct/?register=persons&attribute=identity.given_names", {"explanation": ""}),
        ("/my/representation/", {"representative": "123456789"}),
        ("/my/inbox/preferences/", {"email": "jan@", "phone": "12ab"}),
        ("/my/apply/dog-tax/dogs/", {"dogs-0-chip_number": "12"}),
        ("/my/cases/{reference}/", {"message-text": " "}),
        # An objection without saying why: the error summary of the request form.
        ("/my/privacy/", {"details": " "}),
        # A consultation answered with nothing: the error summary.
        ("/consultations/playgrounds/", {"text": " "}),
        # Past the hourly limit of reports (set up by the test): the 429 error summary.
        ("/my/data/correct/?register=persons&attribute=identity.family_name", {"explanation": "x"}),
    ],
    "decided": [("/my/cases/{decided}/", {"review-text": " "})],
    "stopped": [],
    "staff": [
        ("/staff/rules/reforms/", {"reform": "parameters: {nope: 1}"}),
        # A break-glass read without a reason: refused, with the error summary.
        ("/staff/privacy/break-glass/", {"personal_number": "123"}),
        # A correction of a document that changes nothing: refused, with the error summary.
        ("/staff/documents/{document}/", {"note": "nothing else"}),
        # Routing a queued document by hand to a case that is not there: the error summary.
        ("/staff/documents/{queued}/", {"route-case_reference": "AP-000000-NOCASE"}),
    ],
    # A note over 2000 characters: the error summary on the alert page.
    "officer": [
        ("/staff/privacy/alerts/{alert}/", {"note": "x" * 2001}),
        ("/staff/privacy/breaches/new/", {"nature": "Only this"}),
    ],
    # A review with an end that is no date: the error summary of the advisory's form.
    "operator": [("/staff/sensors/advisories/{draft_pk}/", {"expires": "tomorrow-ish"})],
}


def _submit_with_errors(browser, url: str, fields: dict[str, str]) -> None:
    browser.get(url)
    send(browser, fields)


def _violations(browser, url: str, *, load: bool = True) -> list[str]:
    if load:
        browser.get(url)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
        WCAG_TAGS,
    )
    return [
        f"{url}: {v['id']} ({v.get('impact')}) {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result
    ]


#: What a page must show for its check to count: the forecast's chart and table, and the
#: staffing sentence, come only with a year of history.
MUST_SHOW = {
    "/staff/insights/parking-permit/": ('id="forecast-chart-title"', "govuk-inset-text"),
    "/staff/cases/backlog/?case_type=parking-permit": ("govuk-inset-text",),
}


def pages_and_visitors(settings) -> tuple[dict[str, list[str]], dict, str, dict]:
    """The data every page needs, and per visitor (a key of the pages) the user who sees them:
    (pages, users, the grantor a "stopped" representative acted for, the references)."""
    from django.core.cache import cache

    from civic.decisions.proactive import household_evaluate
    from civic.feedback.demo import consultations_demo_ensure
    from civic.feedback.models import Feedback
    from civic.feedback.services import feedback_give
    from civic.identity import services as identity
    from civic.identity.selectors import agency_get
    from civic.insights.services import maturity_record
    from civic.opendata.services import datasets_regenerate
    from civic.registers.selectors import demo_resident_personal_number
    from tests.builders import create_staff
    from tests.cases.builders import a_submitted_application
    from tests.decisions.builders import (
        a_school_clothing_application,
        households_with_school_children,
    )
    from tests.exchange.builders import create_purpose
    from tests.insights.builders import a_year_of_parking_permits

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    datasets_regenerate()  # the open-data catalogue's pages
    # Both login methods on, so the login page offers both and the eID refusal page is checked.
    settings.RESIDENT_LOGIN_METHODS = ["onetimecode", "oidc"]
    settings.OIDC_OP_JWKS_ENDPOINT = "https://eid.example/jwks"
    resident = demo_resident_personal_number()
    reference = a_submitted_application(applicant=resident).reference
    low_income = next(
        a for a, income, known in households_with_school_children() if known and income < 20_000
    )
    decided = a_school_clothing_application(low_income).reference
    household_evaluate(personal_numbers=[low_income])
    alert = _an_access_alert()
    advisories = _advisories()
    _flood_risk()
    document = _a_read_document(resident, reference)
    queued = _a_read_document("", "")
    maturity_record()  # the digital-maturity index's page shows its dimensions and history
    # A year of permits: the kind of case's page and the backlog show the forecast, its chart
    # and table, and the staffing sentence (a forecast cached by an earlier test is dropped).
    a_year_of_parking_permits()
    cache.clear()
    # A comment waiting for moderation and one kept, for the service owner's feedback page.
    for moderation in ("pending", "kept"):
        feedback_give(
            kind="page-useful",
            service_code="parking-permit",
            rating=0,
            comment=f"A comment {moderation}",
            step="car",
        )
    Feedback.objects.filter(comment="A comment kept").update(moderation="kept")
    pages = _pages(reference, decided, alert, advisories, document)
    pages["staff"] += _reform_pages()
    _reports_up_to_the_limit(resident)
    grantor, stopped = _a_withdrawn_authorisation()
    users = {
        "anonymous": None,
        "resident": identity.resident_account_ensure(personal_number=resident),
        "decided": identity.resident_account_ensure(personal_number=low_income),
        "staff": create_staff(
            roles=["caseworker", "service_owner"],
            username="axe-staff",
            agency=agency_get(code="havenstad"),
        ),
        "stopped": identity.resident_account_ensure(personal_number=stopped),
        "officer": create_staff(
            roles=["data_protection_officer"],
            username="axe-officer",
            agency=agency_get(code="havenstad"),
        ),
        "operator": create_staff(
            roles=["city_operator"], username="axe-operator", agency=agency_get(code="havenstad")
        ),
    }
    # A consultation with its published result and an open one (public and staff pages).
    consultations_demo_ensure(owner=users["staff"])
    # A breach in the register and a staff read for review, for the officer's pages.
    from civic.compliance.breaches.services import breach_record
    from civic.compliance.review.models import AccessReview
    from civic.compliance.review.services import access_review_run
    from civic.core import clock

    breach = breach_record(
        user=users["officer"],
        discovered_at=clock.now() - dt.timedelta(days=4),
        nature="A letter sent to the wrong address",
        data_categories="Name, address",
        people_categories="Residents",
        people_approx=1,
        records_approx=1,
        consequences="A neighbour learns an income",
        measures="Letter recalled",
    )
    pages["officer"].append(f"/staff/privacy/breaches/{breach.pk}/")
    access_review_run()
    review = AccessReview.objects.order_by("pk").first()
    if review is not None:
        pages["officer"].append(f"/staff/privacy/reviews/{review.pk}/")
    refs = {
        "reference": reference,
        "decided": decided,
        "alert": alert,
        "document": document,
        "queued": queued,
        **advisories,
    }
    return pages, users, grantor, refs


def test_every_page_meets_wcag_2_2_aa_in_both_languages_logged_in_and_out(
    committed_data, live_server, browser, settings
):
    pages, users, grantor, refs = pages_and_visitors(settings)
    problems: list[str] = []
    checked = 0
    for who, paths in pages.items():
        if users[who] is not None:
            log_in(browser, live_server, users[who], acting_for=grantor if who == "stopped" else "")
        for language in ("en", "nl"):
            browser.get(live_server.url + "/health")
            browser.add_cookie(
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"}
            )
            for path in paths:
                problems += _violations(browser, live_server.url + path)
                for shown in MUST_SHOW.get(path, ()):
                    assert shown in browser.page_source, (path, shown)
                assert browser.find_element("tag name", "html").get_attribute("lang") == language, (
                    path
                )
                checked += 1
            for path, fields in FORMS_WITH_ERRORS[who]:
                url = live_server.url + path.format(**refs)
                _submit_with_errors(browser, url, fields)
                assert "govuk-error-summary" in browser.page_source, path
                problems += _violations(browser, f"{url} (with errors)", load=False)
                checked += 1
        browser.delete_all_cookies()
    problems += _error_pages(browser, live_server, settings)
    problems += _calculator_pages(browser, live_server, settings)
    problems += _second_factor_pages(browser, live_server, settings)
    assert checked >= 40
    assert not problems, "\n".join(problems)


def _calculator_pages(browser, live_server, settings) -> list[str]:
    """The calculator's posted steps in both languages: step 1 with an error, step 2, step 2
    with an error, the results with the chart and its table, and a year refused or computed."""
    from civic.core import clock

    problems: list[str] = []
    for language in ("en", "nl"):
        browser.delete_all_cookies()
        browser.get(live_server.url + "/health")
        browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})
        for year in (clock.today().year, clock.today().year + 1):
            where = f"calculator {year} ({language})"
            browser.get(live_server.url + "/calculator/household/")
            browser.find_element("id", f"id_year_{0 if year == clock.today().year else 1}").click()
            browser.find_element("id", "id_partner_0").click()
            send(browser, {"age": "12", "partner_age": "33", "children": "2"})
            assert "govuk-error-summary" in browser.page_source, where
            problems += _violations(browser, f"{where} step 1 with errors", load=False)
            send(browser, {"age": "35"})
            problems += _violations(browser, f"{where} step 2", load=False)
            answers = {
                "child_age_0": "3",
                "child_age_1": "8",
                "income": "18000",
                "partner_income": "-2000",
                "rent": "800",
                "property_value": "0",
                "dogs": "x",
                "vehicles": "1",
            }
            send(browser, answers)
            assert "govuk-error-summary" in browser.page_source, where
            problems += _violations(browser, f"{where} step 2 with errors", load=False)
            send(browser, {"dogs": "1"})
            assert "<svg" in browser.page_source or "govuk-error-summary" in browser.page_source
            problems += _violations(browser, f"{where} results", load=False)
    return problems


def _reform_pages() -> list[str]:
    """A what-if run done (its results, bands, neighbourhoods, examples) and the comparison."""
    from civic.decisions.reform_runner import run_execute
    from civic.decisions.reform_runs import reform_save, run_start
    from civic.decisions.reforms import reform_parse

    spec = reform_parse(
        "name: Limit 130 %\nparameters:\n  school_clothing_grant.income_limit_percentage: 1.3\n"
    )
    run = run_execute(run_start(reform=reform_save(agency="havenstad", spec=spec), year=2026))
    return [
        f"/staff/rules/reforms/runs/{run.pk}/",
        f"/staff/rules/reforms/compare/?run={run.pk}&run={run.pk}",
    ]


def _second_factor_pages(browser, live_server, settings) -> list[str]:
    """The staff login's second step, through a real browser in both languages: setting up the
    authenticator app (with a wrong code, then the right one), the recovery codes shown once,
    the code page and the recovery-code page (each with a wrong code too)."""
    import re

    from civic.core import clock
    from civic.identity.second_factor import codes
    from tests.builders import create_staff
    from tests.staff_login import with_authenticator

    password = "correct horse battery staple"
    problems: list[str] = []
    for language in ("en", "nl"):
        new, enrolled = (create_staff(roles=["caseworker"], password=password) for _ in "ab")
        with_authenticator(enrolled)
        for user in (new, enrolled):
            browser.delete_all_cookies()
            browser.get(live_server.url + "/health")
            browser.add_cookie(
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"}
            )
            browser.get(live_server.url + "/staff/login/")
            send(browser, {"username": user.username, "password": password})
            if user is new:
                assert browser.current_url.endswith("/staff/login/enrol/"), browser.current_url
                problems += _violations(browser, f"enrolment ({language})", load=False)
                send(browser, {"code": "12345"})
                assert "govuk-error-summary" in browser.page_source
                problems += _violations(browser, f"enrolment ({language}, with errors)", load=False)
                key = re.search(r'class="civic-secret"[^>]*>([A-Z2-7 ]+)<', browser.page_source)
                right = codes.code_at(key.group(1).replace(" ", ""), codes.step_at(clock.now()))
                send(browser, {"code": right})
                assert browser.current_url.endswith("/staff/recovery-codes/"), browser.current_url
                problems += _violations(browser, f"the recovery codes ({language})", load=False)
            else:
                assert browser.current_url.endswith("/staff/login/code/"), browser.current_url
                problems += _violations(browser, f"the code step ({language})", load=False)
                send(browser, {"code": "12345"})
                assert "govuk-error-summary" in browser.page_source
                problems += _violations(
                    browser, f"the code step ({language}, with errors)", load=False
                )
                browser.get(live_server.url + "/staff/login/recovery/")
                problems += _violations(browser, f"a recovery code ({language})", load=False)
                send(browser, {"recovery_code": "0000-0000-0000-0000-0000-0000"})
                assert "govuk-error-summary" in browser.page_source
                problems += _violations(
                    browser, f"a recovery code ({language}, with errors)", load=False
                )
            assert browser.find_element("tag name", "html").get_attribute("lang") == language
    browser.delete_all_cookies()
    return problems


def _advisories() -> dict:
    """High water at one gauge (an advisory issued by its rule, in force) and at the other
    (its rule drafts one for the operator to review)."""
    import datetime as dt

    from civic.sensors import models as m
    from civic.sensors.ingest import Reading, observations_ingest
    from civic.sensors.simulation.network import RIVER_RULE, network_ensure

    streams = network_ensure()
    start = dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=2)
    made = {}
    for gauge, mode in (("river-havenbrug", "auto"), ("river-molenkade", "draft")):
        stream = streams[(gauge, "water_level")]
        m.Rule.objects.create(
            name="High water", datastream_id=stream, **{**RIVER_RULE, "advisory": mode}
        )
        values = [2.0, 2.6, 2.7, 2.8, 2.9]
        observations_ingest(
            readings=[
                Reading(stream, start + dt.timedelta(minutes=10 * i), v)
                for i, v in enumerate(values)
            ]
        )
    issued = m.Advisory.objects.get(state="issued")
    draft = m.Advisory.objects.get(state="draft")
    made = {"issued": issued.identifier, "issued_pk": issued.pk, "draft_pk": draft.pk}
    made["stream"] = streams[("river-havenbrug", "water_level")]
    return made


def _flood_risk() -> None:
    """The flood-risk page with its content: a model trained on 300 days of hourly river and
    rain readings (with the rules paused, so the history warns nobody) and this hour assessed."""
    import datetime as dt

    from civic.core import clock
    from civic.insights.flood_risk.services import flood_risk_assess, flood_risk_train
    from civic.sensors import models as m
    from civic.sensors.simulation.run import simulate

    now = clock.now().replace(minute=0, second=0, microsecond=0)
    m.Rule.objects.update(active=False)
    simulate(
        since=now - dt.timedelta(days=300),
        until=now,
        step_minutes=60,
        seed=2,
        kinds=("river", "rain"),
    )
    m.Rule.objects.update(active=True)
    flood_risk_train(until=now)
    flood_risk_assess(at=now)


def _a_read_document(resident: str, reference: str) -> int:
    """A letter about the resident's case, read and routed to it (the case pages list it, the
    caseworker's document page shows it); with no resident and case, a letter about no one,
    left in the municipality's queue (its page offers routing by hand)."""
    from civic.documents.pipeline import document_process
    from civic.documents.services import document_receive
    from tests.documents import samples

    lines = [f"Betreft: zaak {reference}", samples.DUTCH, f"BSN {resident}"] if resident else []
    data = samples.letter_pdf(lines or [samples.ENGLISH, "Dear Sir or Madam, a question."])
    document, _ = document_receive(data=data, original_name="letter.pdf", channel="backlog")
    return document_process(document_id=document.pk).pk


def _an_access_alert() -> int:
    """An alert about a walk by a client of the Municipality, for its officer to review."""
    import datetime as dt

    from civic.compliance import services as compliance
    from civic.core import clock
    from civic.identity import services as identity
    from civic.identity.selectors import agency_get

    api_client, _secret = identity.api_client_create(
        agency=agency_get(code="havenstad"), name="Housing back office"
    )
    start = clock.now().replace(minute=0, second=0, microsecond=0)
    alert = compliance.access_alert_record(
        client_id=api_client.client_id,
        kind="sequential",
        window_start=start,
        window_end=start + dt.timedelta(hours=1),
        counts={"walk": "address-identifiers", "distinct_in_block": 16, "block": 64},
        examples=["0999010000000064 – 0999010000000127", "0999010000000070"],
        trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
    )
    return alert.pk


def _reports_up_to_the_limit(resident: str) -> None:
    from civic.core import clock
    from civic.registers.changes import CORRECTIONS_PER_HOUR
    from civic.registers.models import CorrectionRequest

    CorrectionRequest.objects.bulk_create(
        CorrectionRequest(
            reference=f"CR-AXE-{n}",
            personal_number=resident,
            filed_by=resident,
            register="persons",
            attribute="identity.given_names",
            explanation="Wrong",
            authority="havenstad",
            filed_at=clock.now(),
        )
        for n in range(CORRECTIONS_PER_HOUR)
    )


def _a_withdrawn_authorisation() -> tuple[str, str]:
    import datetime as dt

    from civic.core import clock
    from civic.identity import services as identity
    from civic.identity.models import Authorisation
    from tests.portal.test_acting_for_someone import two_unrelated_residents

    grantor, representative = two_unrelated_residents()
    given = identity.authorisation_grant(
        grantor=grantor,
        representative=representative,
        valid_until=clock.today() + dt.timedelta(days=30),
    )
    identity.authorisation_revoke(grantor=grantor, authorisation_id=given.pk)
    assert not Authorisation.objects.filter(pk=given.pk, revoked_at=None).exists()
    return grantor, representative


def _error_pages(browser, live_server, settings) -> list[str]:
    """The 413 page (a form sent with a body over the cap) and the 500 page (a page whose
    register read fails), in both languages."""
    from unittest import mock

    from selenium.webdriver.support.wait import WebDriverWait

    problems: list[str] = []
    settings.REQUEST_MAX_MB = 1
    heading = {"en": "What you sent is too large", "nl": "Wat u stuurde is te groot"}
    for language in ("en", "nl"):
        browser.get(live_server.url + "/health")
        browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})
        browser.get(live_server.url + "/login/code/request/")
        browser.execute_script(
            "const form = document.querySelector('main form');"
            "const big = document.createElement('textarea'); big.name = 'padding';"
            "big.value = 'x'.repeat(2 * 1024 * 1024); form.appendChild(big); form.submit();"
        )
        expected = heading[language]
        WebDriverWait(browser, 30).until(lambda b, text=expected: text in b.page_source)
        assert browser.find_element("tag name", "html").get_attribute("lang") == language
        problems += _violations(browser, f"the 413 page ({language})", load=False)
        with mock.patch("civic.views.exchange.jurisdiction_get", side_effect=RuntimeError):
            problems += _violations(browser, live_server.url + "/")
            assert browser.find_element("tag name", "html").get_attribute("lang") == language
            assert "<strong>" in browser.page_source  # the reference to quote
    return problems


def _a_form_preview() -> str:
    from civic.forms.models import FormVersion

    version = FormVersion.objects.get(form__code="dog-tax", status=FormVersion.Status.PUBLISHED)
    return f"/staff/forms/{version.pk}/preview/"


def _a_message_page() -> str:
    """A message in the demo resident's inbox, to check the page that shows one."""
    from civic.notify.services import notification_send
    from civic.registers.selectors import demo_resident_personal_number

    message = notification_send(
        personal_number=demo_resident_personal_number(),
        template="case-received",
        context={"reference": "AXE-1", "service": {"en": "Child benefit", "nl": "Kinderbijslag"}},
        reference="AXE-1",
    )
    return f"/my/inbox/{message.pk}/"
