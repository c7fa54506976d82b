from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    """Attachments, the mail outbox and the SMS log of each test in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.NOTIFY_DELIVERY = "inline"
    settings.SMS_PROVIDER = "outbox"
