"""The Containerfile and its lock file, checked without building (building takes minutes and a
container engine: `make image`, and deploy/compose-smoke runs what it builds).

The image must run as the non-root user 10001 with its one volume at CIVIC_VAR_DIR, answer its
own health check, carry its licence and version, and install exactly the dependencies that
pyproject.toml asks for, each pinned to a wheel whose hash is known."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
LOCK = ROOT / "deploy/image/requirements.txt"


def instructions(stage: int) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of one stage (0 = deps, 1 = app, -1 = final), continuation lines
    joined."""
    text = re.sub(r"\\\n\s*", " ", CONTAINERFILE.read_text())
    stages: list[list[tuple[str, str]]] = [[]]
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() == "FROM" and stages[-1] and any(w == "FROM" for w, _ in stages[-1]):
            stages.append([])
        stages[-1].append((word.upper(), " ".join(rest.split())))
    return stages[stage]


def one(stage: list[tuple[str, str]], word: str) -> str:
    found = [rest for w, rest in stage if w == word]
    assert found, f"the final stage has no {word}"
    return found[-1]


def test_the_final_stage_runs_as_uid_10001_with_its_volume_at_civic_var_dir():
    final = instructions(-1)
    assert one(final, "USER") == "10001:10001"
    assert '"/var/lib/civic"' in one(final, "VOLUME")
    assert "CIVIC_VAR_DIR=/var/lib/civic" in one(final, "ENV")
    assert "civic:x:10001:10001:" in one(final, "RUN")
    assert one(final, "WORKDIR") == "/var/lib/civic"


def test_the_image_starts_civic_under_an_init_and_serves_on_8000_with_a_health_check():
    final = instructions(-1)
    assert one(final, "ENTRYPOINT") == '["tini", "--", "civic"]'
    assert one(final, "CMD") == '["serve", "--bind", "0.0.0.0:8000"]'
    assert one(final, "EXPOSE") == "8000"
    assert one(final, "HEALTHCHECK").endswith('CMD ["civic-healthcheck"]')
    assert "deploy/image/healthcheck.py /usr/local/bin/civic-healthcheck" in one(final, "COPY")
    assert os.access(ROOT / "deploy/image/healthcheck.py", os.X_OK)


def test_the_image_is_labelled_with_its_licence_version_and_source():
    labels = one(instructions(-1), "LABEL")
    for key in ("licenses", "version", "revision", "source", "created", "title"):
        assert f"org.opencontainers.image.{key}=" in labels, key
    assert 'org.opencontainers.image.licenses="EUPL-1.2"' in labels


def test_the_build_stages_install_only_locked_wheels_checked_by_hash_and_no_pip():
    deps = " ".join(rest for word, rest in instructions(0) if word == "RUN")
    app = " ".join(rest for word, rest in instructions(1) if word == "RUN")
    assert "--require-hashes" in deps and "--only-binary=:all:" in deps
    assert "-r /build/requirements.txt" in deps
    assert "venv --without-pip /opt/civic" in deps
    # Civic itself adds no dependency the lock did not decide, and the two fit together.
    assert "--no-deps --no-index --root /build/root /build/dist/civic-*.whl" in app
    assert "pip --python /opt/civic/bin/python check" in app
    assert "compileall" in deps and "compileall" in app
    # The final image: the dependencies' layer, then Civic's own, and no pip.
    copies = [
        rest for word, rest in instructions(-1) if word == "COPY" and rest.startswith("--from")
    ]
    assert copies == ["--from=deps /opt/civic /opt/civic", "--from=app /build/root/ /"]


def test_every_file_the_containerfile_copies_is_put_in_the_build_context():
    build = (ROOT / "deploy/image/build").read_text()
    for word, rest in instructions(0) + instructions(1) + instructions(-1):
        if word == "COPY" and not rest.startswith("--from"):
            source = rest.split()[0]
            if source == "dist/":
                assert 'pip" wheel --quiet --no-deps -w "$context/dist"' in build
            else:
                assert (ROOT / source).is_file(), source
                assert Path(source).name in build, f"{source} is not copied into the context"


def _lock() -> dict[str, tuple[str, list[str]]]:
    pins: dict[str, tuple[str, list[str]]] = {}
    text = re.sub(r"\\\n\s*", " ", LOCK.read_text())
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement, *hashes = line.split()
        name, version = requirement.split("==")
        pins[canonicalize_name(name)] = (version, [h.removeprefix("--hash=") for h in hashes])
    return pins


def test_the_lock_pins_every_dependency_of_pyproject_within_its_range_with_a_hash():
    pins = _lock()
    assert "civic" not in pins, "the lock must not pin Civic itself"
    for name, (_version, hashes) in pins.items():
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{requirement.name} is in pyproject.toml but not in the lock: make image-lock"
        )
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{requirement.name} {pins[name][0]} is locked, pyproject.toml asks {requirement.specifier}: "
            "make image-lock"
        )
    # The one extra asked for: psycopg[binary] brings libpq in psycopg-binary (the base has none).
    assert "psycopg-binary" in pins


def test_the_build_scripts_are_executable_and_use_runc():
    for script in ("build", "mkrootfs", "lock", "debian-sources"):
        assert os.access(ROOT / "deploy/image" / script, os.X_OK), script
    conf = (ROOT / "deploy/local/containers.conf").read_text()
    assert 'runtime = "runc"' in conf
