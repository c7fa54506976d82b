"""The locust users of the load benchmark (``benchmarks/load.py`` runs locust on this file).

A realistic mix on the demo jurisdiction, each request named by its kind:

- ``Visitor``: someone not logged in, browsing: the home page, the catalogue, a service page,
  a finder search;
- ``Resident``: logs in with the demo's one-time code (asks for a code with their personal
  number, reads it from the mail outbox as the resident reads their mail, enters it), then
  reads their page (dashboard, cases, inbox), browses, and now and then applies for a parking
  permit (start: a new draft pre-filled from the registers; three steps; send) and logs in anew;
- ``Caseworker``: logs in with the demo caseworker's password, works the queue (default, with
  filters), opens a case and changes its status;
- ``Partner``: queries the exchange API (HTTP Basic, the demo partner's client and grant) for
  one resident at a time.

Every user sends at most THROUGHPUT requests a second (locust's ``constant_throughput``), so
the users × THROUGHPUT is the offered load, and a server that cannot keep up shows it as
fewer requests a second and longer waits. Configured by environment variables that load.py
sets: LOAD_RESIDENTS (a file of personal numbers), LOAD_OUTBOX (the mail outbox folder),
LOAD_SECRET_KEY (to know the outbox address of a resident), LOAD_PARTNER (client id and
secret, JSON), LOAD_SUBJECTS (personal numbers the partner asks about), LOAD_THROUGHPUT;
LOAD_APPLY_FIRST=1 (a smoke run) has every resident send one application right after logging
in, so that a run of a few seconds has submissions to check.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import re
import time
from pathlib import Path

import pyotp
from locust import FastHttpUser, constant_throughput, task

THROUGHPUT = float(os.environ.get("LOAD_THROUGHPUT", "1"))
RESIDENTS = Path(os.environ.get("LOAD_RESIDENTS", "residents.txt")).read_text().split()
SUBJECTS = Path(os.environ.get("LOAD_SUBJECTS", "subjects.txt")).read_text().split()
OUTBOX = Path(os.environ.get("LOAD_OUTBOX", "outbox"))
SECRET_KEY = os.environ.get("LOAD_SECRET_KEY", "")
PARTNER = json.loads(os.environ.get("LOAD_PARTNER", '{"client_id": "", "secret": ""}'))
STAFF_PASSWORD = os.environ.get("LOAD_STAFF_PASSWORD", "")
STAFF_SECRET = os.environ.get("LOAD_STAFF_SECRET", "")
APPLY_FIRST = os.environ.get("LOAD_APPLY_FIRST") == "1"
CASEWORKERS = Path(os.environ.get("LOAD_CASEWORKERS", "caseworkers.txt")).read_text().split()
_caseworkers = iter(CASEWORKERS * 100)
SERVICES = ("child-benefit", "parking-permit", "dog-tax", "special-assistance")
SEARCHES = ("lost my job", "new baby", "moving house", "dog", "parking", "rent help")
QUEUE_FILTERS = (
    "?state=received",
    "?assigned=me&sort=-age",
    "?overdue=1",
    "?state=in_review&page=2",
)
PURPOSE = "child-benefit-assessment"
FIELDS = ["identity.given_names", "identity.birth_date", "residence.address"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(shown|form_version)" value="([^"]*)"')
CASE_LINK = re.compile(r'href="/staff/cases/([A-Z0-9-]+)/"')
TRANSITION = re.compile(
    r'name="transition" value="([a-z_-]+)"><input type="hidden" name="version" value="(\d+)"'
)
CODE = re.compile(r"code is (\d{6})")
ERROR_SUMMARY = re.compile(r'govuk-error-summary__list">\s*<li>(?:<a[^>]*>)?([^<]+)')


def outbox_address(personal_number: str) -> str:
    """As civic.identity.login.contrib.onetimecode.delivery files a code for a resident who
    registered no address of their own."""
    digest = hmac.new(
        SECRET_KEY.encode(), f"outbox:{personal_number}".encode(), hashlib.sha256
    ).hexdigest()[:20]
    return f"resident-{digest}@residents.civic.invalid"


class Outbox:
    """The newest login code per recipient, read from the outbox's files as they arrive."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: set[str] = set()
        self.codes: dict[str, str] = {}

    def _scan(self) -> None:
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        for entry in entries:
            if entry.name in self.seen:
                continue
            try:
                text = Path(entry.path).read_text(errors="replace")
            except OSError:
                continue
            if not text.rstrip().endswith("-" * 79):
                # Django's file backend creates the file, then writes the message and this
                # closing line: a file read in between is read again at the next scan.
                continue
            if "login code" not in text:
                self.seen.add(entry.name)
                continue
            to = re.search(r"^To: (\S+)", text, flags=re.M)
            code = CODE.search(text)
            if not (to and code):  # still being written
                continue
            self.seen.add(entry.name)
            self.codes[to.group(1)] = code.group(1)

    def take(self, address: str, *, timeout: float = 10) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._scan()
            if address in self.codes:
                return self.codes.pop(address)
            time.sleep(0.1)
        return None


