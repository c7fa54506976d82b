"""civic setup apply FILE [--dry-run] | check FILE | export [--output FILE] | schema | example DIR

A problem of the file is one line with its place in the file (``grants[3].attributes[1]: ...``)
and exit code 2; nothing is written then.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civic.setup.services import SetupRefused, SetupResult, setup_apply, setup_check

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "havenstad"
KIND_NAMES = {
    "life_events": "life events",
    "case_types": "case types",
    "proactive": "proactive checks",
    "modes": "rule-set modes",
}


class Command(BaseCommand):
    help = "Set up a jurisdiction from its YAML file: check it, apply it (or a dry run), export it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="check the file, then apply it in one transaction")
        apply.add_argument("file", type=Path)
        apply.add_argument(
            "--dry-run", action="store_true", help="show the change, then roll it back"
        )
        check = sub.add_parser("check", help="check the file only; write nothing")
        check.add_argument("file", type=Path)
        export = sub.add_parser("export", help="write the database's set-up as YAML")
        export.add_argument("--output", type=Path, help="a file instead of standard output")
        sub.add_parser("schema", help="print the file format's JSON Schema (for editors)")
        example = sub.add_parser(
            "example",
            help="copy the set-up Civic ships (Havenstad) into a new folder to start from",
        )
        example.add_argument("folder", type=Path)

    def handle(self, *args, action, **options):
        if action == "schema":
            from civic.setup.schema import setup_schema

            self.stdout.write(json.dumps(setup_schema(), indent=2, ensure_ascii=False))
        elif action == "export":
            from civic.setup.export import setup_export

            text = setup_export()
            if options["output"]:
                options["output"].write_text(text, encoding="utf-8")
                self.stderr.write(f"wrote {options['output']}")
            else:
                self.stdout.write(text, ending="")
        elif action == "example":
            self._example(options["folder"])
        elif action == "check":
            problems = setup_check(path=options["file"])
            self._refuse(problems)
            self.stdout.write(f"{options['file']}: no problems")
        else:
            try:
                result = setup_apply(path=options["file"], dry_run=options["dry_run"])
            except SetupRefused as refused:
                self._refuse(refused.problems)
            self._report(result, verbose=options["verbosity"] > 1)

    def _example(self, folder: Path) -> None:
        # An installed package keeps its data inside site-packages, where an operator would not
        # look for it nor should edit it: the copy is theirs, to change and keep under version
        # control.
        if folder.exists():
            raise CommandError(f"{folder} exists already; name a new folder")
        shutil.copytree(EXAMPLE, folder)
        self.stdout.write(
            f"wrote {folder}/: setup.yaml with its catalogue, case types and forms. "
            f"Change it to your jurisdiction, then: civic setup apply {folder}/setup.yaml"
        )

    def _refuse(self, problems) -> None:
        if not problems:
            return
        for problem in problems:
            self.stderr.write(str(problem))
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise CommandError(f"the set-up was refused ({count}); nothing was changed", returncode=2)

    def _report(self, result: SetupResult, *, verbose: bool) -> None:
        lines = []
        for change in result.changes:
            name = KIND_NAMES.get(change.kind, change.kind)
            counts = (
                f"{len(change.created)} created, {len(change.changed)} changed, "
                f"{len(change.unchanged)} unchanged"
            ) + (f", {len(change.kept)} kept" if change.kept else "")
            lines.append(f"{name + ':':18}{counts}")
            lines += [f"  + {key}" for key in change.created]
            lines += [f"  ~ {key} ({', '.join(fields)})" for key, fields in change.changed.items()]
            lines += [f"  = {key}: kept {why}" for key, why in change.kept.items()]
            if verbose:
                lines += [f"  = {key}" for key in change.unchanged]
        if not result.changed:
            lines.append("No change: the database already holds this set-up.")
        elif result.dry_run:
            lines.append("Dry run: nothing was written (the change above was rolled back).")
        else:
            lines.append("Applied.")
        self.stdout.write("\n".join(lines))
