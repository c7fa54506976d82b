"""`civic privacy export PERSONAL_NUMBER --output FILE`: a verb of the `privacy` command."""

from __future__ import annotations

import getpass
import logging
import os
from pathlib import Path

from django.core.management.base import CommandError

from civic.compliance.export import person_export_json
from civic.core.errors import CivicError

logger = logging.getLogger("civic.privacy")


def add_verbs(sub) -> None:
    export = sub.add_parser(
        "export",
        help="a person's access and portability export (GDPR arts. 15 and 20) as JSON, "
        "with a top-level access_log list; the register reads are logged",
    )
    export.add_argument("personal_number", metavar="PERSONAL_NUMBER")
    export.add_argument(
        "--output",
        required=True,
        metavar="FILE",
        help="a new file to write it to (an existing file or a link is refused); - for stdout",
    )
    export.add_argument(
        "--case",
        default="",
        metavar="REFERENCE",
        help="the data-subject request's case, named in the access log with every read",
    )


def _export(command, *, personal_number: str, output: str, case: str = "", **_options) -> None:
    path = None if output == "-" else Path(output)
    if path is not None and (path.exists() or path.is_symlink()):
        raise CommandError(f"{path} exists; the export is written to a new file only")
    try:
        data = person_export_json(personal_number=personal_number, case=case)
    except CivicError as error:
        raise CommandError(str(error)) from None
    # Who ran it, beside the reads the exchange logged: the log names the job, not the person.
    logger.info(
        "privacy export run by %s (case %s), %d bytes", getpass.getuser(), case or "-", len(data)
    )
    if path is None:
        command.stdout.write(data.decode())
        return
    # Personal data: made readable by whoever ran it only, from the first byte; never through a
    # link someone else placed, never over a file that exists.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    command.stderr.write(f"written {len(data):,} bytes to {path}")


VERBS = {"export": _export}
