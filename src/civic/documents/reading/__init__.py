"""Reading a document's bytes into pages of text, without the database.

``document_pages_read(data, name)`` returns the pages, or raises :class:`Refused` with a reason
code (``models.Refusal``) and a detail; the services store either. Nothing here touches the
database or storage, so a backlog worker can run it in a process of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from civic.documents.reading.base import PageReading, Refused
from civic.documents.reading.sniff import media_type_of


def document_pages_read(data: bytes, name: str) -> tuple[str, Iterator[PageReading]]:
    """The document's media type (from its content) and its pages, read one by one.

    The type is checked before anything is decoded; the pages may still raise ``Refused``
    (a page too large, a damaged image) while they are read."""
    media_type = media_type_of(data, name)
    if media_type == "application/pdf":
        from civic.documents.reading.pdf import pdf_pages

        return media_type, pdf_pages(data)
    from civic.documents.reading.images import image_pages

    return media_type, image_pages(data)


__all__ = ["PageReading", "Refused", "document_pages_read", "media_type_of"]
