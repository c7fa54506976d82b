"""Key files made on first use, safely when several processes start at once.

A web server's workers, a Celery worker and a second test run can all start on a fresh
installation together, and each then finds no key and makes one. Opening the file with
``O_EXCL`` decides who makes it, but the others may read it in the moment between its
creation and its content being written, and so take an empty key (CI once ran a whole test
run with an empty SECRET_KEY that way). Here the content is written whole under a temporary
name and then hard-linked into place: the link fails rather than overwrite, so the file
appears complete or not at all, and every process uses the one that won.

Imports nothing of Civic: ``core.conf`` uses it while the settings are being read.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def key_file_create_once(path: Path, content: bytes) -> bytes:
    """What ``path`` holds, after writing ``content`` there if no file was there yet.

    The file is readable by its owner only. Whoever lost the race gets the winner's content.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:  # mkstemp made it 0600
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_bytes()
        return content
    finally:
        os.unlink(temporary)
