"""The fault section in a smoke run: faults 1 (a Celery worker SIGKILLed mid-task) and 4 (the
web server SIGKILLed mid-submission), with the same checks as a full run, on a stage of the
smoke run's own on the machine's shared servers:

- a copy of the smoke run's 300-resident demo (harness/build.py) in a PostgreSQL database of
  the run's own, in its own var folder;
- the shared RabbitMQ under a Celery instance named after the run's process
  (``faults_smoke_PID``; its queues deleted afterwards), so the workers killed and started
  here take no one else's tasks and no one else takes theirs;
- free ports for ``civic serve`` and the webhook receiver;
- smaller sizes (the registry's): proactive chunks of a few addresses, so that the run has chunks
  enough for one to be in the killed worker's hands; a few applicants.

Faults 2 and 3 do not run here, each saying why (``NOT_RUN``). Nothing needs root.
"""

from __future__ import annotations

from typing import Any

from benchmarks.faults.section import faults_run, stage_env
from benchmarks.harness import context
from benchmarks.harness import django_call as in_django
from benchmarks.harness.broker import SHARED_BROKER, own_instance
from benchmarks.harness.build import SMOKE_RESIDENTS, demo_build
from benchmarks.harness.paths import POSTGRES_SERVER
from benchmarks.harness.report import say
from benchmarks.harness.targets import Target

NOT_RUN = {
    "restarts": "stops and starts PostgreSQL and RabbitMQ, which in a smoke run are the "
    "machine's shared servers (a full run, as root, starts private ones)",
    "disk": "mounts a tmpfs over the media folder (root) and fills it; a full run does",
}


class SmokeStage:
    """What the scenarios need of a stage (see section.Stage), on the shared servers."""

    def __init__(self, instance: str, sizes: dict[str, Any]) -> None:
        run = context.current()
        self.sizes = sizes
        self.target = Target(
            "postgres",
            "PostgreSQL",
            run.var_dir("bench-faults"),
            f"{POSTGRES_SERVER}/{run.database('faults')}",
        )
        self.env = stage_env(self.target.var_dir, self.target.database_url, SHARED_BROKER, instance)
        self.web_port = run.port(8140)
        self.hook_port = run.port(8141)

    def build(self) -> None:
        environment = {**self.env, "CIVIC_PROACTIVE_RUNNER": "inline"}
        demo_build(self.target, residents=SMOKE_RESIDENTS, env=environment)

    def ask(self, function: str, spec: Any = None) -> Any:
        return in_django.ask(self.env, function, spec, module="benchmarks.faults.django_side")


def run(sizes: dict[str, Any]) -> list[str]:
    """Faults 1 and 4 at smoke size; the faults that failed."""
    with own_instance("faults") as instance:
        stage = SmokeStage(instance, sizes)
        stage.build()
        say(f"faults: on a copy of the smoke build, Celery instance {instance}")
        return faults_run(stage, ["worker", "web"], NOT_RUN)
