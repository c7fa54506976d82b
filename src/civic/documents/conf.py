"""Settings of document intake: where documents are stored, what a scan may be, how it is read.

Gathered by ``civic.settings``; imports nothing but ``core.config``.
"""

from __future__ import annotations

from civic.core.config import env

#: The alias in Django's STORAGES under which documents and their page images are stored.
DOCUMENTS_STORAGE_ALIAS = "documents"

DOCUMENTS_STORAGE_BACKEND = env(
    "CIVIC_DOCUMENTS_STORAGE_BACKEND",
    default="civic.core.storage.WholeFileSystemStorage",
    help="The Django storage class that keeps received documents and their page images "
    "(`documents/` under the media folder by default). Production points it at object storage: "
    "`storages.backends.s3.S3Storage` (django-storages, `pip install civic[s3]`) with "
    "`CIVIC_DOCUMENTS_STORAGE_BUCKET` and, for a store other than AWS's, "
    "`CIVIC_DOCUMENTS_STORAGE_ENDPOINT_URL`.",
    group="Documents",
)
DOCUMENTS_STORAGE_BUCKET = env(
    "CIVIC_DOCUMENTS_STORAGE_BUCKET",
    default="",
    help="The object store's bucket for documents, when `CIVIC_DOCUMENTS_STORAGE_BACKEND` is "
    "S3Storage (empty: no options are given to the backend). Its credentials are boto3's own: "
    "`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` in the environment, or the machine's role; "
    "Civic's settings never hold them.",
    group="Documents",
)
DOCUMENTS_STORAGE_ENDPOINT_URL = env(
    "CIVIC_DOCUMENTS_STORAGE_ENDPOINT_URL",
    default="",
    help="The S3 endpoint of the object store (MinIO, Ceph's radosgw, a cloud's), for instance "
    "`https://objects.example.org`; empty: AWS's, by the region in `AWS_DEFAULT_REGION`.",
    group="Documents",
)
DOCUMENTS_MAX_IMAGE_SIDE = env(
    "CIVIC_DOCUMENTS_MAX_IMAGE_SIDE",
    default=15_000,
    kind=int,
    help="Widest or tallest image (or PDF page at the OCR resolution) accepted, in pixels; "
    "larger ones are refused before they are decoded (A3 at 600 dpi is 9,921 px tall).",
    group="Documents",
)
DOCUMENTS_MAX_IMAGE_PIXELS = env(
    "CIVIC_DOCUMENTS_MAX_IMAGE_PIXELS",
    default=60_000_000,
    kind=int,
    help="Most pixels an image may decode to (Pillow's MAX_IMAGE_PIXELS, set explicitly); a "
    "file that claims more is refused as a decompression bomb. A4 at 600 dpi is 35 million.",
    group="Documents",
)
DOCUMENTS_OCR_LANGUAGES = env(
    "CIVIC_DOCUMENTS_OCR_LANGUAGES",
    default="nld+eng",
    help="Tesseract's languages for scans, joined by `+` (Debian packages "
    "tesseract-ocr-nld and tesseract-ocr-eng).",
    group="Documents",
)
DOCUMENTS_OCR_DPI = env(
    "CIVIC_DOCUMENTS_OCR_DPI",
    default=300,
    kind=int,
    help="Resolution at which a PDF page without a text layer is rendered for OCR.",
    group="Documents",
)
DOCUMENTS_OCR_UNREAD_INK = env(
    "CIVIC_DOCUMENTS_OCR_UNREAD_INK",
    default=True,
    kind=bool,
    help="Read again, for a personal number or an IBAN, the bands of a scan whose ink OCR left "
    "unread (a block under a stamp tesseract took for a picture). On a stamped or marked page "
    "it takes nearly half as much time again; off, fewer such numbers are found and redacted "
    "(docs/documents.md).",
    group="Documents",
)
DOCUMENTS_PAGE_IMAGE_DPI = env(
    "CIVIC_DOCUMENTS_PAGE_IMAGE_DPI",
    default=100,
    kind=int,
    help="Resolution of the page image kept for the caseworker of a PDF page that has a text "
    "layer (a scanned page keeps the upright image OCR read).",
    group="Documents",
)
DOCUMENTS_MIN_TEXT_LAYER_CHARS = env(
    "CIVIC_DOCUMENTS_MIN_TEXT_LAYER_CHARS",
    default=20,
    kind=int,
    help="A PDF page whose text layer has fewer letters and digits than this is read by OCR "
    "instead (a scan with a page number stamped on it, say).",
    group="Documents",
)
DOCUMENTS_CLASSIFIER_THRESHOLD = env(
    "CIVIC_DOCUMENTS_CLASSIFIER_THRESHOLD",
    default=0.4,
    kind=float,
    help="Confidence (0 to 1) below which the document-type classifier's answer is not used: "
    "the document is of type `other` and goes to a person. docs/documents.md shows, for the "
    "shipped model on unseen templates, how many documents each threshold sends to a person "
    "and how many wrong types it lets through.",
    group="Documents",
)
DOCUMENTS_CLASSIFIER_MODEL = env(
    "CIVIC_DOCUMENTS_CLASSIFIER_MODEL",
    default="",
    help="Path of a document-type model made by `civic documents train`; empty: the model "
    "shipped in the package. Only point it at a file you made: a model file is a pickle.",
    group="Documents",
)


