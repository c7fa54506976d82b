"""civic documents <verb>: document intake from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civic.documents.backlog import backlog_process, folder_files, report_write


class Command(BaseCommand):
    help = "Document intake: read a backlog folder of PDFs and scans (civic documents process)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        process = sub.add_parser(
            "process",
            help="Receive and read every file under a folder; resumable; a JSON report, one object a file.",
        )
        process.add_argument("--folder", required=True, type=Path, help="the folder to read")
        process.add_argument("--report", type=Path, help="write the JSON report to this file")
        process.add_argument(
            "--workers", type=int, default=1, help="processes reading at once (default 1)"
        )
        process.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, verb, **options):
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more.")
        total = len(folder_files(folder))
        with tqdm(
            total=total, unit="file", disable=options["no_progress"], desc="documents"
        ) as bar:
            run = backlog_process(folder, workers=options["workers"], progress=bar.update)
        if options["report"]:
            report_write(run.rows, options["report"])
        refused = sum(1 for row in run.rows if row.get("refused"))
        self.stdout.write(
            f"{total} files: {run.read} documents read now, {run.skipped} read before or duplicates, "
            f"{refused} refused, {run.failed} failed (a rerun retries these)."
        )
        if run.failed:
            raise CommandError(f"{run.failed} files could not be read; run the command again.")
