"""Virus scanners for uploads, a plugin kind: ``base.py`` (the interface), ``registry.py``
(the scanners by key, and the one CIVIC_UPLOAD_SCANNER chooses), ``contrib/`` (the scanners
shipped with Civic). See docs/plugins.md."""