OUTBOX_READER = Outbox(OUTBOX)


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Browsing(FastHttpUser):
    abstract = True
    wait_time = constant_throughput(THROUGHPUT)

    def browse(self) -> None:
        choice = random.random()
        if choice < 0.3:
            self.client.get("/", name="home")
        elif choice < 0.5:
            self.client.get("/services/", name="catalogue")
        elif choice < 0.8:
            self.client.get(f"/services/{random.choice(SERVICES)}/", name="service page")
        else:
            query = random.choice(SEARCHES).replace(" ", "+")
            self.client.get(f"/services/search/?q={query}", name="finder search")


class Visitor(Browsing):
    weight = 40

    @task
    def page(self) -> None:
        self.browse()


class Resident(Browsing):
    """Each resident comes from an address of their own (as behind the reverse proxy, which
    load.py trusts: CIVIC_TRUSTED_PROXIES), so the per-address limits of the login pages count
    each resident apart, as in production."""

    weight = 35

    def __init__(self, environment) -> None:
        address = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.default_headers = {"X-Forwarded-For": address}
        super().__init__(environment)

    def on_start(self) -> None:
        self.logged_in = False
        self.login()
        if APPLY_FIRST:
            self.apply()

    def on_login_page(self, url: str | None) -> bool:
        return "/login/" in (url or "")

    def login(self) -> None:
        self.client.cookiejar.clear()
        self.logged_in = False
        self.number = random.choice(RESIDENTS)
        page = self.client.get("/login/code/request/", name="login: code page")
        self.client.post(
            "/login/code/request/",
            data={"csrfmiddlewaretoken": _csrf(page.text or ""), "personal_number": self.number},
            name="login: ask for a code",
        )
        code = OUTBOX_READER.take(outbox_address(self.number))
        page = self.client.get("/login/code/", name="login: code page")
        with self.client.post(
            "/login/code/",
            data={"csrfmiddlewaretoken": _csrf(page.text or ""), "code": code or "000000"},
            name="login: enter the code",
            catch_response=True,
        ) as answer:
            if code is None:
                answer.failure("no code arrived in the outbox within 10 s")
            elif self.on_login_page(answer.url):
                answer.failure("the code was not accepted")
            else:
                self.logged_in = True

    @task(4)
    def page(self) -> None:
        self.browse()

    @task(4)
    def my_page(self) -> None:
        if not self.logged_in:
            self.login()
            return
        path, name = random.choice(
            [
                ("/my/", "my page: dashboard"),
                ("/my/cases/", "my page: cases"),
                ("/my/inbox/", "my page: inbox"),
            ]
        )
        with self.client.get(path, name=name, catch_response=True) as answer:
            if self.on_login_page(answer.url):
                answer.failure("sent to the login page")

    @task(1)
    def apply(self) -> None:
        if not self.logged_in:
            self.login()
            return
        base = "/my/apply/parking-permit/"
        start = dt.date.today() + dt.timedelta(days=random.randint(7, 60))
        answers = {
            "about_you": {},
            "car": {
                "licence_plate": f"{random.randint(10, 99)}-ABC-{random.randint(1, 9)}",
                "car_use": "own",
                "start_date": start.isoformat(),
            },
            "permit": {"permit_kind": "resident"},
        }
        page = self.client.get(base, name="apply: start (pre-filled draft)")
        for step, values in answers.items():
            if step != "about_you":
                page = self.client.get(f"{base}{step}/", name="apply: step page")
            html = page.text or ""
            hidden = dict(HIDDEN.findall(html))
            self.client.post(
                f"{base}{step}/",
                data={"csrfmiddlewaretoken": _csrf(html), **hidden, **values},
                name="apply: save a step",
            )
        page = self.client.get(f"{base}check/", name="apply: check answers")
        with self.client.post(
            f"{base}check/",
            data={"csrfmiddlewaretoken": _csrf(page.text or "")},
            name="apply: send",
            catch_response=True,
        ) as answer:
            if "/sent/" not in (answer.url or ""):
                answer.failure(f"not sent: ended at {answer.url}")

    @task(1)
    def login_again(self) -> None:
        self.login()


