"""Civic: an open-source digital-government platform.

One Django project; one app per capability (see docs/architecture.md). The Celery app is
imported here so that every process sends background work through Civic's own app (its broker,
its queue), never Celery's default one.
"""

from civic.celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["celery_app"]
