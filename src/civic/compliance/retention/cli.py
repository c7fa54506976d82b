"""`civic privacy retention [--dry-run]` and `civic privacy rotate-key [--new-key]
[--background]`: verbs of the `privacy` command."""

from __future__ import annotations

from django.core.management.base import CommandError

from civic.compliance.retention import services, tasks
from civic.core.errors import Conflict
from civic.core.fieldcrypt import FieldDecryptError


def add_verbs(sub) -> None:
    retention = sub.add_parser(
        "retention",
        help="delete or anonymise what is past its retention (catalogue, case types); "
        "records what it removed",
    )
    retention.add_argument(
        "--dry-run", action="store_true", help="count what would go; change nothing"
    )
    rotate = sub.add_parser(
        "rotate-key",
        help="encrypt register fields under the current field key (resumes an unfinished run)",
    )
    rotate.add_argument(
        "--new-key", action="store_true", help="first add a new key and make it current"
    )
    rotate.add_argument(
        "--background", action="store_true", help="hand the work to Celery workers and return"
    )


def _retention(command, *, dry_run: bool, **_options) -> None:
    def progress(rule: str, count: int) -> None:
        command.stderr.write(f"\r{rule}: {count:,}", ending="")

    try:
        run = services.retention_run(dry_run=dry_run, triggered_by="command", progress=progress)
    except Conflict as refusal:
        raise CommandError(str(refusal)) from None
    except services.RetentionFailed as failure:
        raise CommandError(
            f"retention run {failure.run.pk} failed and was rolled back, nothing changed: "
            f"{failure.run.error}"
        ) from None
    command.stderr.write("")
    verb = "would remove" if dry_run else "removed"
    for result in run.results:
        command.stdout.write(
            f"{result['rule']:<48} {result['action']:<9} {verb} {result['count']:>10,}"
        )
    for kept in run.kept:
        command.stdout.write(f"{kept['target']:<48} no retention declared: kept")
    total = sum(r["count"] for r in run.results)
    command.stdout.write(f"retention run {run.pk}: {verb} {total:,} in all")


def _rotate(command, *, new_key: bool, background: bool, **_options) -> None:
    try:
        rotation = services.key_rotation_start(new_key=new_key)
    except (Conflict, NotImplementedError) as refusal:
        raise CommandError(str(refusal)) from None
    if background:
        tasks.key_rotation_task.delay(rotation.pk)
        command.stdout.write(f"rotation {rotation.pk} to key {rotation.key_id} sent to workers")
        return

    def progress(table: str, state: dict) -> None:
        command.stderr.write(f"\r{table}: {state['scanned']:,} of {state['total']:,}", ending="")

    try:
        rotation = services.key_rotation_continue(rotation_id=rotation.pk, progress=progress)
    except (Conflict, FieldDecryptError) as error:
        raise CommandError(
            f"rotation {rotation.pk} stopped (run again to resume): {error}"
        ) from None
    command.stderr.write("")
    sealed = sum(p["sealed"] for p in rotation.progress.values())
    command.stdout.write(
        f"rotation {rotation.pk}: every encrypted field is under key {rotation.key_id} "
        f"({sealed:,} rows sealed or re-encrypted)"
    )


VERBS = {"retention": _retention, "rotate-key": _rotate}
