import pytest

# The `civic` command on a fresh migrated database of this run's engine (backlog tests).
from tests.setup.conftest import _migrated_template, fresh_database  # noqa: F401


@pytest.fixture
def media(settings, tmp_path):
    """Documents stored in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
