"""What a resident, a partner system and an operator meet on a production installation: the
installed package on PostgreSQL, Celery on RabbitMQ, SMTP and the eID (see conftest.py)."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlsplit

import httpx
import pytest

pytestmark = [pytest.mark.production, pytest.mark.slow]
#: The trace id a resident's request brings (W3C traceparent), to be found in its task's lines.
TRACE = "0af7651916cd43dd8448eb211c80319c"


def a_resident(production) -> str:
    result = production.civic(
        "shell",
        "-c",
        "from civic.registers.selectors import demo_resident_personal_number as d; print(d())",
    )
    return result.stdout.strip().splitlines()[-1]


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def post(browser: httpx.Client, path: str, data: dict) -> httpx.Response:
    """A form post as a browser sends it: the page's token, and where it came from."""
    page = browser.get(path)
    return browser.post(
        path,
        data={"csrfmiddlewaretoken": csrf_token(page.text), **data},
        headers={"Referer": f"{browser.base_url}{path}"},
    )


def eid_login(production, eid: str, personal_number: str) -> httpx.Client:
    browser = production.browser()
    sub = f"eid-{personal_number}"
    httpx.put(f"{eid}/users/{sub}", json={"personal_number": personal_number}).raise_for_status()
    to_provider = browser.get("/oidc/authenticate/?next=/my/")
    assert to_provider.status_code == 302, to_provider.text
    back = httpx.post(to_provider.headers["location"], data={"sub": sub}, follow_redirects=False)
    callback = urlsplit(back.headers["location"])
    assert callback.netloc == urlsplit(production.url).netloc
    landed = browser.get(f"{callback.path}?{callback.query}")
    assert landed.status_code == 302 and landed.headers["location"] == "/my/", landed.text
    return browser


def test_production_serves_pages_over_https_with_its_headers_and_only_the_eid_login(production):
    with production.browser() as browser:
        home = browser.get("/")
        assert home.status_code == 200
        assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
        assert home.headers["strict-transport-security"].startswith("max-age=31536000")
        css = re.search(r'href="(/static/civic/civic\.[0-9a-f]+\.css)"', home.text)
        assert css, "the installed package serves its hashed, built stylesheet"
        stylesheet = browser.get(css.group(1))
        assert stylesheet.status_code == 200
        # A hashed name never changes content: browsers keep it for a year and more.
        cache = stylesheet.headers["cache-control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache)[1]) >= 31536000
        assert home.headers.get("content-encoding") == "gzip", "pages are sent compressed"
        login = browser.get("/login/")
        assert "Log in with your national eID" in login.text
        assert "one-time code" not in login.text
        assert browser.get("/login/code/request/").status_code == 404


def test_a_browser_gets_pages_compressed_and_keeps_the_hashed_stylesheet_between_pages(
    production,
):
    """Journey 13 in Chromium against the installed server: the page arrives gzip-compressed,
    the hashed stylesheet with a year-long immutable lifetime, and the next page does not ask
    the server for the stylesheet again."""
    import base64
    import hashlib
    import tempfile

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from tests.browser import chromium_start, network_events, require_browser

    require_browser()
    # The test server's certificate is its own (tests/production/conftest.py): Chromium is told
    # to trust its key, as httpx is told to trust it above. (Merely ignoring certificate errors
    # would not do: Chromium keeps nothing in its cache from a site whose certificate failed.)
    certificate = x509.load_pem_x509_certificate(
        (production.workdir / "server" / "127.0.0.1.crt").read_bytes()
    )
    key = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    spki = base64.b64encode(hashlib.sha256(key).digest()).decode()
    profile = tempfile.mkdtemp(prefix="civic-chromium-")
    driver = chromium_start(
        flags=(f"--ignore-certificate-errors-spki-list={spki}", f"--user-data-dir={profile}"),
        network_log=True,
    )
    stylesheet = re.compile(r"/static/civic/civic\.[0-9a-f]+\.css$")
    try:
        driver.get(production.url + "/")
        responses = {
            e["params"]["response"]["url"]: e["params"]["response"]
            for e in network_events(driver)
            if e["method"] == "Network.responseReceived"
        }
        page = responses[production.url + "/"]
        headers = {k.lower(): v for k, v in page["headers"].items()}
        assert headers.get("content-encoding") == "gzip"
        css_url = next(url for url in responses if stylesheet.search(url))
        cache = {k.lower(): v for k, v in responses[css_url]["headers"].items()}["cache-control"]
        assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache)[1]) >= 31536000

        driver.get(production.url + "/services/")
        again = network_events(driver)
        # A stylesheet taken from the cache is reported as served from it (memory) or from disk.
        cached = {
            e["params"]["requestId"]
            for e in again
            if e["method"] == "Network.requestServedFromCache"
        }
        from_server = [
            e["params"]["response"]
            for e in again
            if e["method"] == "Network.responseReceived"
            and e["params"]["response"]["url"] == css_url
            and e["params"]["requestId"] not in cached
            and not e["params"]["response"].get("fromDiskCache")
        ]
        assert not from_server, f"the second page fetched the stylesheet again: {from_server}"
        assert any(
            e["method"] == "Network.responseReceived"
            and e["params"]["response"]["url"] == production.url + "/services/"
            for e in again
        ), "the second page was loaded"
    finally:
        driver.quit()


