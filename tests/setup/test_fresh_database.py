"""`civic setup apply` on databases nothing else has touched, through the installed command:
the demo file gives exactly what the demo's Python loaders gave before the set-up was a file,
a second municipality sets up on its own, and a production-like installation can run the
proactive checks once it is set up."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from civic.setup.services import DEMO_SETUP
from tests.core.test_config import PRODUCTION
from tests.setup.builders import a_setup_file, civic, riverdale

#: Per kind and natural key, a digest of what the demo's loaders (civic/*/demo.py,
#: catalogue_load, decisions/setup.py) made before the set-up was a file, read at 98cbdef with
#: tests.setup.builders.state_digests. The one addition: who proactive checks run as
#: (havenstad, the purpose proactive-eligibility), then a constant in decisions/proactive.py.
#: Changed since on purpose: the forms (questions carry their own error messages) and the
#: case types (the workflow names its states for staff too), and the catalogue (service pages
#: take amounts, decision times and login words from the rules, case types and login methods),
#: and the catalogue again (issue 15): 17 services added (objection, divorce, complaint, ask us,
#: shelter, domestic violence, naturalisation, finding work, social housing, neighbour
#: mediation, certificates, polling card, event and alcohol permits, carer support, school
#: transport, moving abroad), search words of youth care and rent benefit, and the marriage life
#: event's description (it now covers splitting up); then Dutch and English search words of home
#: care (pgb), youth care (gedrag), registering a business (zzper) and objecting to a decision;
#: and the case types again (issue 16): each declares its retention (7 years after closing).
BEFORE = json.loads((Path(__file__).parent / "havenstad_before.json").read_text())
#: Added since: the purposes under which a login and a representation check read the persons
#: register through the exchange (identity asked the register directly before), and their grants;
#: the calculator's "fill in from my data" (issue 14) and its grants; data-subject access and
#: portability exports (issue 16) and their grants; the open-data catalogue's statistics (issue 18).
ADDED = {
    "purposes": {
        "login",
        "representation",
        "calculate-entitlements",
        "policy-simulation",
        "data-subject-access",
        "statistics",
        "public-advisories",
        "document-intake",
        "apply-housing-allowance",
    },
    "grants": {
        "login / persons / job login of havenstad",
        "representation / persons / job representation of havenstad",
        "calculate-entitlements / persons / job entitlement-calculator of havenstad",
        "calculate-entitlements / income / job entitlement-calculator of havenstad",
        "calculate-entitlements / vehicles / job entitlement-calculator of havenstad",
        # What-if reforms (issue 14): statistics over the population.
        "policy-simulation / persons / job policy-simulation of havenstad",
        "policy-simulation / income / job policy-simulation of havenstad",
        # Data-subject access and portability (issue 16): the person's own records in full.
        "data-subject-access / persons / job data-subject-access of havenstad",
        "data-subject-access / income / job data-subject-access of havenstad",
        "data-subject-access / addresses / job data-subject-access of havenstad",
        "data-subject-access / vehicles / job data-subject-access of havenstad",
        "data-subject-access / businesses / job data-subject-access of havenstad",
        # Open data (issue 18): counts only, through the exchange's aggregate path.
        "statistics / persons / job open-data of havenstad",
        "statistics / businesses / job open-data of havenstad",
        # Public advisories (issue 19): where a resident who asked for warnings lives.
        "public-advisories / persons / job public-advisories of havenstad",
        # Document intake (issue 17): whom a document concerns, and what of them to hide.
        "document-intake / persons / job document-intake of havenstad",
        "document-intake / addresses / job document-intake of havenstad",
        # Rent benefit applications (issue 17's example), for the Tax Administration.
        *(
            f"apply-housing-allowance / {register} / {to}"
            for register in ("persons", "income", "addresses")
            for to in ("residents", "staff role caseworker of tax-administration")
        ),
    },
    # Data-subject requests (issue 16) are cases of these types, handled by the Privacy team.
    "teams": {"havenstad / Privacy", "tax-administration / Allowances"},
    "forms": {"housing-allowance"},
    "case_types": {
        "housing-allowance",
        *(
            f"privacy-{kind}"
            for kind in (
                "access",
                "portability",
                "rectification",
                "erasure",
                "objection",
                "restriction",
            )
        ),
    },
}


#: What the demo's set-up changed on purpose since the record: compared on neither side.
CHANGED = {
    # Issue 17: the documents it takes (payslips, bank statements, invoices) join its cases.
    "case_types": {"special-assistance"},
}


def _without_added(digests: dict) -> dict:
    left_out = {kind: {*ADDED.get(kind, ()), *CHANGED.get(kind, ())} for kind in digests}
    return {
        kind: {key: value for key, value in found.items() if key not in left_out[kind]}
        for kind, found in digests.items()
    }


def _digests(env: dict[str, str], tmp_path: Path) -> dict:
    out = tmp_path / "digests.json"
    code = (
        f"from tests.setup.builders import state_digests_write; state_digests_write({str(out)!r})"
    )
    result = civic("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text())


def test_the_demo_file_on_a_fresh_database_gives_what_the_demo_had_before(fresh_database, tmp_path):
    dry = civic("setup", "apply", "--dry-run", str(DEMO_SETUP), env=fresh_database)
    assert dry.returncode == 0, dry.stderr
    assert "purposes:         19 created, 0 changed, 0 unchanged" in dry.stdout
    assert "  + public-advisories" in dry.stdout
    assert "  + proactive-eligibility" in dry.stdout
    assert "  + apply-parking-permit / persons / staff role caseworker of havenstad" in dry.stdout
    assert dry.stdout.rstrip().endswith(
        "Dry run: nothing was written (the change above was rolled back)."
    )
    nothing = yaml.safe_load(civic("setup", "export", env=fresh_database).stdout)
    assert nothing["agencies"] == nothing["purposes"] == nothing["grants"] == []

    applied = civic("setup", "apply", str(DEMO_SETUP), env=fresh_database)
    assert applied.returncode == 0, applied.stderr
    # The dry run showed exactly what applying did.
    assert applied.stdout.replace("Applied.", "") == dry.stdout.replace(
        "Dry run: nothing was written (the change above was rolled back).", ""
    )
    digests = _digests(fresh_database, tmp_path)
    for kind, keys in ADDED.items():
        assert keys <= set(digests[kind])
    assert _without_added(digests) == _without_added(BEFORE)

    again = civic("setup", "apply", str(DEMO_SETUP), env=fresh_database)
    assert again.returncode == 0, again.stderr
    kinds = [line for line in again.stdout.splitlines() if " created, " in line]
    assert len(kinds) == 12 and all(": " in k and " 0 created, 0 changed, " in k for k in kinds)
    assert again.stdout.rstrip().endswith("No change: the database already holds this set-up.")


def test_a_second_municipality_with_one_service_purpose_and_grant_sets_up_on_a_fresh_database(
    fresh_database, tmp_path
):
    path = a_setup_file(tmp_path, riverdale())
    applied = civic("setup", "apply", str(path), env=fresh_database)
    assert applied.returncode == 0, applied.stderr
    assert "  + riverdale\n" in applied.stdout
    assert (
        "  + bulky-waste-collection / persons / staff role caseworker of riverdale"
        in applied.stdout
    )
    exported = yaml.safe_load(civic("setup", "export", env=fresh_database).stdout)
    assert [a["code"] for a in exported["agencies"]] == ["riverdale"]
    assert [p["code"] for p in exported["purposes"]] == ["bulky-waste-collection"]
    assert exported["grants"] == riverdale()["grants"]
    assert [s["code"] for s in exported["catalogue"]["services"]] == ["riverdale-bulky-waste"]
    assert "havenstad" not in json.dumps(exported)
    # Its own export applies as "no change": the file round-trips.
    again = civic(
        "setup", "apply", str(a_setup_file(tmp_path, exported, "export.yaml")), env=fresh_database
    )
    assert again.stdout.rstrip().endswith("No change: the database already holds this set-up."), (
        again.stdout
    )


def test_a_production_installation_runs_proactive_checks_once_it_is_set_up(fresh_database):
    env = {**fresh_database, **PRODUCTION}
    generated = civic(
        "jurisdiction", "generate", "--residents", "300", "--seed", "3", "--quiet", env=env
    )
    assert generated.returncode == 0, generated.stderr

    refused = civic("proactive", "run", env=env)
    assert refused.returncode != 0
    assert "not set up" in refused.stderr and "civic setup apply" in refused.stderr
    assert "Traceback" not in refused.stderr and "UnknownPurpose" not in refused.stderr
    # Refused before it began: no run is left looking busy.
    assert "running" not in civic("proactive", "status", env=env).stdout

    applied = civic("setup", "apply", str(DEMO_SETUP), env=env)
    assert applied.returncode == 0, applied.stderr
    run = civic("proactive", "run", env=env)
    assert run.returncode == 0, run.stderr
    assert "(started by hand, done)" in run.stdout and "residents checked" in run.stdout
