"""One backup archive holds everything a restore needs: the database (a consistent online copy),
the uploaded media and the secret key (without it, invitation and registration links break).

The archive is a tar.gz with `manifest.json`, `database.sqlite3` (SQLite's backup API, safe while
the server writes) or `database.pgdump` (pg_dump's custom format), `secret_key` and `media/…`."""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = 1


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client of the server's version.")
    return found


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.datetime.now(tz=datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(path: Path) -> dict[str, Any]:
    """Write the archive to `path` (readable by its owner only) and return its manifest."""
    engine = _engine()
    with tempfile.TemporaryDirectory() as tmp:
        if engine == "sqlite":
            dump = Path(tmp) / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)  # page by page, consistent while others write
            finally:
                target.close()
        elif engine == "postgresql":
            dump = Path(tmp) / "database.pgdump"
            args, env = _pg_env()
            result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
                [_program("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise BackupError(f"Backups of {engine} databases are not supported.")
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": datetime.datetime.now(tz=datetime.UTC).isoformat(),
            "database": dump.name,
            "media": Path(settings.MEDIA_ROOT).is_dir(),
        }
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)  # never reuse a file (or symlink) someone left with other rights
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            _add_bytes(archive, "secret_key", settings.SECRET_KEY.encode())
            archive.add(dump, arcname=dump.name)
            if manifest["media"]:
                archive.add(settings.MEDIA_ROOT, arcname="media")
        partial.replace(path)  # a crash midway never leaves a half archive under the real name
    return manifest


# Tables `samen migrate` fills by itself: rows there do not make a database "not empty".
MIGRATE_FILLS = {
    "django_migrations",
    "django_content_type",
    "django_site",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "sqlite_sequence",
}


def tables_with_data() -> list[str]:
    """The tables holding rows beyond what a fresh `samen migrate` puts there."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in MIGRATE_FILLS:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    return found


def _safe_members(archive: tarfile.TarFile, prefix: str) -> list[tarfile.TarInfo]:
    return [m for m in archive.getmembers() if m.name == prefix or m.name.startswith(prefix + "/")]


def restore(path: Path, *, force: bool) -> dict[str, Any]:
    """Put the archive's database and media back; refuses a database with data unless `force`."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    with tarfile.open(path, mode="r:gz") as archive, tempfile.TemporaryDirectory() as tmp:
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        if manifest.get("format") != FORMAT:
            raise BackupError("This archive was made by another version of samen backup.")
        if manifest["engine"] != _engine():
            raise BackupError(
                f"This archive holds a {manifest['engine']} database; this site runs on {_engine()}. "
                "Restore it with the same kind of database (samen dumpdata/loaddata moves data between kinds)."
            )
        if not force and (filled := tables_with_data()):
            raise BackupError(
                f"The database is not empty ({', '.join(sorted(filled)[:5])}…). Restore over it only with --force."
            )
        archive.extractall(tmp, members=_safe_members(archive, manifest["database"]), filter="data")
        dump = Path(tmp) / manifest["database"]
        if manifest["engine"] == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)  # replaces every page of the live database at once
            finally:
                source.close()
        else:
            connection.close()
            args, env = _pg_env()
            result = subprocess.run(  # noqa: S603
                [
                    _program("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(dump),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        if manifest.get("media"):
            media = Path(settings.MEDIA_ROOT)
            archive.extractall(tmp, members=_safe_members(archive, "media"), filter="data")
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(Path(tmp) / "media", media, dirs_exist_ok=True)
        secret = archive.extractfile("secret_key").read().decode()  # type: ignore[union-attr]
    manifest["secret_key_matches"] = secret == settings.SECRET_KEY
    if not manifest["secret_key_matches"]:
        kept = Path(settings.VAR_DIR) / ("secret_key" if not settings.PRODUCTION else "secret_key.restored")
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.unlink(missing_ok=True)
        fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secret)
        manifest["secret_key_file"] = str(kept)
    return manifest