def test_a_resident_logs_in_with_the_eid_applies_and_gets_the_email(
    production, eid, smtp, collector
):
    sink, _port = smtp
    number = a_resident(production)
    browser = eid_login(production, eid, number)
    try:
        page = browser.get("/my/")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert any(c.name == "__Host-civic-session" for c in browser.cookies.jar)
        saved = post(
            browser,
            "/my/inbox/preferences/",
            {
                "channels": "email",
                "email": "resident@havenstad.example",
                "phone": "",
                "language": "en",
            },
        )
        assert saved.status_code == 302, saved.text
        start = browser.get("/my/apply/parking-permit/")
        assert start.status_code == 302
        steps = [
            ("about_you", {"shown": ""}),
            (
                "car",
                {
                    "shown": "licence_plate,car_use,start_date",
                    "licence_plate": "AB-123-C",
                    "car_use": "own",
                    "start_date": "2027-01-01",
                },
            ),
            ("permit", {"shown": "permit_kind", "permit_kind": "resident"}),
        ]
        for step, answers in steps:
            answered = post(
                browser,
                f"/my/apply/parking-permit/{step}/",
                {"form_version": "1", "action": "continue", **answers},
            )
            assert answered.status_code == 302, answered.text
        page = browser.get("/my/apply/parking-permit/check/")
        sent = browser.post(
            "/my/apply/parking-permit/check/",
            data={"csrfmiddlewaretoken": csrf_token(page.text)},
            headers={
                "Referer": f"{browser.base_url}/my/apply/parking-permit/check/",
                "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01",
            },
        )
        assert sent.status_code == 302 and "/sent/" in sent.headers["location"]
        reference = sent.headers["location"].rstrip("/").rsplit("/", 1)[-1]
    finally:
        browser.close()
    mail = sink.wait_for(reference)
    assert "To: resident@havenstad.example" in mail
    assert f"We received your application {reference}" in mail
    # Sent by the worker, not the web process, under the trace id of the resident's request.
    # The worker logs "ran" when the task returns, which can be a moment after the mail is in.
    import json

    def delivered_by_the_worker():
        lines = [
            json.loads(line)
            for line in production.log("worker").splitlines()
            if line.startswith("{")
        ]
        found = [
            e
            for e in lines
            if "civic.notify.message_deliver ran" in e["message"] and e["trace_id"] == TRACE
        ]
        return found, lines

    deadline = time.monotonic() + 30
    delivered, worker_lines = delivered_by_the_worker()
    while not delivered and time.monotonic() < deadline:
        time.sleep(0.5)
        delivered, worker_lines = delivered_by_the_worker()
    assert delivered, worker_lines[-5:]

    # One trace from web to worker at the collector: the page's server span from a gunicorn
    # worker, the task's consumer span from the Celery worker, under the caller's trace id.
    # The case's "opened" event is handled after the submission commits, by the worker too
    # (civic.core.event_handling: the rules deciding the case).
    def consumed(spans, name):
        return [s for s in spans if s.trace_id == TRACE and s.kind == "consumer" and s.name == name]

    def served(spans):
        return [s for s in spans if s.trace_id == TRACE and s.kind == "server"]

    # Each process exports its spans on its own schedule: the web worker's may come after the
    # Celery worker's, so all three are waited for.
    spans = collector.wait_for(
        lambda spans: (
            consumed(spans, "civic.notify.message_deliver")
            and consumed(spans, "civic.core.event_handling")
            and served(spans)
        )
    )
    (page,) = served(spans)
    assert page.name == "POST /my/apply/<slug:service_code>/check/" and page.service == "civic-web"
    assert page.attributes["http.response.status_code"] == 302
    (task,) = consumed(spans, "civic.notify.message_deliver")
    assert task.service == "civic-worker" and task.parent_span_id == page.span_id
    assert all(
        s.service == "civic-worker" and s.parent_span_id == page.span_id
        for s in consumed(spans, "civic.core.event_handling")
    )
    # The prefill and the submission read through the exchange, each step a span of its page.
    assert any(s.name == "exchange.access_log_append" for s in spans)
    assert not any(number.encode() in body for body in collector.bodies)


