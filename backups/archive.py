"""Backing up and restoring the whole forum: the database and the media folder (avatars).

A backup is a folder holding ``database.sqlite3`` (SQLite's online backup, safe while the
site runs) or ``database.pgdump`` (``pg_dump``'s custom format), and ``media.tar.gz``. Restoring
replaces the database and the media folder with the backup's; stop the app servers and the
worker first. The commands ``manage.py backup`` and ``manage.py restore`` are the way in.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why."""


def backup(folder: Path, *, alias: str = "default") -> list[Path]:
    """Write the database and the media folder into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    database = _database_backup(folder, alias)
    media = folder / MEDIA_FILE
    with tarfile.open(media, "w:gz") as archive:
        root = Path(settings.MEDIA_ROOT)
        if root.exists():
            archive.add(root, arcname=".")
    return [database, media]


def restore(folder: Path, *, alias: str = "default") -> None:
    """Replace the database and the media folder with the backup in ``folder``."""
    check(folder, alias=alias)
    connections[alias].close()
    _database_restore(folder, alias)
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    with tarfile.open(folder / MEDIA_FILE, "r:gz") as archive:
        archive.extractall(root, filter="data")


def check(folder: Path, *, alias: str = "default") -> None:
    """Refuse a folder that is not a complete backup for this database engine."""
    needed = [_database_file(alias), MEDIA_FILE]
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise BackupError(f"{folder} is not a backup for this site: {', '.join(missing)} missing.")


def _is_sqlite(alias: str) -> bool:
    return connections[alias].vendor == "sqlite"


def _database_file(alias: str) -> str:
    return SQLITE_FILE if _is_sqlite(alias) else POSTGRES_FILE


def _database_backup(folder: Path, alias: str) -> Path:
    target = folder / _database_file(alias)
    if _is_sqlite(alias):
        target.unlink(missing_ok=True)
        with closing(_sqlite(alias)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return target
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], alias)
    return target


def _database_restore(folder: Path, alias: str) -> None:
    if _is_sqlite(alias):
        with (
            closing(sqlite3.connect(folder / SQLITE_FILE)) as source,
            closing(_sqlite(alias)) as live,
        ):
            source.backup(live)
        return
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
         str(folder / POSTGRES_FILE)],
        alias,
    )  # fmt: skip


def _sqlite(alias: str) -> sqlite3.Connection:
    return sqlite3.connect(connections[alias].settings_dict["NAME"])


def _run(command: list[str], alias: str) -> None:
    """Run a PostgreSQL client with the connection settings Django uses (password in the
    environment, never on the command line)."""
    database = connections[alias].settings_dict
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    command += [f"--dbname={database['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command.append(f"{option}={database[key]}")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
