"""WSGI entry point for gunicorn: ``gunicorn civic.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
application = get_wsgi_application()

from civic.exchange.integrator import integrator_start  # noqa: E402 (needs Django set up)

integrator_start()
