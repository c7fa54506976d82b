"""Fault 2 of faults.py: RabbitMQ, then PostgreSQL, restarted (the private ones) while
residents send applications and a register feed moves residents, whose events go to a
partner's webhook (a small HTTP server here that counts what it receives)."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.faults.scenarios import (
    _application_checks,
    _errors_window,
    _mail_checks,
    _now,
    _seen,
    _send,
    _send_all,
    _services,
    _stop,
    _verdict,
    _wait,
)
from benchmarks.harness.django_call import shell_argv, shell_code
from benchmarks.harness.servers import Managed


class Hook(http.server.BaseHTTPRequestHandler):
    received: list[str] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with contextlib.suppress(ValueError, KeyError):
            Hook.received.append(json.loads(body)["id"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def broker_and_database_restarted(stage) -> dict[str, Any]:
    Hook.received = []
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", stage.hook_port), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    subscription = stage.ask("subscriber", {"url": f"http://127.0.0.1:{stage.hook_port}/events"})
    people = stage.ask("applicants", {"count": 240, "seed": 21})
    since = _now()
    processes = _services(stage, workers=2, beat=True)
    feed = Managed(
        [
            *shell_argv(
                shell_code(
                    "benchmarks.faults.django_side",
                    "moves",
                    {"seconds": 45, "seed": 5, "pause": 0.1},
                )
            ),
        ],
        env=stage.env,
        log=Path(stage.env["CIVIC_VAR_DIR"], "logs", "feed.log"),
    )
    origin = time.time()
    try:
        feed.start()
        senders = _send_all(f"http://127.0.0.1:{stage.web_port}", people, threads=4, pause=0.5)
        time.sleep(10)
        moments = {"RabbitMQ stopped": time.time() - origin}
        stage.rabbit.stop()
        time.sleep(5)
        stage.rabbit.start()
        moments["RabbitMQ back"] = time.time() - origin
        time.sleep(10)
        moments["PostgreSQL stopped"] = time.time() - origin
        stage.postgres.stop("fast")
        time.sleep(5)
        stage.postgres.start()
        moments["PostgreSQL back"] = time.time() - origin
        for sender in senders:
            sender.join(timeout=300)
        assert feed.process is not None
        feed.process.wait(timeout=300)
        seen = _seen(senders)
        again = [p for _t, what, p in seen if what != "sent"]
        stored_anyway = stage.ask("drafts_sent", {"drafts": [p["draft"] for p in again]})
        resent = [_send(f"http://127.0.0.1:{stage.web_port}", p["session"])[0] for p in again]
        text = feed.log.read_text()
        events = json.loads(text[text.index("RESULT ") + 7 :].splitlines()[0])
        accepted = {e["id"] for e in events["accepted"]}
        spec = {"since": since, "drafts": [p["draft"] for p in people], **subscription}

        def settled() -> bool:
            out = stage.ask("outcome", spec)
            return (
                set(out["event ids delivered"]) >= accepted
                and out["e-mails by status"].get("sent", 0) >= out["e-mails"]
            )

        _wait(settled, timeout=240, step=10)
        out = stage.ask("outcome", spec)
    finally:
        hook.shutdown()
        _stop(processes)
    problems: list[str] = []
    _application_checks(out, problems)
    _mail_checks(out, Path(stage.env["CIVIC_VAR_DIR"], "outbox"), problems)
    delivered, ids = set(out.pop("event ids delivered")), out.pop("event ids")
    lost = accepted - set(ids)
    if lost:
        problems.append(f"{len(lost)} accepted events without a delivery")
    if accepted - delivered:
        problems.append(f"{len(accepted - delivered)} accepted events not delivered")
    if out["events with two deliveries"]:
        problems.append(f"{out['events with two deliveries']} events with two deliveries")
    twice = sum(1 for n in Counter(Hook.received).values() if n > 1)
    if twice:
        problems.append(f"{twice} events received twice by the subscriber")
    return {
        "done": "240 residents send applications (4 threads, 0.5 s apart) while a register "
        "feed moves residents for 45 s (each move an event to a partner's webhook); RabbitMQ "
        "stopped for 5 s, then PostgreSQL stopped (fast) for 5 s",
        "moments_s": {k: round(v, 1) for k, v in moments.items()},
        "users saw": _errors_window(seen, origin),
        "users saw, by outage": {
            name: _errors_window([x for x in seen if start - 1 <= x[0] - origin <= end + 5], origin)
            for name, (start, end) in {
                "RabbitMQ": (moments["RabbitMQ stopped"], moments["RabbitMQ back"]),
                "PostgreSQL": (moments["PostgreSQL stopped"], moments["PostgreSQL back"]),
            }.items()
        },
        "errors whose application had been stored all the same": stored_anyway,
        "sent again afterwards": dict(Counter(resent)),
        "feed": {
            "accepted": len(accepted),
            "failed": len(events["failures"]),
            "failures": dict(Counter(f["error"] for f in events["failures"])),
        },
        "subscriber received": len(Hook.received),
        "checked": out,
        "result": _verdict(problems),
    }
