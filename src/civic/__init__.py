"""Civic: an open-source digital-government platform.

One Django project; one app per capability (see docs/architecture.md). Civic's Celery app
(civic/core/background.py, found by `celery -A civic` through civic/celery.py) is loaded when Django starts (core's AppConfig.ready), so every process sends
background work through it; importing `civic` alone (the access-log witness does, on hosts
without Civic) loads neither Django nor Celery.
"""

__version__ = "0.1.0"
