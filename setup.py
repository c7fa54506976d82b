"""Only what pyproject.toml cannot say: a package built without its front-end assets builds
them first (GOV.UK Frontend from npm, Sass), so no wheel or image serves pages without styles.
Everything else about the package is in pyproject.toml."""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
ASSETS = ROOT / "src" / "civic" / "frontend" / "build" / "civic" / "civic.css"


class BuildPyWithAssets(build_py):
    def run(self):
        if not ASSETS.exists():
            npm = shutil.which("npm")
            if npm is None:
                raise SystemExit(
                    "Civic's pages need their front-end assets, and npm is not here to build "
                    "them: run `make assets` where npm is, then build the package."
                )
            # pa11y and Lighthouse (dev tools) use the system Chromium; a browser download fails
            # without internet and would stop the build, as in the Makefile's `npm ci`.
            env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
            subprocess.run(  # noqa: S603
                [npm, "ci", "--no-audit", "--no-fund"], check=True, cwd=ROOT, env=env
            )
            subprocess.run([npm, "run", "build"], check=True, cwd=ROOT)  # noqa: S603
        super().run()


setup(cmdclass={"build_py": BuildPyWithAssets})
