"""Every process sends its background work through Civic's own Celery app, on its own broker
and queue; a worker refuses work sent by another installation sharing the broker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def test_a_web_or_cli_process_sends_tasks_through_civics_app_with_its_broker_and_queue():
    code = (
        "import django; django.setup()\n"
        "from civic.notify.tasks import message_deliver_task as t\n"
        "print(t.app.main, t.app.conf.broker_url, t.app.amqp.router.route({}, t.name)['queue'].name)"
    )
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("CIVIC_", "DJANGO_", "BROKER"))
    }
    environment |= {
        "BROKER_URL": "amqp://civic:pw@rabbit.internal:5672/havenstad",
        "CIVIC_INSTANCE": "havenstad",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, "DJANGO_SETTINGS_MODULE": "civic.settings"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "civic",
        "amqp://civic:pw@rabbit.internal:5672/havenstad",
        "havenstad",
    ]


def test_an_instance_name_that_is_not_a_simple_word_is_refused():
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CIVIC_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "civic", "config", "check"],
        env={**environment, "CIVIC_INSTANCE": "havenstad prod"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "CIVIC_INSTANCE must be" in result.stderr


def test_a_worker_refuses_a_task_sent_by_another_installation(settings, capsys):
    require_service("RabbitMQ", "127.0.0.1", 5672)
    from celery.contrib.testing.worker import start_worker

    from civic.celery import app

    ran: list[str] = []

    @app.task(name="tests.core.remember")
    def remember(word: str) -> None:
        ran.append(word)

    from tests.core.test_observability import _dead_letters_cleared

    _dead_letters_cleared(app, settings.INSTANCE)
    own = settings.INSTANCE
    settings.INSTANCE = "another-city"  # what the other installation stamps on its tasks
    remember.delay("theirs")
    settings.INSTANCE = own
    remember.delay("ours")
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        import time

        deadline = time.monotonic() + 20
        while "ours" not in ran and time.monotonic() < deadline:
            time.sleep(0.1)
    assert ran == ["ours"]
    # Kept where an operator sees it, not run and not lost.
    from django.core.management import call_command

    call_command("tasks", "dead")
    assert "tests.core.remember  args=('theirs',)" in capsys.readouterr().out
