"""File storage that never leaves half a file behind.

Django's FileSystemStorage writes an upload a chunk at a time; when the disk fills up (or a
size limit stops it) midway, it raises and leaves the partly written file in place, where no
row points at it. This storage removes what it wrote before passing the error on, so a
refused upload or receipt leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os

from django.core.files.storage import FileSystemStorage


class WholeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.exists(full_path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed:
                with contextlib.suppress(OSError):
                    os.remove(full_path)
            raise
