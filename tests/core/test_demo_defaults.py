"""What `make demo` runs with when nobody sets anything: no DEBUG, so residents see Civic's own
error pages (not Django's technical 404 listing every URL) and static files are hashed."""

from __future__ import annotations

import os
import subprocess
import sys


def _settings_without_environment(tmp_path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CIVIC_", "DJANGO_", "PYTEST_"))
    }
    env["CIVIC_VAR_DIR"] = str(tmp_path)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'civic.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    debug, storage = done.stdout.split()
    return {"debug": debug, "storage": storage}


def test_the_demo_runs_without_debug_and_with_hashed_static_files(tmp_path):
    settings = _settings_without_environment(tmp_path)
    assert settings["debug"] == "False"
    assert settings["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