def test_a_proactive_run_has_its_chunks_evaluated_by_the_worker(production):
    result = production.civic("proactive", "run")
    assert re.search(
        r"run \d+ \(started by hand, done\): 1,\d{3} residents checked", result.stdout
    ), result
    assert "proactive_chunk_evaluate" in production.log("worker")


def test_operators_read_readiness_and_metrics_gathered_from_every_web_worker(production):
    with production.browser() as browser:
        for _ in range(6):
            assert browser.get("/services/").status_code == 200
        ready = browser.get("/ready").json()
        assert ready == {
            "status": "ok",
            "checks": {"database": "ok", "signing_key": "ok", "cache": "ok", "broker": "ok"},
        }
        text = browser.get("/metrics").text
    served = re.search(
        r'civic_http_requests_total\{method="GET",route="/services/",status="200"\} (\d+)', text
    )
    assert served and float(served.group(1)) >= 6
    assert f'civic_queue_messages{{queue="{production.environment["CIVIC_INSTANCE"]}"}}' in text
    assert "civic_auditlog_entries_total" in text


def test_a_backup_restores_into_a_fresh_database_whose_log_verifies_and_whose_pages_serve(
    production, workdir
):
    import shutil

    import psycopg

    from tests.production.conftest import free_port

    backup = workdir / "backup"
    production.civic("backup", "create", str(backup))
    restored_db = production.environment["DATABASE_URL"] + "_restored"
    admin = production.environment["DATABASE_URL"].replace("postgres://", "postgresql://")
    name = restored_db.rsplit("/", 1)[-1]
    with psycopg.connect(admin.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    elsewhere = workdir / "restored-var"
    (elsewhere / "keys").mkdir(parents=True)
    # Keys come from the secret store, not the backup.
    shutil.copy(workdir / "var" / "keys" / "auditlog-ed25519.pem", elsewhere / "keys")
    there = {"DATABASE_URL": restored_db, "CIVIC_VAR_DIR": str(elsewhere)}
    try:
        restored = production.civic("backup", "restore", str(backup), **there)
        assert "civic auditlog verify" in restored.stdout
        refused = production.civic("backup", "restore", str(backup), check=False, **there)
        assert refused.returncode != 0 and "not empty" in refused.stderr
        production.civic("collectstatic", "--noinput", **there)  # a new host's install step
        verified = production.civic("auditlog", "verify", **there)
        assert verified.returncode == 0
        assert any((elsewhere / "media").rglob("*.pdf")), "the receipts' PDFs came back"
        port = free_port()
        production.start(
            "restored-web",
            [str(production.bin / "civic"), "serve", "--bind", f"127.0.0.1:{port}"],
            **there,
        )
        import ssl

        trust = ssl.create_default_context(cafile=str(workdir / "server" / "127.0.0.1.crt"))
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=trust, timeout=30) as site:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if site.get("/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, production.log("restored-web")
                time.sleep(0.5)
            for page in ("/", "/services/", "/services/parking-permit/", "/algorithms/", "/login/"):
                assert site.get(page).status_code == 200, page
            assert site.get("/ready").json()["status"] == "ok"
    finally:
        process = production.processes.pop("restored-web", None)
        if process:
            process.terminate()
            process.wait(timeout=20)
        with psycopg.connect(admin.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_an_unhandled_error_is_logged_as_one_json_line_with_the_trace_id_the_page_shows(
    production,
):
    """A 500 is logged where the platform collects it (standard output), as JSON, once."""
    import json

    import psycopg

    url = production.environment["DATABASE_URL"].replace("postgres://", "postgresql://")
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute('ALTER TABLE "catalog_service" RENAME TO "catalog_service_away"')
        try:
            with production.browser() as browser:
                broken = browser.get(
                    "/services/", headers={"traceparent": f"00-{trace}-00f067aa0ba902b7-01"}
                )
        finally:
            connection.execute('ALTER TABLE "catalog_service_away" RENAME TO "catalog_service"')
    assert broken.status_code == 500 and broken.headers["x-trace-id"] == trace
    assert trace in broken.text
    time.sleep(0.5)
    lines = [
        json.loads(line) for line in production.log("web").splitlines() if line.startswith("{")
    ]
    errors = [e for e in lines if e.get("trace_id") == trace and e["level"] == "ERROR"]
    assert len(errors) == 1, lines[-5:]
    assert errors[0]["exception"]["type"] == "ProgrammingError"


def _partner_and_officer(production) -> tuple[str, str, str, list[str]]:
    """A Havenstad partner client allowed 20 subjects a minute, with a grant, an officer with an
    e-mail address, and 60 address identifiers in a row; the client's id, secret, the purpose."""
    script = (
        "from civic.identity import services as i\n"
        "from civic.identity.selectors import agency_get\n"
        "from civic.exchange import services as x\n"
        "from civic.exchange.models import Purpose\n"
        "from civic.registers.models import Address\n"
        "a = agency_get(code='havenstad')\n"
        "c, s = i.api_client_create(agency=a, name='Harvest check', subjects_per_minute=20)\n"
        "p = Purpose.objects.filter(controller=a).order_by('code').first()\n"
        "x.grant_create(purpose=p, register='persons', attributes=['identity.birth_date'],"
        " api_client=c)\n"
        "i.staff_user_create(username='dpo-harvest', agency=a, password=None,"
        " roles=['data_protection_officer'], email='dpo@havenstad.example')\n"
        "print(c.client_id, s, p.code)\n"
        "print(' '.join(Address.objects.order_by('identifier')"
        ".values_list('identifier', flat=True)[:60]))\n"
    )
    lines = production.civic("shell", "-c", script).stdout.strip().splitlines()
    client_id, secret, purpose = lines[-2].split()
    return client_id, secret, purpose, lines[-1].split()


def test_a_partner_walking_addresses_is_stopped_across_web_workers_and_the_officer_is_mailed(
    production, smtp
):
    """The limit is counted in Redis, so the two web workers (four threads each) share it: of
    60 searches sent eight at a time, at most 20 subjects come back. The walk raises one alert,
    which the Celery worker mails to Havenstad's officer over SMTP."""
    from concurrent.futures import ThreadPoolExecutor

    sink, _port = smtp
    client_id, secret, purpose, addresses = _partner_and_officer(production)
    if time.time() % 60 > 45:  # all in one clock minute: its limit is the one that counts
        time.sleep(61 - time.time() % 60)
    with production.browser() as browser, ThreadPoolExecutor(8) as pool:

        def search(address: str) -> httpx.Response:
            body = {"address": address, "fields": ["identity.birth_date"], "purpose": purpose}
            return browser.post(
                "/api/exchange/v1/persons/search", json=body, auth=(client_id, secret)
            )

        answers = list(pool.map(search, addresses))

    released = sum(len(a.json()["results"]) for a in answers if a.status_code == 200)
    refused = [a for a in answers if a.status_code == 429]
    assert 0 < released <= 20 and refused
    assert refused[0].headers["content-type"] == "application/problem+json"
    assert int(refused[0].headers["retry-after"]) >= 1
    logged = production.civic(
        "shell",
        "-c",
        "from civic.exchange.models import AccessLogEntry as E; "
        f"print(E.objects.filter(actor={client_id!r}).count())",
    )
    assert int(logged.stdout.strip().splitlines()[-1]) == released
    mail = sink.wait_for(client_id)
    assert "dpo@havenstad.example" in mail and "/staff/privacy/alerts/" in mail


def test_a_register_event_reaches_a_partners_webhook_exactly_once_through_celery(
    production, partner_tls, workdir
):
    """As an operator and a partner do it: the operator makes the partner's client and grants it
    in a set-up file; the partner subscribes its https receiver through the API; the registrar
    records a move; the Celery worker delivers the signed event, once."""
    import json

    from civic.exchange.webhooks import webhook_verify
    from tests.exchange.receivers import Receiver

    created = production.civic(
        "apiclient", "create", "--agency", "social-insurance-bank", "--name", "Address partner"
    ).stdout
    client_id = re.search(r"client id: (\S+)", created).group(1)
    secret = re.search(r"secret:\s+(\S+)", created).group(1)
    grants = workdir / "address-partner.yaml"
    grants.write_text(
        "version: 1\n"
        "grants:\n"
        "  - purpose: child-benefit-assessment\n"
        "    register: persons\n"
        "    to: {api_client: Address partner}\n"
        "    attributes: [residence.address, residence.valid_from]\n"
    )
    production.civic("setup", "apply", str(grants))
    person, address = (
        production.civic(
            "shell",
            "-c",
            "from civic.registers.selectors import demo_move_target, residents_sample; "
            "n = residents_sample(count=1, seed=11)[0]; print(n, demo_move_target(personal_number=n))",
        )
        .stdout.strip()
        .splitlines()[-1]
        .split()
    )
    with Receiver(tls=partner_tls) as receiver:
        with production.browser() as browser:
            subscribed = browser.post(
                "/api/exchange/v1/subscriptions",
                json={
                    "register": "persons",
                    "purpose": "child-benefit-assessment",
                    "event_types": ["org.civic.persons.moved"],
                    "url": receiver.url(path="/events"),
                },
                auth=(client_id, secret),
            )
            assert subscribed.status_code == 201, subscribed.text
            signing_secret = subscribed.json()["secret"]
            # The same installation refuses what is not https, and what is not trusted.
            for url in ("http://127.0.0.1:9/events", "https://10.1.2.3/events"):
                refused = browser.post(
                    "/api/exchange/v1/subscriptions",
                    json={**json.loads(subscribed.request.content), "url": url},
                    auth=(client_id, secret),
                )
                assert refused.status_code == 400, refused.text
        moved = production.civic("registers", "move", "--person", person, "--address", address)
        event_id = re.search(r"org\.civic\.persons\.moved (\w+)", moved.stdout).group(1)
        deadline = time.monotonic() + 60
        while not receiver.accepted and time.monotonic() < deadline:
            time.sleep(0.2)
        # Two more beat sweeps run after the delivery: none of them sends it again.
        sweeps = production.log("worker").count("civic.exchange.deliveries_sweep ran")
        deadline = time.monotonic() + 60
        while production.log("worker").count("civic.exchange.deliveries_sweep ran") < sweeps + 2:
            assert time.monotonic() < deadline, production.log("beat")[-2000:]
            time.sleep(0.5)
    assert [r.webhook_id for r in receiver.requests] == [event_id], production.log("worker")[-3000:]
    [request] = receiver.requests
    received = webhook_verify(signing_secret, request.headers, request.body)
    assert received == event_id and request.event["subject"] == person
    assert request.event["data"]["residence.address"]
    lines = [
        json.loads(line) for line in production.log("worker").splitlines() if line.startswith("{")
    ]
    assert any(
        line["message"].endswith("of org.civic.persons.moved delivered") for line in lines
    ), lines[-5:]


def test_the_worker_publishes_the_open_datasets_and_the_installed_package_serves_them(production):
    """The nightly regeneration as beat sends it, run by the worker on RabbitMQ; then the
    installed package's new pages and APIs: the catalogue, CKAN's Action API, DCAT-AP, the
    SensorThings root and a service's public performance page."""
    production.civic(
        "shell",
        "-c",
        "from civic.opendata.tasks import datasets_regenerate_task as t; t.delay()",
    )
    deadline, status = time.monotonic() + 180, ""
    while time.monotonic() < deadline:
        status = production.civic("opendata", "status").stdout
        if "population-by-neighbourhood-age-sex  v1" in status:
            break
        time.sleep(2)
    assert "population-by-neighbourhood-age-sex  v1" in status, status
    assert "civic.opendata.datasets_regenerate" in production.log("worker")
    with production.browser() as browser:
        catalogue = browser.get("/data/")
        assert catalogue.status_code == 200 and "/data/population-by-neighbourhood-age-sex/" in (
            catalogue.text
        )
        names = browser.get("/api/3/action/package_list").json()
        assert names["success"] and "population-by-neighbourhood-age-sex" in names["result"]
        dcat = browser.get("/catalog.ttl")
        assert dcat.status_code == 200 and "dcat:Dataset" in dcat.text
        sensors = browser.get("/sta/v1.1/")
        assert sensors.status_code == 200 and "Datastreams" in sensors.text
        assert browser.get("/performance/parking-permit/").status_code == 200


def test_a_backlog_is_read_and_routed_by_the_worker_through_the_installed_command(
    production, tmp_path
):
    """`civic documents process` of the installed package hands each document to the Celery
    worker on RabbitMQ (CIVIC_DOCUMENTS_PROCESSING=celery) and reports what it read: a letter
    naming a resident and no case goes to the intake queue, a scan is OCR'd, an empty file is
    refused and the batch goes on."""
    from tests.documents import samples

    resident = production.civic(
        "shell",
        "-c",
        "from civic.registers.selectors import demo_resident_personal_number as d; print(d())",
    ).stdout.split()[-1]
    folder = tmp_path / "backlog"
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(samples.letter_pdf([samples.DUTCH, f"BSN {resident}"]))
    (folder / "scan.png").write_bytes(samples.encoded(samples.scan_image([samples.ENGLISH])))
    (folder / "empty.pdf").write_bytes(b"")
    report = tmp_path / "report.json"
    run = production.civic(
        "documents", "process", "--folder", str(folder), "--report", str(report), "--no-progress"
    )
    assert "3 documents read now" in run.stdout, run.stdout
    rows = {row["file"]: row for row in json.loads(report.read_text())}
    assert rows["empty.pdf"]["refused"] == "empty"
    assert rows["letter.pdf"]["routed_to"] == "queue:havenstad"
    assert rows["letter.pdf"]["fields"]["personal_number"] == resident
    assert rows["scan.png"]["pages"] == 1 and rows["scan.png"]["type"] is not None
    assert production.log("worker").count("civic.documents.document_process") >= 3


RIVER_RULE_MADE = """
from civic.sensors import models as m
from civic.sensors.selectors import advisory_area
from civic.sensors.simulation.network import RIVER_RULE, network_ensure
stream = network_ensure()[("river-havenbrug", "water_level")]
rule = m.Rule.objects.create(name="High water", datastream_id=stream,
                             **{**RIVER_RULE, "duration_minutes": 0})
print(stream, advisory_area(rule)[0][0])
"""


def test_a_river_over_its_line_warns_a_subscribed_resident_by_email_through_the_worker(
    production, eid, smtp
):
    """A gauge's reading over the line, sent by the device to the installed package over
    HTTPS, issues a CAP advisory at once; the Celery worker sends it to the resident who chose
    that neighbourhood on their page, by email as they asked, and the CAP document is served."""
    from tests.production.conftest import SENSOR_KEY

    sink, _port = smtp
    made = production.civic("shell", "-c", RIVER_RULE_MADE).stdout.split()
    stream, area = int(made[-2]), made[-1]
    browser = eid_login(production, eid, a_resident(production))
    try:
        saved = post(
            browser,
            "/my/inbox/preferences/",
            {
                "channels": "email",
                "email": "river@havenstad.example",
                "phone": "",
                "language": "nl",
            },
        )
        assert saved.status_code == 302, saved.text
        chosen = post(browser, "/my/advisories/", {"neighbourhoods": area})
        assert chosen.status_code == 302, chosen.text
    finally:
        browser.close()
    with production.browser() as device:
        sent = device.post(
            "/sta/v1.1/CreateObservations",
            headers={"Authorization": f"Bearer {SENSOR_KEY}"},
            json=[
                {
                    "Datastream": {"@iot.id": stream},
                    "components": ["phenomenonTime", "result"],
                    "dataArray": [["2026-12-01T10:00:00Z", 2.1], ["2026-12-01T10:10:00Z", 2.9]],
                }
            ],
        )
        assert sent.status_code == 201, sent.text
        import email
        from email.header import decode_header, make_header

        mail = email.message_from_string(sink.wait_for("river@havenstad.example"))
        subject = str(make_header(decode_header(mail["Subject"])))
        assert subject.startswith("Hoog water bij"), subject  # in the resident's language
        feed = device.get("/advisories/feed.atom").text
        cap = re.search(r'href="([^"]+\.cap)"', feed).group(1)
        document = device.get(urlsplit(cap).path)
        assert document.headers["content-type"].startswith("application/cap+xml")
        assert "<msgType>Alert</msgType>" in document.text
    assert "civic.sensors.advisory_deliver" in production.log("worker")


DOCUMENTS_READ = """
from civic.documents.models import Document
rows = Document.objects.filter(channel__in=["email", "watched-folder"])
print(" ".join(f"{d.channel}:{d.status}" for d in rows.order_by("pk")))
"""


def test_the_mailbox_and_the_watched_folder_hand_what_comes_in_to_the_worker(production, tmp_path):
    """The installed package's two unattended channels as an operator runs them (`--once`
    here; services in production): a resident's e-mail to the intake mailbox on a real IMAP
    server (Dovecot), and a scan dropped in the mail room's folder. Each is taken in once and
    read by the Celery worker on RabbitMQ; the message is marked read, the file moved aside."""
    from tests.documents import samples
    from tests.documents.imap_server import PASSWORD, deliver, dovecot

    # Texts of their own: a document is stored once, and other tests here send the samples.
    letter = samples.letter_pdf([samples.DUTCH, "Per e-mail verzonden."])
    with dovecot(tmp_path / "imap") as server:
        deliver(server, "Bezwaar", [("bezwaar.pdf", letter, "application/pdf")])
        mailbox = {
            "CIVIC_DOCUMENTS_MAILBOX_HOST": server.host,
            "CIVIC_DOCUMENTS_MAILBOX_PORT": str(server.port),
            "CIVIC_DOCUMENTS_MAILBOX_SECURITY": "none",
            "CIVIC_DOCUMENTS_MAILBOX_USER": "intake",
            "CIVIC_DOCUMENTS_MAILBOX_PASSWORD": PASSWORD,
        }
        first = production.civic("documents", "mailbox", "--once", **mailbox)
        again = production.civic("documents", "mailbox", "--once", **mailbox)
    assert "1 messages read: 1 documents taken in" in first.stdout, first.stdout
    assert "0 messages read" in again.stdout, again.stdout  # marked read, not taken twice
    folder = tmp_path / "mail-room"
    folder.mkdir()
    scan = samples.scan_image([samples.ENGLISH, "Left in the mail room."])
    (folder / "scan.png").write_bytes(samples.encoded(scan))
    watched = production.civic(
        "documents", "watch", "--folder", str(folder), "--once", "--settle", "0"
    )
    assert "1 files taken in." in watched.stdout, watched.stdout
    assert not (folder / "scan.png").exists() and list((folder / ".received").rglob("scan.png"))
    deadline, read = time.monotonic() + 180, ""
    while time.monotonic() < deadline:
        # The last line: the shell may first say what it imported.
        read = production.civic("shell", "-c", DOCUMENTS_READ).stdout.splitlines()[-1].split()
        if read == ["email:processed", "watched-folder:processed"]:
            break
        time.sleep(2)
    assert read == ["email:processed", "watched-folder:processed"], read


def test_the_worker_records_the_days_digital_maturity_index_as_beat_sends_it(production):
    """The daily task of the digital-maturity index, sent as beat sends it, run by the worker
    on RabbitMQ; the public page of the installed package shows the index it recorded."""
    production.civic(
        "shell", "-c", "from civic.insights.tasks import maturity_record_task as t; t.delay()"
    )
    deadline, recorded = time.monotonic() + 120, ""
    while time.monotonic() < deadline:
        recorded = production.civic(
            "shell",
            "-c",
            "from civic.insights.models import MaturitySnapshot as m; print(m.objects.count())",
        ).stdout.split()[-1]
        if recorded == "1":
            break
        time.sleep(2)
    assert recorded == "1"
    assert "civic.insights.maturity_record" in production.log("worker")
    with production.browser() as browser:
        page = browser.get("/performance/maturity/")
        assert page.status_code == 200 and "out of 100" in page.text
