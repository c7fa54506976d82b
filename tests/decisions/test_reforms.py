"""What-if for policy makers: a reform computed over the whole population with the same
engine, its cost and its winners and losers; the CLI's report; the staff page and the API,
and their refusals."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civic.core import clock
from civic.decisions.models import ReformRun
from civic.decisions.reform_runner import run_execute
from civic.decisions.reform_runs import reform_save, run_start
from civic.decisions.reforms import BANDS, ReformInvalid, reform_parse, results_combine
from civic.exchange.models import AccessLogEntry

pytestmark = pytest.mark.django_db

RAISED_LIMIT = """
name: School clothing grant limit 130 %
parameters:
  school_clothing_grant.income_limit_percentage: 1.3
"""


def _run(text: str):
    reform = reform_save(agency="havenstad", spec=reform_parse(text))
    return run_execute(run_start(reform=reform, year=clock.today().year, chunk_size=300))


def test_an_empty_reform_changes_nothing_at_all(jurisdiction):
    run = _run("name: nothing\nparameters: {}\n")
    result = run.result
    assert run.status == ReformRun.Status.DONE
    assert result["households"] > 500
    assert result["cost_change"] == 0
    assert result["cost_before"] == result["cost_after"] > 0
    assert result["households_gaining"] == result["households_losing"] == 0
    assert result["bands"]["no change"] == result["households"]
    assert sum(result["bands"].values()) == result["households"]
    assert result["examples"] == {"gaining": [], "losing": []}
    # Read through the exchange under the simulation's purpose, each resident logged.
    assert AccessLogEntry.objects.filter(purpose="policy-simulation").count() == result["residents"]


def test_a_raised_limit_makes_households_gain_and_costs_rise(jurisdiction):
    result = _run(RAISED_LIMIT).result
    assert result["cost_change"] > 0
    assert result["households_gaining"] > 0
    assert result["households_losing"] == 0
    gained = sum(result["bands"][label] for label, low, _high in BANDS if low >= 1)
    assert gained == result["households_gaining"]
    example = result["examples"]["gaining"][0]
    assert example["support_after"] > example["support_before"]
    # No personal numbers or addresses in what is kept.
    text = json.dumps(result)
    assert "personal_number" not in text and "address" not in text
    assert (
        sum(c["gaining"] for c in result["neighbourhoods"].values()) == result["households_gaining"]
    )
    # Examples name only neighbourhoods shown on their own, and amounts to EUR 10.
    for e in result["examples"]["gaining"]:
        assert e["neighbourhood"] in result["neighbourhoods"]
        assert e["support_before"] % 10 == e["support_after"] % 10 == 0


def _example(neighbourhood: str, before: int, after: int) -> dict:
    return {
        "adults": 2,
        "children": 3,
        "income_band": "35000-40000",
        "neighbourhood": neighbourhood,
        "support_before": before,
        "support_after": after,
        "change": after - before,
    }


def test_an_example_household_of_a_tiny_neighbourhood_is_shown_under_other():
    """A neighbourhood with two changed households is folded into "other" in the totals; its
    example household (two adults, three children, an income band) must not name it either."""
    big = {"gaining": 40, "losing": 0, "cost_change": 4000.0}
    tiny = {"gaining": 2, "losing": 0, "cost_change": 200.0}
    part = {
        "households": 500,
        "neighbourhoods": {"BU0001": big, "BU0099": tiny},
        "examples": {
            "gaining": [_example("BU0099", 1230, 1330), _example("BU0001", 500, 600)],
            "losing": [],
        },
    }
    result = results_combine([part])
    assert set(result["neighbourhoods"]) == {"BU0001", "other"}
    shown = [e["neighbourhood"] for e in result["examples"]["gaining"]]
    assert shown == ["other", "BU0001"]
    assert "BU0099" not in json.dumps(result)


def test_a_lower_amount_makes_households_lose(jurisdiction):
    result = _run(
        "name: less\nparameters:\n  school_clothing_grant.amount_per_child: {add: -50}\n"
    ).result
    assert result["cost_change"] < 0
    assert result["households_losing"] > 0 and result["households_gaining"] == 0


@pytest.mark.parametrize(
    "text",
    [
        "parameters:\n  no_such.parameter: 1\n",
        "parameters:\n  school_clothing_grant.amount_per_child: lots\n",
        "parameters:\n  school_clothing_grant.amount_per_child: {divide: 2}\n",
        "parameters: [1, 2]\n",
        "- not a mapping\n",
    ],
)
def test_a_reform_naming_no_parameter_or_no_number_is_refused(text):
    with pytest.raises(ReformInvalid):
        reform_parse(text)


def test_the_command_line_writes_the_report(jurisdiction, tmp_path):
    reform = tmp_path / "limit.yaml"
    reform.write_text(RAISED_LIMIT)
    report = tmp_path / "report.json"
    call_command(
        "rules", "reform", "--file", str(reform), "--report", str(report), "--chunk-size", "500"
    )
    found = json.loads(report.read_text())
    for key in ("cost_change", "households_gaining", "households_losing", "bands"):
        assert key in found
    assert found["cost_change"] > 0
    assert set(found["bands"]) == {label for label, _low, _high in BANDS}

    empty = tmp_path / "empty.yaml"
    empty.write_text("name: nothing\n")
    call_command("rules", "reform", "--file", str(empty), "--report", str(report))
    found = json.loads(report.read_text())
    assert found["cost_change"] == found["households_gaining"] == found["households_losing"] == 0


def test_the_command_line_refuses_a_bad_reform(jurisdiction, tmp_path):
    reform = tmp_path / "bad.yaml"
    reform.write_text("parameters:\n  no_such.parameter: 1\n")
    with pytest.raises(CommandError, match=r"no_such\.parameter"):
        call_command("rules", "reform", "--file", str(reform))


# --- the API -------------------------------------------------------------------------------


def _partner(agency_code: str):
    import base64

    from django.test import Client

    from civic.identity import services as identity
    from civic.identity.models import Agency

    agency = Agency.objects.get_or_create(code=agency_code, defaults={"name": agency_code})[0]
    client, secret = identity.api_client_create(agency=agency, name=f"Policy {agency_code}")
    token = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    return Client(HTTP_AUTHORIZATION=f"Basic {token}")


def test_the_api_saves_a_reform_runs_it_and_gives_its_figures(jurisdiction):
    api = _partner("havenstad")
    answer = api.post(
        "/api/reforms/v1/reforms",
        {
            "name": "Limit 130 %",
            "parameters": {"school_clothing_grant.income_limit_percentage": 1.3},
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    run_id = answer.json()["runs"][0]["id"]
    progress = api.get(f"/api/reforms/v1/runs/{run_id}").json()
    assert progress["status"] == "running" and progress["chunks_done"] == 0
    # What the background worker does once the request's transaction commits:
    run_execute(ReformRun.objects.get(pk=run_id))
    done = api.get(f"/api/reforms/v1/runs/{run_id}").json()
    assert done["status"] == "done" and done["chunks_done"] == done["chunks_total"]
    assert done["result"]["cost_change"] > 0 and done["result"]["households_gaining"] > 0
    listed = api.get("/api/reforms/v1/reforms").json()
    assert [r["name"] for r in listed] == ["Limit 130 %"]

    # Another agency's client sees none of it.
    other = _partner("other-agency")
    for path in (f"/api/reforms/v1/runs/{run_id}", f"/api/reforms/v1/reforms/{listed[0]['id']}"):
        refused = other.get(path)
        assert refused.status_code == 404
        assert refused["Content-Type"] == "application/problem+json"
    assert other.get("/api/reforms/v1/reforms").json() == []


def test_the_api_refuses_an_unknown_parameter_and_saves_nothing(jurisdiction):
    from civic.decisions.models import Reform

    api = _partner("havenstad")
    refused = api.post(
        "/api/reforms/v1/reforms",
        {"name": "x", "parameters": {"no_such.parameter": 2}},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["items"] == ["no_such.parameter"]
    assert not Reform.objects.exists()
    from django.test import Client

    assert Client().get("/api/reforms/v1/reforms").status_code == 401


# --- the staff pages -----------------------------------------------------------------------


def test_a_service_owner_computes_compares_and_exports_reforms_on_the_page(jurisdiction, client):
    from civic.identity.models import Role
    from civic.identity.selectors import agency_get
    from tests.builders import create_staff

    owner = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    client.force_login(owner)
    page = client.get("/staff/rules/reforms/")
    assert page.status_code == 200
    assert "school_clothing_grant.income_limit_percentage" in page.content.decode()

    refused = client.post(
        "/staff/rules/reforms/", {"reform": "parameters: {nope: 1}", "year": "2026"}
    )
    assert refused.status_code == 400
    assert "There is no parameter “nope”" in refused.content.decode()

    answer = client.post("/staff/rules/reforms/", {"reform": RAISED_LIMIT, "year": "2026"})
    assert answer.status_code == 302
    running = client.get(answer["Location"]).content.decode()
    assert 'http-equiv="refresh"' in running and "<progress" in running
    run = ReformRun.objects.get()
    run_execute(run)  # what the background thread does once the request has committed
    done = client.get(answer["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert "Households gaining" in done and "gains €" in done
    empty = run_execute(
        run_start(
            reform=reform_save(agency="havenstad", spec=reform_parse("name: As is")), year=2026
        )
    )
    compared = client.get(f"/staff/rules/reforms/compare/?run={run.pk}&run={empty.pk}")
    text = compared.content.decode()
    assert "School clothing grant limit 130 %" in text and "As is" in text

    exported = client.get(f"/staff/rules/reforms/runs/{run.pk}.json")
    run.refresh_from_db()
    assert json.loads(exported.content)["cost_change"] == run.result["cost_change"] > 0
    assert json.loads(exported.content)["households_gaining"] > 0
    for example in json.loads(exported.content)["examples"]["gaining"]:
        assert example["support_before"] % 10 == 0 and example["support_after"] % 10 == 0
    csv_text = client.get(f"/staff/rules/reforms/runs/{run.pk}.csv").content.decode()
    assert "cost_change" in csv_text and "households_in_band" in csv_text


def test_the_reform_pages_are_refused_to_caseworkers_residents_and_other_agencies(
    jurisdiction, client
):
    from civic.identity import services as identity
    from civic.identity.models import Role
    from civic.identity.selectors import agency_get
    from tests.builders import create_staff

    run = _run("name: As is\n")
    paths = [
        "/staff/rules/reforms/",
        f"/staff/rules/reforms/runs/{run.pk}/",
        f"/staff/rules/reforms/runs/{run.pk}.csv",
        f"/staff/rules/reforms/compare/?run={run.pk}",
    ]
    client.force_login(create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad")))
    for path in paths:
        assert client.get(path).status_code == 403, path
    assert client.post("/staff/rules/reforms/", {"reform": RAISED_LIMIT}).status_code == 403
    client.force_login(identity.resident_account_ensure(personal_number="123456782"))
    for path in paths:
        assert client.get(path).status_code in (302, 403), path
    # A service owner of another agency does not see this agency's runs.
    client.force_login(create_staff(roles=[Role.SERVICE_OWNER]))
    for path in paths[1:3]:
        assert client.get(path).status_code == 404, path
    assert "As is" not in client.get("/staff/rules/reforms/").content.decode()


def test_a_policy_adviser_runs_reforms_and_reads_the_register_but_sees_no_case_or_person(
    jurisdiction, client
):
    """The what-if pages are for service owners and policy staff: a policy adviser computes a
    reform and reads its figures and the algorithm register, and is refused the case queue, a
    case, the rules' shadow comparisons (which name cases), the access alerts and the back
    office."""
    from civic.cases.models import Case
    from civic.identity.models import Role
    from civic.identity.selectors import agency_get
    from tests.builders import create_staff

    adviser = create_staff(roles=[Role.POLICY_ADVISER], agency=agency_get(code="havenstad"))
    client.force_login(adviser)
    home = client.get("/staff/").content.decode()
    assert "policy adviser" in home and "/staff/rules/reforms/" in home
    assert "/staff/cases/" not in home
    answer = client.post("/staff/rules/reforms/", {"reform": RAISED_LIMIT, "year": "2026"})
    assert answer.status_code == 302
    run = ReformRun.objects.get()
    run_execute(run)
    assert "Households gaining" in client.get(answer["Location"]).content.decode()
    assert client.get(f"/staff/rules/reforms/runs/{run.pk}.csv").status_code == 200
    assert client.get("/algorithms/").status_code == 200
    assert client.get("/algorithms/child-benefit-proactive/assessments/").status_code == 200

    refused = ["/staff/cases/", "/staff/rules/", "/staff/rules/parking-permit/"]
    refused += ["/staff/privacy/alerts/", "/staff/cases/backlog/"]
    case = Case.objects.first()
    if case is not None:
        refused.append(f"/staff/cases/{case.reference}/")
    for path in refused:
        assert client.get(path).status_code == 403, path
    assert client.get("/admin/").status_code == 302  # not back-office staff: to the login
