"""The code a run measured: the commit, the tree of src/ and uncommitted changes on top."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from benchmarks.harness.paths import ROOT


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


@dataclass(frozen=True)
class CodeState:
    """The code measured: the commit, the tree of src/ in it and the uncommitted changes to
    src/ on top. The generator and the selectors change under the figures (others commit
    while a run takes its quarter of an hour), so each run says which code it timed."""

    commit: str
    tree: str
    diff: str

    @classmethod
    def now(cls) -> CodeState:
        commit = git("rev-parse", "HEAD")
        if not commit:
            return cls("", "", "")
        return cls(commit, git("rev-parse", f"{commit}:src"), git("diff", commit, "--", "src"))

    def describe(self) -> str:
        dirty = " + uncommitted changes in src/" if self.diff else ""
        return f"{self.commit[:7] or 'unknown'}{dirty}"

    def changes_since(self) -> str:
        """The files under src/ that differ from this state now ("" when none)."""
        later = CodeState.now()
        if not self.commit or (later.tree, later.diff) == (self.tree, self.diff):
            return ""
        files = git("diff", "--name-only", self.commit, "--", "src").splitlines()
        return ", ".join(sorted(f.removeprefix("src/civic/") for f in files)) or "src/"
