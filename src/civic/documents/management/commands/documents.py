"""civic documents <verb>: document intake from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civic.documents.backlog import backlog_process, folder_files, report_write
from civic.documents.services import DocumentStoreError
from civic.documents.training.train import (
    CORPUS_FILE,
    DEFAULT_CLEAN,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
)


class Command(BaseCommand):
    help = (
        "Document intake: read and route a backlog folder of PDFs and scans (civic documents "
        "process); train the document-type classifier (civic documents train); write the "
        "caseworkers' corrections as training data (civic documents corrections)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        process = sub.add_parser(
            "process",
            help="Receive, read and route every file under a folder; resumable; a JSON report, "
            "one object a file.",
        )
        process.add_argument("--folder", required=True, type=Path, help="the folder to read")
        process.add_argument("--report", type=Path, help="write the JSON report to this file")
        process.add_argument(
            "--workers", type=int, default=1, help="processes reading at once (default 1)"
        )
        process.add_argument("--no-progress", action="store_true", help="no progress bar")
        train = sub.add_parser(
            "train",
            help="Generate (or take from the cache) the OCR'd training corpus, evaluate by "
            "template and train the document-type classifier.",
        )
        train.add_argument("--out", required=True, type=Path, help="write the model here")
        train.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the corpus's seed")
        train.add_argument(
            "--samples", type=int, default=DEFAULT_SAMPLES, help="pages in the corpus"
        )
        train.add_argument(
            "--corpus", type=Path, default=CORPUS_FILE, help="the OCR'd corpus cache (.jsonl.gz)"
        )
        train.add_argument(
            "--clean", type=int, default=DEFAULT_CLEAN, help="text-layer samples added (no OCR)"
        )
        train.add_argument("--workers", type=int, default=2, help="processes reading pages")
        train.add_argument("--no-evaluate", action="store_true", help="skip the evaluation")
        train.add_argument("--no-progress", action="store_true", help="no progress bar")
        train.add_argument(
            "--corrections",
            type=Path,
            help="caseworkers' corrections to learn from (written by `civic documents corrections`)",
        )
        watch = sub.add_parser(
            "watch",
            help="Take in every file dropped in a folder (a scanner's or the mail room's): "
            "received, moved to .received/, read and routed.",
        )
        watch.add_argument("--folder", required=True, type=Path, help="the folder to watch")
        watch.add_argument("--interval", type=float, default=5.0, help="seconds between looks")
        watch.add_argument(
            "--settle",
            type=float,
            default=2.0,
            help="seconds a file must be unchanged before it is taken (a copy in progress waits)",
        )
        watch.add_argument("--once", action="store_true", help="look once, then stop")
        mailbox = sub.add_parser(
            "mailbox",
            help="Take in the attachments of every unread message of the IMAP mailbox "
            "(CIVIC_DOCUMENTS_MAILBOX_*), then mark the messages read.",
        )
        mailbox.add_argument("--once", action="store_true", help="read once, then stop")
        mailbox.add_argument(
            "--interval", type=float, default=60.0, help="seconds between reads (default 60)"
        )
        corrections = sub.add_parser(
            "corrections", help="write caseworkers' corrections as training data (JSON lines)"
        )
        corrections.add_argument("--out", required=True, type=Path, help="write them here")

    def handle(self, *args, verb, **options):
        if verb == "train":
            return self._train(options)
        if verb == "corrections":
            return self._corrections(options["out"])
        if verb == "watch":
            return self._watch(options)
        if verb == "mailbox":
            return self._mailbox(options)
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more.")
        total = len(folder_files(folder))
        with tqdm(
            total=total, unit="file", disable=options["no_progress"], desc="documents"
        ) as bar:
            try:
                run = backlog_process(folder, workers=options["workers"], progress=bar.update)
            except DocumentStoreError as error:
                raise CommandError(
                    f"Stopped: {error}. The documents kept before it are kept; check "
                    "CIVIC_DOCUMENTS_STORAGE_BACKEND and its bucket, then run the command again."
                ) from error
        if options["report"]:
            report_write(run.rows, options["report"])
        refused = sum(1 for row in run.rows if row.get("refused"))
        self.stdout.write(
            f"{total} files: {run.read} documents read now, {run.skipped} read before or duplicates, "
            f"{refused} refused, {run.failed} failed (a rerun retries these)."
        )
        if run.failed:
            raise CommandError(f"{run.failed} files could not be read; run the command again.")

    def _train(self, options):
        from django.conf import settings

        from civic.documents.training.train import classifier_train

        if options["samples"] < 1 or options["workers"] < 1:
            raise CommandError("--samples and --workers must be 1 or more.")
        with tqdm(
            total=options["samples"], unit="page", disable=options["no_progress"], desc="corpus"
        ) as bar:
            about = classifier_train(
                out=options["out"],
                corpus=options["corpus"],
                seed=options["seed"],
                samples=options["samples"],
                clean=options["clean"],
                threshold=settings.DOCUMENTS_CLASSIFIER_THRESHOLD,
                workers=options["workers"],
                evaluate=not options["no_evaluate"],
                corrections=options["corrections"],
                progress=bar.update,
            )
        evaluation = about.get("evaluation")
        if evaluation:
            self.stdout.write(
                f"Unseen templates: macro-F1 {evaluation['macro_f1']:.3f} "
                f"({evaluation['macro_f1_decided']:.3f} with the threshold), "
                f"out-of-domain to a person {evaluation['out_of_domain']['to_person']:.1%}."
            )
        self.stdout.write(f"Model of {about['samples']} pages written to {options['out']}.")

    def _corrections(self, out: Path) -> None:
        from civic.documents.selectors import corrections_for_training

        rows = corrections_for_training()
        out.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
        )
        self.stdout.write(f"{len(rows)} corrected documents written to {out}.")

    def _watch(self, options) -> None:
        from civic.documents.watch import folder_scan, folder_watch

        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        if options["once"]:
            arrivals = folder_scan(folder, settle=options["settle"])
            for arrival in arrivals:
                if arrival.document is None:
                    self.stderr.write(f"{arrival.name}: not taken: {arrival.error}")
                else:
                    self.stdout.write(f"{arrival.name}: received as document {arrival.document.pk}")
            self.stdout.write(f"{sum(a.document is not None for a in arrivals)} files taken in.")
            return
        self.stdout.write(f"Watching {folder} (Ctrl-C to stop).")
        try:
            folder_watch(
                folder, interval=options["interval"], settle=options["settle"],
                say=self.stdout.write,
            )  # fmt: skip
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")

    def _mailbox(self, options) -> None:
        import time

        from civic.documents.mailbox import MailboxUnavailable, mailbox_read

        while True:
            try:
                run = mailbox_read()
            except MailboxUnavailable as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"{run.messages} messages read: {len(run.documents)} documents taken in, "
                f"{run.without_documents} messages without a document."
            )
            if options["once"]:
                return
            time.sleep(options["interval"])
