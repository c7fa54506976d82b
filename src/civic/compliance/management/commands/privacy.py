"""civic privacy export PERSONAL_NUMBER --output FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civic.compliance.export import person_export_json
from civic.core.errors import CivicError


class Command(BaseCommand):
    help = "Data-subject rights: export everything Civic holds and logged about a person."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser(
            "export",
            help="a person's access and portability export (GDPR arts. 15 and 20) as JSON, "
            "with a top-level access_log list; the register reads are logged",
        )
        export.add_argument("personal_number", metavar="PERSONAL_NUMBER")
        export.add_argument(
            "--output", required=True, metavar="FILE", help="where to write it; - for stdout"
        )

    def handle(self, *args, action, **options):
        try:
            data = person_export_json(personal_number=options["personal_number"])
        except CivicError as error:
            raise CommandError(str(error)) from None
        if options["output"] == "-":
            self.stdout.write(data.decode())
            return
        path = Path(options["output"])
        path.write_bytes(data)
        path.chmod(0o600)  # personal data: readable by whoever ran it only
        self.stderr.write(f"written {len(data):,} bytes to {path}")
