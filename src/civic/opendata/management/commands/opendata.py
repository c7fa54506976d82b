"""civic opendata regenerate [NAME ...] | status"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from civic.opendata.datasets import definitions
from civic.opendata.models import Dataset
from civic.opendata.services import PublisherMissing, dataset_regenerate


class Command(BaseCommand):
    help = "Regenerate the open datasets, or show what is published."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        regenerate = sub.add_parser("regenerate", help="build datasets again (all by default)")
        regenerate.add_argument("names", nargs="*", help="dataset names (CKAN's name)")
        sub.add_parser("status", help="every dataset: its version online and its last error")

    def handle(self, *args, action, **options):
        if action == "status":
            for dataset in Dataset.objects.select_related("current").order_by("name"):
                version = f"v{dataset.current.number}" if dataset.current else "unpublished"
                error = f"  last error: {dataset.last_error}" if dataset.last_error else ""
                self.stdout.write(f"{dataset.name}  {version}{error}")
            return
        known = [d.name for d in definitions()]
        names = options["names"] or known
        unknown = sorted(set(names) - set(known))
        if unknown:
            raise CommandError(f"no dataset called {', '.join(unknown)}; known: {', '.join(known)}")
        failed = 0
        for name in names:
            try:
                version = dataset_regenerate(name=name)
            except PublisherMissing as error:
                raise CommandError(str(error)) from None
            if version is None:
                failed += 1
                error = Dataset.objects.get(name=name).last_error
                self.stderr.write(f"{name}: failed, the last good version stays online ({error})")
            else:
                self.stdout.write(f"{name}: v{version.number} ({version.checksum[:12]})")
        if failed:
            raise CommandError(f"{failed} dataset(s) failed to regenerate")
