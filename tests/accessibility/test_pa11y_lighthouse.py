"""The same pages as the axe-core check, seen by two tools nobody here wrote: pa11y (its
HTML_CodeSniffer runner, WCAG 2 AA; its axe runner would repeat test_axe.py, which runs axe-core
on every page in both languages) on every page in both languages, and Lighthouse
(accessibility and best practices, each must score 100) on one page of every kind in both
languages. Both drive the system Chromium through tests/accessibility/audit.mjs.

Needs Debian's chromium and the npm packages pa11y and lighthouse (`make assets`); outside CI
the test is skipped with the reason when they are missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.accessibility.test_axe import pages_and_visitors

#: The pages' HTML is the same on both engines (their views are tested on both by their own
#: tests): `make test` checks it once, on SQLite (tests/conftest.py, engine_dependent).
pytestmark = pytest.mark.engine_independent

ROOT = Path(__file__).resolve().parents[2]
AUDIT = Path(__file__).with_name("audit.mjs")
NEEDED = [ROOT / "node_modules" / "pa11y", ROOT / "node_modules" / "lighthouse"]
#: Lighthouse takes seconds a page: it audits the first page of each visitor and these.
LIGHTHOUSE_TOO = {"/services/child-benefit/", "/services/search/?q=new+baby", "/my/cases/"}


def _require_tools() -> None:
    missing = [str(p) for p in NEEDED if not p.exists()]
    for name in ("chromium", "node"):
        if shutil.which(name) is None:
            missing.append(name)
    if missing:
        message = f"pa11y and Lighthouse need {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _session_cookie(settings, user, acting_for: str = "") -> str:
    if user is None:
        return ""
    client = Client()
    client.force_login(user)
    if acting_for:
        session = client.session
        session["civic.portal.acting_for"] = acting_for
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="pages are the same on both databases: pa11y and Lighthouse run once, with SQLite",
)
def test_pa11y_finds_no_error_and_lighthouse_scores_100_on_every_page_in_both_languages(
    committed_data, live_server, settings, tmp_path
):
    _require_tools()
    pages, users, grantor, _refs = pages_and_visitors(settings)
    plan = {"chromium": shutil.which("chromium"), "pages": []}
    for who, paths in pages.items():
        session = _session_cookie(settings, users[who], grantor if who == "stopped" else "")
        for language in ("en", "nl"):
            cookie = "; ".join(
                c for c in (session, f"{settings.LANGUAGE_COOKIE_NAME}={language}") if c
            )
            for index, path in enumerate(paths):
                plan["pages"].append(
                    {
                        "url": live_server.url + path,
                        "language": language,
                        "cookie": cookie,
                        "lighthouse": index == 0 or path in LIGHTHOUSE_TOO,
                    }
                )
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    done = subprocess.run(
        ["node", str(AUDIT), str(tmp_path / "plan.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    (tmp_path / "report.json").write_text(done.stdout)  # kept by pytest for a look after a failure
    assert len(report) == len(plan["pages"]) >= 80
    problems = [
        f"{e['url']} ({e['language']}) pa11y: {issue}" for e in report for issue in e["pa11y"]
    ]
    # Each page was seen as its visitor sees it: answered (the error pages on the list answer
    # 400, 403 or 404 on purpose), and not sent to a login page.
    problems += [
        f"{e['url']} ({e['language']}): HTTP {e['status']}, landed on {e['landed']}"
        for e in report
        if not e["status"]
        or e["status"] >= 500
        or ("/login" in e["landed"] and "/login" not in e["url"])
    ]
    audited = [e for e in report if e["lighthouse"] is not None]
    assert len(audited) >= 16
    for entry in audited:
        scores = entry["lighthouse"]
        if (
            entry.get("lighthouse_error")
            or scores["accessibility"] != 1
            or scores["best_practices"] != 1
        ):
            problems.append(
                f"{entry['url']} ({entry['language']}) Lighthouse: accessibility "
                f"{scores['accessibility']}, best practices {scores['best_practices']}: "
                f"{scores['failing']} {entry.get('lighthouse_error', '')}"
            )
    assert not problems, "\n".join(problems)
