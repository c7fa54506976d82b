"""civic backup create DIR | restore DIR [--replace]: the database and uploaded files.

PostgreSQL is dumped with pg_dump (custom format) and restored with pg_restore; the embedded
SQLite database is copied with SQLite's online backup. Uploaded files and attachments
(MEDIA_ROOT) go into a tar file. A manifest records what was taken, with checksums that the
restore checks first. Keys are not in a backup: CIVIC_SECRET_KEY, CIVIC_PSEUDONYM_KEY and the
checkpoint signing key (CIVIC_AUDITLOG_KEY_FILE) belong in the secret store, restored from
there. After a restore run `civic auditlog verify`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

import civic

DUMP, SQLITE_COPY, MEDIA, MANIFEST = (
    "database.dump",
    "database.sqlite3",
    "media.tar.gz",
    "manifest.json",
)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url() -> str:
    return settings.DATABASE_URL.replace("postgres://", "postgresql://", 1)


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{Path(argv[0]).name} failed: {result.stderr.strip()[-500:]}")


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a folder, or restore from one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="write a backup into DIR (made if missing)")
        create.add_argument("directory")
        restore = sub.add_parser("restore", help="restore the backup in DIR into this installation")
        restore.add_argument("directory")
        restore.add_argument(
            "--replace", action="store_true", help="restore over a database that is not empty"
        )

    def handle(self, *args, action, directory, **options):
        folder = Path(directory)
        if action == "create":
            self._create(folder)
        else:
            self._restore(folder, replace=options["replace"])

    def _create(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty; give a new folder for each backup")
        files = []
        if connection.vendor == "postgresql":
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--file={folder / DUMP}",
                    _libpq_url(),
                ]
            )
            files.append(DUMP)
        else:
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            target = sqlite3.connect(folder / SQLITE_COPY)
            with target:
                source.backup(target)  # consistent while the server keeps writing (WAL)
            source.close()
            target.close()
            files.append(SQLITE_COPY)
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / MEDIA, "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname=".")
        files.append(MEDIA)
        manifest = {
            "civic": civic.__version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "files": {name: _sha256(folder / name) for name in files},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(
            f"backup written to {folder} ({connection.vendor}, "
            f"{sum((folder / n).stat().st_size for n in files) / 1e6:.1f} MB). Keys are not in it: "
            "keep CIVIC_SECRET_KEY, CIVIC_PSEUDONYM_KEY and the checkpoint signing key in your "
            "secret store."
        )

    def _restore(self, folder: Path, *, replace: bool) -> None:
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"{folder} holds no readable {MANIFEST}: {error}") from None
        for name, checksum in manifest["files"].items():
            if not (folder / name).exists() or _sha256(folder / name) != checksum:
                raise CommandError(
                    f"{name} is missing or does not match its checksum; not restoring"
                )
        if manifest["database"] != connection.vendor:
            raise CommandError(
                f"the backup is of a {manifest['database']} database and this installation uses "
                f"{connection.vendor}"
            )
        if connection.introspection.table_names() and not replace:
            raise CommandError("the database is not empty; give --replace to restore over it")
        if connection.vendor == "postgresql":
            argv = ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq_url()}"]
            if replace:
                argv += ["--clean", "--if-exists"]
            connection.close()
            _run([*argv, str(folder / DUMP)])
        else:
            name = settings.DATABASES["default"]["NAME"]
            connection.close()
            for stale in (Path(f"{name}-wal"), Path(f"{name}-shm")):
                stale.unlink(missing_ok=True)
            shutil.copyfile(folder / SQLITE_COPY, name)
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            archive.extractall(media, filter="data")  # no absolute paths, no links out
        os.sync()
        self.stdout.write(
            f"restored the backup of {manifest['created_at']} (Civic {manifest['civic']}). "
            "Next: civic migrate (if this Civic is newer), then civic auditlog verify."
        )
