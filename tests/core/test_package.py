"""The package that operators install carries everything a page needs: the built front-end
assets, templates, translations, migrations, the rule package's data and the demo
jurisdiction's set-up (a wheel without the assets served 500 on every page)."""

from __future__ import annotations

import zipfile


def test_the_wheel_carries_the_front_end_assets_and_everything_else_a_page_needs(wheel):
    """``wheel`` (tests/conftest.py) is built from this checkout."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "civic/frontend/build/civic/civic.css",
        "civic/frontend/build/govuk/govuk-frontend.min.js",
        "civic/frontend/build/govuk/assets/images/favicon.ico",
        "civic/static/civic/init.js",
        "civic/templates/base.html",
        "civic/locale/nl/LC_MESSAGES/django.mo",
        "civic/identity/migrations/0001_initial.py",
        "openfisca_civic/translations/nl.yaml",
        "civic/setup/data/havenstad/setup.yaml",
        "civic/setup/data/havenstad/catalogue/services.json",
        "civic/setup/data/havenstad/case-types/workflow.json",
    ):
        assert needed in names, needed
    assert any(n.startswith("openfisca_civic/parameters/") for n in names)
