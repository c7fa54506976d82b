"""civic auditlog verify [--against FILE] | integrate [--follow] | show | status | vkey |
witness keygen|serve|show"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civic.exchange import auditlog, note, signing, witness_server, witnessing
from civic.exchange.models import AccessLogEntry


class Command(BaseCommand):
    help = "Verify the access log's Merkle tree and checkpoints, integrate waiting entries, or run a witness."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="recompute the tree from the entries; check every checkpoint"
        )
        verify.add_argument(
            "--against",
            metavar="FILE",
            help="a signed checkpoint held elsewhere (a witness's state, a partner's copy): "
            "prove the log still contains it",
        )
        integrate = sub.add_parser(
            "integrate", help="add waiting entries to the tree, sign checkpoints, ask witnesses"
        )
        integrate.add_argument(
            "--follow",
            action="store_true",
            help="keep integrating, every CIVIC_AUDITLOG_CHECKPOINT_SECONDS",
        )
        show = sub.add_parser("show", help="the latest checkpoint")
        show.add_argument(
            "--note",
            action="store_true",
            help="as a C2SP signed note with its cosignatures, to be held elsewhere",
        )
        sub.add_parser(
            "status", help="the tree, the newest and newest witnessed checkpoints, the witnesses"
        )
        sub.add_parser("vkey", help="the log's verifier key, for a witness's --log-key")
        witness = sub.add_parser(
            "witness", help="a witness that co-signs checkpoints; runs without Civic's database"
        )
        witness_server.add_arguments(witness)

    def handle(self, *args, action, **options):
        if action == "verify":
            self._verify(options["against"])
        elif action == "integrate":
            while True:
                signed = auditlog.integrate_all()
                outcomes = witnessing.witnesses_update()
                if not options["follow"]:
                    self.stdout.write(f"signed {signed} checkpoint(s)")
                    for name, outcome in outcomes.items():
                        self.stdout.write(f"witness {name}: {outcome}")
                    return
                time.sleep(settings.AUDITLOG_CHECKPOINT_SECONDS)
        elif action == "status":
            self._status()
        elif action == "vkey":
            self.stdout.write(signing.vkey())
        elif action == "witness":
            try:
                witness_server.run(options, self._line)
            except (note.NoteError, OSError) as error:
                raise CommandError(f"witness: {error}") from None
        else:
            checkpoint = auditlog.checkpoint_latest()
            if checkpoint is None:
                self.stdout.write("no checkpoint yet")
                return
            if options["note"]:
                self.stdout.write(auditlog.checkpoint_signed_note(checkpoint).decode(), ending="")
                return
            self.stdout.write(
                f"size {checkpoint.tree_size}\nroot {checkpoint.root_hash}\n"
                f"time {checkpoint.timestamp.isoformat()}\nkey {checkpoint.key_id}"
            )

    def _line(self, text: str) -> None:
        # flushed at once: whoever started the witness waits for its address on this line
        self.stdout.write(text)
        self.stdout.flush()

    def _verify(self, against: str | None) -> None:
        from civic.exchange.held import HeldCheckpointRefused, checkpoint_held_check
        from civic.exchange.verify import auditlog_verify

        total = AccessLogEntry.objects.filter(position__isnull=False).count()
        with tqdm(
            total=total, unit=" entries", unit_scale=True, file=sys.stderr, disable=None
        ) as bar:
            if against is None:
                held, report = None, auditlog_verify(progress=bar.update)
            else:
                try:
                    data = Path(against).read_bytes()
                    held, report = checkpoint_held_check(data, progress=bar.update)
                except OSError as error:
                    raise CommandError(f"cannot read {against}: {error.strerror}") from None
                except HeldCheckpointRefused as refusal:
                    raise CommandError(f"the access log does not verify: {refusal}") from None
        if not report.ok:
            _position, message = report.problems[0]
            raise CommandError(f"the access log does not verify: {message}")
        self.stdout.write(
            f"ok: {report.entries:,} entries and {report.checkpoints:,} checkpoints verify"
            + (f", with {report.cosignatures:,} cosignature(s)" if report.cosignatures else "")
        )
        if held is not None:
            self.stdout.write(
                f"ok: the log contains the checkpoint held elsewhere (size {held.size:,}) "
                f"and has grown by {report.entries - held.size:,} entries since"
            )
        if settings.AUDITLOG_WITNESSES and report.witnessed < report.newest:
            self.stdout.write(
                f"warning: the newest checkpoint (size {report.newest:,}) is not witnessed; the "
                f"newest witnessed is size {report.witnessed:,} (see `civic auditlog status`)"
            )

    def _status(self) -> None:
        status = witnessing.auditlog_status()
        self.stdout.write(f"tree: {status.integrated:,} entries, {status.waiting:,} waiting")
        newest, witnessed = status.newest, status.witnessed
        self.stdout.write(
            "newest checkpoint: "
            + (
                f"size {newest.tree_size:,} at {newest.timestamp:%Y-%m-%d %H:%M:%S}"
                if newest
                else "none"
            )
        )
        if not status.witnesses:
            self.stdout.write(
                "witnesses: none (CIVIC_AUDITLOG_WITNESSES); truncation is not detected"
            )
            return
        if witnessed is None:
            self.stdout.write("newest witnessed checkpoint: none")
        else:
            lag = (newest.tree_size - witnessed.tree_size) if newest else 0
            behind = (newest.timestamp - witnessed.timestamp).total_seconds() if newest else 0
            self.stdout.write(
                f"newest witnessed checkpoint: size {witnessed.tree_size:,} "
                f"({lag:,} entries and {behind:,.0f} s behind the newest)"
            )
        self.stdout.write(
            f"witnesses: {settings.AUDITLOG_WITNESS_QUORUM} of {len(status.witnesses)} must co-sign"
        )
        for config, row in status.witnesses:
            if row is None:
                self.stdout.write(f"  {config.verifier.name} at {config.url}: not asked yet")
                continue
            line = f"  {row.name} at {config.url}: holds size {row.size:,}"
            if row.cosigned_at:
                line += f", last co-signed {row.cosigned_at:%Y-%m-%d %H:%M:%S}"
            if row.last_error:
                line += f"; failing ({row.failures}x): {row.last_error}"
            self.stdout.write(line)
