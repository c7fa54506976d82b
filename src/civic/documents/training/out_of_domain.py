"""Real text that is none of the document types, found on this machine without a download, to
check that the classifier sends what it does not know to a person.

Three sources that every installation of Civic has: the docstrings of Python's standard library
(English technical prose), the Dutch translations of Django's messages (short Dutch sentences,
joined into passages), and the licence texts of the installed packages (English legal prose,
the nearest thing to a contract that is not one). Each is cut into passages of about the length
of a training page.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import random
import re
import warnings
from pathlib import Path

PASSAGE = (300, 1200)  # characters
STDLIB_MODULES = (
    "argparse", "asyncio", "collections", "csv", "datetime", "decimal", "email", "fractions",
    "functools", "http.client", "imaplib", "inspect", "json", "logging", "mailbox", "pathlib",
    "pickle", "shutil", "smtplib", "sqlite3", "statistics", "string", "subprocess", "tarfile",
    "textwrap", "threading", "typing", "unittest", "urllib.parse", "uuid", "zipfile", "calendar",
)  # fmt: skip


def _passages(text: str, rng: random.Random) -> list[str]:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 40]
    passages, current = [], ""
    target = rng.randint(*PASSAGE)
    for paragraph in paragraphs:
        current = f"{current}\n\n{paragraph}" if current else paragraph
        if len(current) >= target:
            passages.append(current[: PASSAGE[1]])
            current, target = "", rng.randint(*PASSAGE)
    if len(current) >= PASSAGE[0]:
        passages.append(current)
    return passages


def _stdlib(rng: random.Random) -> list[str]:
    passages = []
    with warnings.catch_warnings():  # typing.io and typing.re warn when touched
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in STDLIB_MODULES:
            passages += _module_passages(name, rng)
    return passages


def _module_passages(name: str, rng: random.Random) -> list[str]:
    module = importlib.import_module(name)
    docs = [module.__doc__ or ""]
    for key, item in sorted(vars(module).items()):
        doc = getattr(item, "__doc__", None) if callable(item) else None
        if isinstance(doc, str) and not key.startswith("_"):
            docs.append(doc)
    return _passages("\n\n".join(docs), rng)


def _django_dutch(rng: random.Random) -> list[str]:
    import django

    root = Path(django.__file__).parent
    strings = []
    for po in sorted(root.rglob("locale/nl/LC_MESSAGES/django.po")):
        # A msgstr is one quoted line, or "" followed by continuation lines.
        for block in re.findall(
            r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', po.read_text(encoding="utf-8"), flags=re.M
        ):
            text = "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"').replace("\\n", " ")
            if len(text) > 40:
                strings.append(text)
    return _passages("\n\n".join(strings), rng)


def _licences(rng: random.Random) -> list[str]:
    passages, seen = [], set()
    for distribution in sorted(
        importlib.metadata.distributions(), key=lambda d: d.metadata["Name"] or ""
    ):
        for file in distribution.files or ():
            if re.search(r"(LICEN[CS]E|COPYING)[^/]*$", file.name, flags=re.I):
                text = Path(distribution.locate_file(file)).read_text(
                    encoding="utf-8", errors="ignore"
                )
                if text[:200] not in seen:
                    seen.add(text[:200])
                    passages += _passages(text, rng)
    return passages


def out_of_domain_texts(count: int, *, seed: int = 0) -> list[tuple[str, str]]:
    """``count`` passages (source, text), as many from each source as it has up to a third."""
    rng = random.Random(seed)
    sources = {
        "python-docstrings": _stdlib(rng),
        "django-dutch": _django_dutch(rng),
        "licences": _licences(rng),
    }
    chosen: list[tuple[str, str]] = []
    share = -(-count // len(sources))
    for source, passages in sources.items():
        rng.shuffle(passages)
        chosen += [(source, text) for text in passages[:share]]
    return chosen[:count]
