"""`civic privacy export PERSONAL_NUMBER --output FILE`: a verb of the `privacy` command."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from civic.compliance.export import person_export_json
from civic.core.errors import CivicError


def add_verbs(sub) -> None:
    export = sub.add_parser(
        "export",
        help="a person's access and portability export (GDPR arts. 15 and 20) as JSON, "
        "with a top-level access_log list; the register reads are logged",
    )
    export.add_argument("personal_number", metavar="PERSONAL_NUMBER")
    export.add_argument(
        "--output", required=True, metavar="FILE", help="where to write it; - for stdout"
    )


def _export(command, *, personal_number: str, output: str, **_options) -> None:
    try:
        data = person_export_json(personal_number=personal_number)
    except CivicError as error:
        raise CommandError(str(error)) from None
    if output == "-":
        command.stdout.write(data.decode())
        return
    path = Path(output)
    path.write_bytes(data)
    path.chmod(0o600)  # personal data: readable by whoever ran it only
    command.stderr.write(f"written {len(data):,} bytes to {path}")


VERBS = {"export": _export}
