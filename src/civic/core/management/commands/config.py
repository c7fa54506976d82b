"""civic config docs [--write PATH] | civic config check"""

from pathlib import Path

from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError

from civic.core import config


class Command(BaseCommand):
    help = "Show Civic's settings as documentation (docs/configuration.md), or check them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        docs = sub.add_parser("docs", help="print (or --write) the configuration reference")
        docs.add_argument("--write", metavar="PATH")
        sub.add_parser("check", help="load the settings and say whether production would start")

    def handle(self, *args, action, **options):
        if action == "check":
            from django.conf import settings

            self.stdout.write(f"CIVIC_ENV={settings.CIVIC_ENV}; settings load without error.")
            return
        # Settings read by command modules (serve's worker count, say) register on import.
        for name, app in get_commands().items():
            if app.startswith("civic."):
                load_command_class(app, name)
        text = config.render_markdown()
        if options["write"]:
            Path(options["write"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"wrote {options['write']}")
        elif text:
            self.stdout.write(text)
        else:
            raise CommandError("no settings registered")