class Caseworker(FastHttpUser):
    weight = 10
    wait_time = constant_throughput(THROUGHPUT)

    def on_start(self) -> None:
        """The password, then the code the caseworker's authenticator app shows."""
        username = next(_caseworkers)
        page = self.client.get("/staff/login/", name="staff: login page")
        self.client.post(
            "/staff/login/",
            data={
                "csrfmiddlewaretoken": _csrf(page.text or ""),
                "username": username,
                "password": STAFF_PASSWORD,
            },
            name="staff: log in (password)",
        )
        page = self.client.get("/staff/login/code/", name="staff: code page")
        # A code is good once: wait for the next 30-second step if this one was used.
        step = int(time.time()) // 30
        code = pyotp.TOTP(STAFF_SECRET).generate_otp(step)
        with self.client.post(
            "/staff/login/code/",
            data={"csrfmiddlewaretoken": _csrf(page.text or ""), "code": code},
            name="staff: log in (second factor)",
            catch_response=True,
        ) as answer:
            if "/staff/login/" in (answer.url or ""):
                answer.failure("staff login refused")

    @task(3)
    def queue(self) -> None:
        if random.random() < 0.4:
            self.client.get("/staff/cases/", name="staff: queue")
        else:
            self.client.get(
                f"/staff/cases/{random.choice(QUEUE_FILTERS)}", name="staff: queue, filtered"
            )

    @task(2)
    def work_a_case(self) -> None:
        page = random.randint(1, 5)
        queue = self.client.get(
            f"/staff/cases/?state=received&page={page}", name="staff: queue, filtered"
        )
        references = CASE_LINK.findall(queue.text or "")
        if not references:
            return
        path = f"/staff/cases/{random.choice(references)}/"
        page = self.client.get(path, name="staff: case page")
        html = page.text or ""
        moves = [(t, v) for t, v in TRANSITION.findall(html) if t != "withdraw"]
        if not moves:
            return
        transition, version = moves[0]
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": _csrf(html),
                "action": "transition",
                "transition": transition,
                "version": version,
            },
            name="staff: change the status",
            catch_response=True,
        ) as answer:
            if answer.status_code == 409:
                # Another caseworker changed the case between our reading and our change (the
                # load's caseworkers share one queue): the page says so, as it should.
                answer.request_meta["name"] = "staff: change the status (409: changed meanwhile)"
                answer.success()
            elif answer.status_code != 200:
                found = ERROR_SUMMARY.search(answer.text or "")
                said = found.group(1).strip() if found else "?"
                if answer.status_code == 400 and "not possible for this case now" in said:
                    # The same race seen from the other side: the case had already moved on
                    # when this request read it, so the step no longer applies.
                    answer.request_meta["name"] = "staff: change the status (400: moved on)"
                    answer.success()
                else:
                    answer.failure(f"{answer.status_code}: {said}")


class Partner(FastHttpUser):
    weight = 15
    wait_time = constant_throughput(THROUGHPUT)

    def on_start(self) -> None:
        pair = f"{PARTNER['client_id']}:{PARTNER['secret']}".encode()
        self.auth = {"Authorization": "Basic " + base64.b64encode(pair).decode()}

    @task
    def query(self) -> None:
        body = {"subjects": [random.choice(SUBJECTS)], "fields": FIELDS, "purpose": PURPOSE}
        self.client.post(
            "/api/exchange/v1/persons/query",
            json=body,
            headers=self.auth,
            name="exchange: query",
        )
