"""docs/security/asvs.md, Civic's OWASP ASVS 5.0 level-2 checklist, kept true: one row for each
level-1 and level-2 requirement of the standard (read from ../shared/standards, never copied into
Civic), each with a status; the summary's counts and the "not yet" list agree with the rows; and
every test the page names exists, so that the checklist cannot rot."""

from __future__ import annotations

import ast
import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = ROOT / "docs" / "security" / "asvs.md"
#: Where the standard is kept: `../shared/standards/` beside the repository (or beside a folder
#: above it, for a git worktree).
STANDARD = Path("shared") / "standards" / "owasp-asvs-5.0.csv"
LEVELS = {"1", "2"}
STATUSES = ("met", "partly", "not yet", "not applicable")

ROW = re.compile(r"^\| (V\d+\.\d+\.\d+) \|")
CHAPTER = re.compile(r"^## (V\d+) ")
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:::(\w+))?`")
PENDING = re.compile(r"<!-- pending: ([\w, -]+) -->")
NOT_YET_ITEM = re.compile(r"^\d+\. \*\*(V\d+\.\d+\.\d+)\*\*")


@dataclass(frozen=True)
class Row:
    id: str
    chapter: str  # the chapter heading the row sits under
    requirement: str
    status: str
    line: str

    @property
    def pending(self) -> list[str]:
        found = PENDING.search(self.line)
        return [b.strip() for b in found.group(1).split(",")] if found else []

    @property
    def tests(self) -> list[tuple[str, ...]]:
        return [tuple(part for part in ref if part) for ref in TEST_REFERENCE.findall(self.line)]


def standard_file() -> Path | None:
    return next((f / STANDARD for f in ROOT.parents if (f / STANDARD).exists()), None)


@pytest.fixture(scope="module")
def requirements() -> dict[str, dict[str, str]]:
    """The standard's level-1 and level-2 requirements by id."""
    found = standard_file()
    if found is None:
        pytest.skip(
            f"the standard ({STANDARD}) is not beside the repository or a folder above it, so the "
            "checklist cannot be compared with it"
        )
    with found.open(encoding="utf-8") as file:
        return {r["req_id"]: r for r in csv.DictReader(file) if r["L"].strip() in LEVELS}


@cache
def page() -> str:
    return CHECKLIST.read_text(encoding="utf-8")


def section(title: str) -> list[str]:
    """The lines under the heading ``## {title}``, up to the next heading of that level."""
    lines = page().splitlines()
    start = lines.index(f"## {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


@cache
def rows() -> tuple[Row, ...]:
    found, chapter = [], ""
    for line in page().splitlines():
        if heading := CHAPTER.match(line):
            chapter = heading.group(1)
        elif ROW.match(line):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            found.append(Row(cells[0], chapter, cells[1], cells[2], line))
    return tuple(found)


@cache
def functions_in(path: str) -> frozenset[str]:
    """``name`` and ``Class::name`` of every test function in ``path`` (empty if no such file)."""
    file = ROOT / path
    if not file.exists():
        return frozenset()
    names = set()
    for node in ast.parse(file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            }
    return frozenset(names)


def exists(reference: tuple[str, ...]) -> bool:
    path, *name = reference
    return name[-1].startswith("test") and "::".join(name) in functions_in(path)


def test_the_checklist_has_exactly_one_row_for_each_level_one_and_two_requirement(requirements):
    ids = [row.id for row in rows()]
    twice = sorted(i for i, n in Counter(ids).items() if n > 1)
    missing = sorted(set(requirements) - set(ids), key=_order)
    extra = sorted(set(ids) - set(requirements), key=_order)
    assert not twice, f"rows given twice: {twice}"
    assert not missing, f"requirements without a row: {missing}"
    assert not extra, f"rows that are no level-1 or level-2 requirement of ASVS 5.0: {extra}"


def test_each_row_has_a_status_and_sits_under_its_own_chapter():
    assert rows(), f"{CHECKLIST} has no requirement rows"
    wrong = [f"{r.id}: {r.status!r}" for r in rows() if r.status not in STATUSES]
    assert not wrong, f"each status must be one of {STATUSES}; found {wrong}"
    astray = [f"{r.id} under {r.chapter}" for r in rows() if r.id.split(".")[0] != r.chapter]
    assert not astray, f"rows under another chapter's heading: {astray}"


def test_each_row_says_the_requirement_in_its_own_words(requirements):
    copied = [
        row.id
        for row in rows()
        if row.id in requirements
        and (
            not row.requirement
            or row.requirement.lower().startswith("verify that")
            or len(row.requirement) >= len(requirements[row.id]["req_description"])
        )
    ]
    assert not copied, f"give a short paraphrase, not the standard's text (CC BY-SA): {copied}"


def test_the_summary_counts_each_chapters_rows_by_status():
    counted: dict[str, Counter] = {}
    for row in rows():
        counted.setdefault(row.id.split(".")[0], Counter())[row.status] += 1
    counted["total"] = sum(counted.values(), Counter())
    summary = {}
    for line in section("Summary"):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if re.match(r"^(V\d+ |total$)", cells[0]):
            summary[cells[0].split()[0]] = [int(n) for n in cells[1:]]
    expected = {
        chapter: [counts[s] for s in STATUSES] + [sum(counts.values())]
        for chapter, counts in counted.items()
    }
    assert summary == expected


def test_the_not_yet_list_ranks_every_not_yet_row_once():
    listed = [m.group(1) for line in section("Not yet, by risk") if (m := NOT_YET_ITEM.match(line))]
    not_yet = {row.id for row in rows() if row.status == "not yet"}
    assert len(listed) == len(set(listed)), f"listed twice: {Counter(listed).most_common(3)}"
    assert set(listed) == not_yet, (
        f"not listed: {sorted(not_yet - set(listed), key=_order)}; "
        f"listed but not 'not yet': {sorted(set(listed) - not_yet, key=_order)}"
    )


def test_every_test_the_checklist_names_exists():
    """Rows pending a branch may name the tests that branch adds; every other must exist."""
    assert TEST_REFERENCE.search(page()), "the checklist names no test at all"
    missing = [
        f"{row.id}: {'::'.join(reference)}"
        for row in rows()
        if not row.pending
        for reference in row.tests
        if not exists(reference)
    ]
    assert not missing, f"tests named by the checklist that do not exist: {missing}"


def test_a_row_pending_a_branch_still_waits_for_a_test_of_that_branch():
    """Once everything a pending row names exists, its branch is in: the row must be checked
    against what the branch did, and the marker removed."""
    arrived = [row.id for row in rows() if row.pending and all(map(exists, row.tests))]
    assert not arrived, (
        f"every test these pending rows name exists now: {arrived}. Check each row against what "
        "its branch did, then remove its `<!-- pending: … -->` marker."
    )


def _order(requirement_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in requirement_id.lstrip("V").split("."))
