"""The ``civic`` console command: Django's management commands, Civic's own verbs first.

Configuration errors and refusals are printed as one clear line, never a traceback.
"""

from __future__ import annotations

import os
import sys

CIVIC_PREFIX = "civic."


def _help_text() -> str:
    from django.core.management import get_commands, load_command_class

    ours: list[tuple[str, str]] = []
    theirs: list[str] = []
    for name, app in sorted(get_commands().items()):
        if app.startswith(CIVIC_PREFIX):
            try:
                help_line = (load_command_class(app, name).help or "").strip().splitlines()[0]
            except Exception:  # a broken command must not break --help
                help_line = ""
            ours.append((name, help_line))
        else:
            theirs.append(name)
    width = max((len(name) for name, _ in ours), default=10) + 2
    lines = [
        "usage: civic <verb> [options]     (civic <verb> --help for a verb's options)",
        "",
        "Civic's verbs:",
        *[f"  {name.ljust(width)}{text}" for name, text in ours],
        "",
        "Django's verbs:",
        "  " + ", ".join(theirs),
    ]
    return "\n".join(lines)


#: Commands that are not one piece of work: a server traces each request, a worker each task;
#: `serve` hands over to gunicorn, whose workers set traces up themselves.
_SERVERS = {"runserver", "serve", "celery", "shell", "dbshell"}


def _traced(verb: str):
    """A command as a span of its own (``civic proactive run``: the run and the chunk tasks it
    sends form one trace), when CIVIC_TRACES_EXPORTER is on; ``runserver`` traces requests."""
    import contextlib

    from civic.core import traces, tracing

    if verb == "runserver":
        traces.traces_start(default_service=traces.WEB)
    if verb in _SERVERS or not traces.traces_start(default_service=traces.COMMAND):
        return contextlib.nullcontext()
    stack = contextlib.ExitStack()
    stack.callback(traces.traces_flush)  # last out: after the span has ended
    span = stack.enter_context(traces.span(f"civic {verb}"))
    stack.enter_context(tracing.traced(traces.trace_id_of(span)))
    return stack


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        import django

        django.setup()
        if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
            print(_help_text())
            return 0
        from django.core.management import execute_from_command_line

        argv[0] = "civic"
        with _traced(argv[1]):
            execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        print(f"civic: configuration refused: {error}", file=sys.stderr)
        return 2
    except DatabaseError as error:
        first_line = (
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        print(
            f"civic: the database refused: {first_line}\n"
            "  Is DATABASE_URL right, is the database running, and has `civic migrate` been run?",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("civic: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
