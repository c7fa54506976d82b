"""civic privacy <verb>: the data protection officer's commands. Each verb lives in a module
of its own (``add_verbs(subparsers)`` and ``VERBS = {name: handler}``), listed below."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand

#: Modules that add verbs to `civic privacy`; a new verb is one line here.
VERB_MODULES = [
    "civic.compliance.export_cli",
    "civic.compliance.retention.cli",
]


class Command(BaseCommand):
    help = "Privacy duties: a person's export, retention runs, field-key rotation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        self.handlers = {}
        for name in VERB_MODULES:
            module = importlib.import_module(name)
            module.add_verbs(sub)
            self.handlers.update(module.VERBS)

    def handle(self, *args, verb, **options):
        self.handlers[verb](self, **options)