def documents_storage_options(bucket: str, endpoint_url: str) -> dict[str, object]:
    """The object-storage backend's options (django-storages' S3Storage): a document's name is
    its hash, so one written twice is the same file, and nothing is readable without the
    store's credentials (no public ACL, links signed by the backend when asked)."""
    if not bucket:
        return {}
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "default_acl": None,
        "querystring_auth": True,
    }


#: Django's storage for documents, added to STORAGES by the settings module.
DOCUMENTS_STORAGES = {
    DOCUMENTS_STORAGE_ALIAS: {
        "BACKEND": DOCUMENTS_STORAGE_BACKEND,
        "OPTIONS": documents_storage_options(
            DOCUMENTS_STORAGE_BUCKET, DOCUMENTS_STORAGE_ENDPOINT_URL
        ),
    }
}
DOCUMENTS_PROCESSING = env(
    "CIVIC_DOCUMENTS_PROCESSING",
    default="inline",
    choices=("inline", "celery"),
    help="Where a document sent by a resident or staff is read and routed: `inline` (in the "
    "same process, right after it is stored: the embedded default) or `celery` (a task on the "
    "workers; the backlog command then hands its documents to the workers too).",
    group="Documents",
)
DOCUMENTS_MAILBOX_HOST = env(
    "CIVIC_DOCUMENTS_MAILBOX_HOST",
    default="",
    help="IMAP server of the mailbox residents and partners send documents to; empty: no "
    "mailbox. `civic documents mailbox` takes every unread message's attachments in.",
    group="Documents",
)
DOCUMENTS_MAILBOX_PORT = env(
    "CIVIC_DOCUMENTS_MAILBOX_PORT",
    default=993,
    kind=int,
    help="IMAP port (993 for TLS from the start, 143 for STARTTLS or none).",
    group="Documents",
)
DOCUMENTS_MAILBOX_SECURITY = env(
    "CIVIC_DOCUMENTS_MAILBOX_SECURITY",
    default="tls",
    choices=("tls", "starttls", "none"),
    help="How the IMAP connection is protected: `tls` from the start, `starttls`, or `none` "
    "(only on a host's own loopback, as in the tests).",
    group="Documents",
)
DOCUMENTS_MAILBOX_USER = env(
    "CIVIC_DOCUMENTS_MAILBOX_USER", default="", help="IMAP user name.", group="Documents"
)
DOCUMENTS_MAILBOX_PASSWORD = env(
    "CIVIC_DOCUMENTS_MAILBOX_PASSWORD",
    default="",
    help="IMAP password.",
    group="Documents",
)
DOCUMENTS_MAILBOX_FOLDER = env(
    "CIVIC_DOCUMENTS_MAILBOX_FOLDER",
    default="INBOX",
    help="The IMAP folder read; its unread messages are taken in and then marked read.",
    group="Documents",
)
DOCUMENTS_UNLINKED_RETENTION_YEARS = env(
    "CIVIC_DOCUMENTS_UNLINKED_RETENTION_YEARS",
    default=1,
    kind=int,
    help="Years after its receipt that a document linked to no case (refused, unrouted, or "
    "left in an agency's queue) is kept; the retention run then erases it with its pages. A "
    "document linked to a case is kept as long as the case keeps its personal data.",
    group="Documents",
)
