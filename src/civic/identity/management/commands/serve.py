"""civic serve: run Civic under gunicorn, the production-grade WSGI server."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civic.core.config import env

WORKERS = env(
    "CIVIC_WEB_WORKERS",
    default=2,
    kind=int,
    group="Operations",
    help="gunicorn worker processes for `civic serve`.",
)
THREADS = env(
    "CIVIC_WEB_THREADS",
    default=4,
    kind=int,
    group="Operations",
    help="Threads per gunicorn worker.",
)


class Command(BaseCommand):
    help = "Serve Civic with gunicorn (workers and threads from CIVIC_WEB_WORKERS/THREADS)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, bind, **options):
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment: pip install civic")
        argv = [
            gunicorn,
            "civic.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            # gunicorn's own lines in Civic's format; no access log of its own: Civic logs each
            # request with its route, where gunicorn would print the path and query string.
            "--config",
            "python:civic.core.gunicorn_conf",
        ]
        # gunicorn believes X-Forwarded-Proto (for the request's scheme) only from the trusted
        # proxies, as Civic's own middleware does for the client's address; none set: nobody.
        os.environ["FORWARDED_ALLOW_IPS"] = ",".join(settings.TRUSTED_PROXIES)
        logging.getLogger("civic.serve").info(
            "Serving on http://%s/ with gunicorn (%s workers × %s threads); Ctrl-C stops.",
            bind,
            WORKERS,
            THREADS,
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        # Request metrics from every worker process, shared through files (core/metrics.py).
        metrics_dir = Path(settings.VAR_DIR) / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        from civic.core import traces

        traces.traces_flush()  # spans this process ended (`civic demo`'s set-up) go first
        os.execv(gunicorn, argv)  # noqa: S606 (replace this process with the server)
