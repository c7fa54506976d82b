"""The four faults of faults.py, each against a stage (``section.Stage``, private servers, or
``smoke.SmokeStage``, the smoke run's): its ``env``, ``ask``, ``web_port``, ``hook_port`` and
``sizes`` (``FULL``, or smaller in a smoke run). Each returns its outcome: what was done, what
users saw, what was checked, and "passed" or "FAILED: why"."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from benchmarks.harness.servers import CIVIC, CeleryWorker, Managed, WebServer

WEB_PORT = 8140
HOOK_PORT = 8141
#: A full run's sizes: addresses per proactive chunk (about a second's work here), residents
#: who want their messages by e-mail, applicants sending when the web server is killed and
#: the threads they send from.
FULL = {"chunk": 600, "by_email": 800, "applicants": 120, "threads": 6}
CSRF = secrets.token_hex(16)  # a valid unmasked token, sent as cookie and header
CHECK = "/my/apply/parking-permit/check/"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _verdict(problems: list[str]) -> str:
    return "passed" if not problems else "FAILED: " + "; ".join(problems)


def _wait(until, timeout: float, step: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until():
            return True
        time.sleep(step)
    return bool(until())


def _send(base: str, session: str, timeout: float = 30) -> tuple[str, float]:
    """POST the check page of a ready draft: "sent", or what the resident saw instead."""
    began = time.time()
    try:
        answer = httpx.post(
            base + CHECK,
            cookies={"sessionid": session, "csrftoken": CSRF},
            headers={"X-CSRFToken": CSRF},
            data={"csrfmiddlewaretoken": CSRF},
            timeout=timeout,
        )
    except httpx.HTTPError as error:
        return f"no answer ({type(error).__name__})", began
    if answer.status_code == 302 and "/sent/" in answer.headers.get("location", ""):
        return "sent", began
    return f"{answer.status_code} {answer.headers.get('location', '')}".strip(), began


class Sender(threading.Thread):
    """Sends the applications of ``people`` one after another, ``pause`` apart."""

    def __init__(self, base: str, people: list[dict[str, Any]], pause: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.base, self.people, self.pause = base, people, pause
        self.seen: list[tuple[float, str, dict[str, Any]]] = []

    def run(self) -> None:
        for person in self.people:
            what, at = _send(self.base, person["session"])
            self.seen.append((at, what, person))
            time.sleep(self.pause)


def _send_all(base: str, people: list[dict[str, Any]], threads: int, pause: float = 0.0):
    senders = [Sender(base, people[i::threads], pause) for i in range(threads)]
    for sender in senders:
        sender.start()
    return senders


def _seen(senders: list[Sender]) -> list[tuple[float, str, dict[str, Any]]]:
    return sorted(x for s in senders for x in s.seen)


def _errors_window(seen, origin: float) -> dict[str, Any]:
    bad = [(at - origin, what) for at, what, _p in seen if what != "sent"]
    return {
        "requests": len(seen),
        "errors": len(bad),
        "first_error_s": round(bad[0][0], 1) if bad else None,
        "last_error_s": round(bad[-1][0], 1) if bad else None,
        "kinds": dict(Counter(what for _t, what in bad)),
    }


def _outbox_deliveries(outbox: Path) -> Counter:
    """How often each e-mail delivery id was written to the outbox (more than once: twice)."""
    found: Counter = Counter()
    for path in outbox.glob("*.log") if outbox.exists() else []:
        found.update(
            re.findall(r"^X-Civic-Delivery: (\d+)", path.read_text(errors="replace"), flags=re.M)
        )
    return found


def _mail_checks(out: dict[str, Any], outbox: Path, problems: list[str]) -> None:
    sent = out["e-mails by status"].get("sent", 0)
    if sent != out["e-mails"]:
        problems.append(f"{out['e-mails'] - sent} e-mails not sent ({out['e-mails by status']})")
    twice = [k for k, n in _outbox_deliveries(outbox).items() if n > 1]
    out["e-mails written twice"] = len(twice)
    if twice:
        problems.append(f"{len(twice)} e-mails sent twice")


def _application_checks(out: dict[str, Any], problems: list[str]) -> None:
    for key in (
        "drafts with two submissions",
        "submissions without a case",
        "cases with two receipts",
    ):
        if out[key]:
            problems.append(f"{key}: {out[key]}")
    if out["receipts"] != out["cases"]:
        problems.append(f"{out['cases']} cases but {out['receipts']} receipts")
    if out["drafts sent"] != out["drafts"] or out["submissions of these drafts"] != out["drafts"]:
        problems.append(
            f"{out['drafts']} drafts, {out['drafts sent']} sent, "
            f"{out['submissions of these drafts']} submissions of them"
        )


def _services(stage, *, workers: int = 1, beat: bool = False) -> list[Managed]:
    logs = stage.env["CIVIC_VAR_DIR"] + "/logs"
    name = stage.env["CIVIC_INSTANCE"]
    started: list[Managed] = [
        CeleryWorker(env=stage.env, name=name, concurrency=2, log=Path(logs, "worker.log"))
    ]
    if beat:
        started.append(
            Managed(
                [
                    str(CIVIC.with_name("celery")),
                    "-A",
                    "civic",
                    "beat",
                    "--schedule",
                    f"{logs}/beat-schedule",
                ],
                env=stage.env,
                log=Path(logs, "beat.log"),
            )
        )
    web = WebServer(
        env=stage.env, port=stage.web_port, workers=workers, threads=4, log=Path(logs, "web.log")
    )
    started.append(web)
    for process in started:
        process.start()
    web.wait_ready()
    return started


def _stop(processes: list[Managed]) -> None:
    for process in processes:
        process.stop()


# --- 1. a Celery worker killed mid-task ----------------------------------------------------------


def worker_killed(stage) -> dict[str, Any]:
    sizes = stage.sizes
    stage.ask("mail_preferences", {"count": sizes["by_email"], "seed": 11})
    expected = stage.ask("proactive_reset", {})
    outbox = Path(stage.env["CIVIC_VAR_DIR"], "outbox")
    logs = Path(stage.env["CIVIC_VAR_DIR"], "logs")
    name = stage.env["CIVIC_INSTANCE"]
    first = CeleryWorker(env=stage.env, name=f"{name}-1", concurrency=1, log=logs / "worker-1.log")
    first.start()
    run = Managed(
        [str(CIVIC), "proactive", "run", "--fresh", "--chunk-size", str(sizes["chunk"])],
        env=stage.env,
        log=logs / "proactive.log",
    )
    chunk = "task civic.decisions.proactive_chunk_evaluate ran"

    def ran(log: Path) -> int:
        text = log.read_text(errors="replace") if log.exists() else ""
        return text.count(chunk)

    run.start()
    began = time.monotonic()
    # A chunk takes about a second: the first one done, the next is in the worker's hands
    # (one message prefetched, acknowledged only when it has run).
    _wait(lambda: ran(first.log) >= 1, timeout=300, step=0.05)
    time.sleep(0.3)
    done_before = ran(first.log)
    first.kill()  # SIGKILL to the worker and its pool: the chunk in hand dies with it
    killed_at = time.monotonic() - began
    time.sleep(5)
    second = CeleryWorker(env=stage.env, name=f"{name}-2", concurrency=2, log=logs / "worker-2.log")
    second.start()
    try:
        assert run.process is not None
        run.process.wait(timeout=900)
        out = stage.ask("proactive_outcome", {})
        _wait(
            lambda: (
                stage.ask("proactive_outcome", {})["offer e-mails by status"].get("sent", 0)
                >= out["offer e-mails"]
            ),
            timeout=120,
            step=5,
        )
        out = stage.ask("proactive_outcome", {})
    finally:
        second.stop()
    out["chunk tasks run to the end"] = ran(first.log) + ran(second.log)
    problems = []
    if out["run status"] != "done" or out["chunks done"] != out["chunks"]:
        problems.append(f"run {out['run status']}, {out['chunks done']} of {out['chunks']} chunks")
    if out["offers"] != expected["offers"]:
        problems.append(f"{out['offers']} offers, {expected['offers']} before")
    # At least once, and at most once more: the chunk in the killed worker's hands may have
    # run to its end just before the kill, unacknowledged, and then runs again (idempotent:
    # the offers and messages below show nothing was made twice). Seen on a loaded machine.
    if not out["chunks"] <= out["chunk tasks run to the end"] <= out["chunks"] + 1:
        problems.append(f"{out['chunk tasks run to the end']} chunk tasks ran for {out['chunks']}")
    if out["offers counted by the chunks"] != out["offers"]:
        problems.append("chunks counted other offers than were made")
    if out["residents told more often than due"]:
        problems.append(f"{out['residents told more often than due']} residents told twice")
    if out["offer messages"] != out["offer messages due"]:
        problems.append(f"{out['offer messages']} offer messages, {out['offer messages due']} due")
    sent = out["offer e-mails by status"].get("sent", 0)
    if sent != out["offer e-mails"]:
        problems.append(f"{out['offer e-mails'] - sent} offer e-mails not sent")
    ids = {str(i) for i in out.pop("offer e-mail delivery ids")}
    twice = [k for k, n in _outbox_deliveries(outbox).items() if k in ids and n > 1]
    if twice:
        problems.append(f"{len(twice)} offer e-mails written twice")
    return {
        "done": f"`civic proactive run --fresh` ({out['chunks']} chunks of {sizes['chunk']} "
        f"addresses; {sizes['by_email']} residents want their messages by e-mail too) on one "
        "worker (1 process); SIGKILL "
        f"to that worker and its pool {killed_at:.1f} s in, 0.3 s after its chunk task number "
        f"{done_before} had finished, with the next one in hand; a new worker (2 processes) "
        "5 s later",
        "users saw": "nothing: the run is background work; `civic proactive run` waited and "
        f"finished ({run.process.returncode if run.process else '?'} exit code)",
        "expected": expected,
        "checked": out,
        "e-mails written twice": len(twice),
        "result": _verdict(problems),
    }


# --- 2. RabbitMQ and PostgreSQL restarted under load: faults_restarts.py ----------------------


# --- 3. the media disk full: faults_disk.py ----------------------------------------------------------

# --- 4. the web server killed mid-submission ------------------------------------------------------


def web_server_killed(stage) -> dict[str, Any]:
    count, threads = stage.sizes["applicants"], stage.sizes["threads"]
    half = count // 2
    people = stage.ask("applicants", {"count": count, "seed": 41})
    since = _now()
    processes = _services(stage, workers=1)
    web = processes[-1]
    assert isinstance(web, WebServer)
    base = f"http://127.0.0.1:{stage.web_port}"
    origin = time.time()
    try:
        first = _send_all(base, people[:half], threads=threads)
        time.sleep(1.0)
        import os

        worker_pid = web.worker_pids()[0]
        os.kill(worker_pid, signal.SIGKILL)  # the master starts a new worker
        moments = {"worker SIGKILLed": time.time() - origin}
        for sender in first:
            sender.join(timeout=120)
        second = _send_all(base, people[half:], threads=threads)
        time.sleep(1.0)
        web.kill()  # the master and its worker: nobody answers until it is started again
        moments["server SIGKILLed"] = time.time() - origin
        for sender in second:
            sender.join(timeout=120)
        web.start()
        web.wait_ready()
        moments["server started again"] = time.time() - origin
        seen = _seen(first) + _seen(second)
        again = [p for _t, what, p in seen if what != "sent"]
        resent = [_send(base, p["session"])[0] for p in again]
        twice = [_send(base, p["session"])[0] for p in people[:10]]  # a retry of a sent one
        # A web process killed between its commit and handing the e-mail to Celery leaves the
        # delivery queued, for beat's retry of due deliveries (every minute): one tick now.
        time.sleep(2)
        waiting = stage.ask("outcome", {"since": since})["e-mails by status"].get("queued", 0)
        stage.ask("beat_tick", {})
        _wait(
            lambda: (
                (o := stage.ask("outcome", {"since": since}))["e-mails by status"].get("sent", 0)
                >= o["e-mails"]
            ),
            timeout=90,
            step=5,
        )
        out = stage.ask("outcome", {"since": since, "drafts": [p["draft"] for p in people]})
    finally:
        _stop(processes)
    problems: list[str] = []
    _application_checks(out, problems)
    _mail_checks(out, Path(stage.env["CIVIC_VAR_DIR"], "outbox"), problems)
    if any(what != "sent" for what in resent + twice):
        problems.append(f"sending again did not show the sent page: {Counter(resent + twice)}")
    return {
        "done": f"{count} residents send applications from {threads} threads to one gunicorn "
        f"worker; 1 s in, SIGKILL to the worker (the master starts another); with the next "
        f"{half}, SIGKILL to master and worker, then `civic serve` started again; every "
        "resident whose send failed sends again, and 10 who had succeeded send once more; "
        "then beat's retry of due deliveries, sent once (beat sends it every minute)",
        "moments_s": {k: round(v, 1) for k, v in moments.items()},
        "users saw": _errors_window(seen, origin),
        "sent again afterwards": dict(Counter(resent)),
        "sent once more after success": dict(Counter(twice)),
        "e-mails still queued once the server was back (for beat's retry)": waiting,
        "checked": out,
        "result": _verdict(problems),
    }
