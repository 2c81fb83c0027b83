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
import zlib
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
    "network_dataversion",  # the versions of the tables that key cached pages (network.table_versions)
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


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        data = archive.extractfile(name)
    except KeyError:
        data = None
    if data is None:
        raise BackupError(f"The archive lacks {name}; it is not a complete samen backup.")
    return data.read()


def _check_database(dump: Path, engine: str) -> None:
    """The dump opens and is whole, before anything of the live site is touched."""
    if engine == "sqlite":
        try:
            source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
            try:
                verdict = source.execute("PRAGMA integrity_check").fetchone()[0]
                migrated = source.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
                ).fetchone()
            finally:
                source.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The archive's database cannot be read: {error}.") from None
        if verdict != "ok" or not migrated:
            raise BackupError(f"The archive's database is damaged ({verdict}).")
        return
    args, env = _pg_env()
    result = subprocess.run(  # noqa: S603 (fixed program; only lists the dump's contents)
        [_program("pg_restore"), "--list", str(dump)], env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise BackupError(f"The archive's database cannot be read: {result.stderr.strip()}")


def _stage_media(archive: tarfile.TarFile, manifest: dict[str, Any], media: Path) -> Path:
    """The archive's media unpacked on MEDIA_ROOT's own file system, so the swap is renames only:
    beside it, or inside it when it is a mount point (a shared volume cannot itself be renamed)."""
    media.parent.mkdir(parents=True, exist_ok=True)
    home = media if os.path.ismount(media) else media.parent
    staged = Path(tempfile.mkdtemp(prefix=f".{media.name}.restoring-", dir=home))
    try:
        if manifest.get("media"):
            members = _safe_members(archive, "media")
            archive.extractall(staged, members=members, filter="data")
            if (staged / "media").is_dir():
                (staged / "media").rename(staged / "new")
        (staged / "new").mkdir(exist_ok=True)  # a backup without media restores an empty folder
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        shutil.rmtree(staged, ignore_errors=True)
        raise BackupError(f"The archive's media cannot be unpacked: {error}.") from None
    return staged


def _swap_media(staged: Path, media: Path, *, back: bool = False) -> None:
    """MEDIA_ROOT becomes exactly the backup's media (files added since do not stay); `back` undoes it.
    Every rename is noted and, when one fails, undone in reverse: MEDIA_ROOT is never left half swapped."""
    new, old = (staged / "old", staged / "new") if back else (staged / "new", staged / "old")
    if staged.parent == media:  # a mount point cannot be renamed: swap what is inside it
        old.mkdir(exist_ok=True)
        moves = [(c, old / c.name) for c in media.iterdir() if c != staged]
        moves += [(c, media / c.name) for c in new.iterdir()]
    else:
        moves = [(media, old)] if media.exists() else []
        moves.append((new, media))
    done: list[tuple[Path, Path]] = []
    try:
        for source, target in moves:
            source.rename(target)
            done.append((source, target))
    except OSError:
        for source, target in reversed(done):
            target.rename(source)
        raise


def restore(path: Path, *, force: bool) -> dict[str, Any]:
    """Put the archive's database, media and secret key back; refuses a database with data unless `force`.

    Everything is read and checked first (the archive whole, the database intact, the media unpacked
    beside the live folder, the key present); only then is the database replaced in one step and the
    media folder swapped by a rename. A damaged archive leaves the site as it was."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            archive = tarfile.open(path, mode="r:gz")  # noqa: SIM115 (closed by the with below)
            archive.getmembers()  # reads to the end: a truncated or corrupt archive fails here
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise BackupError(f"{path} is not a readable samen backup: {error}.") from None
        with archive:
            manifest = json.loads(_member(archive, "manifest.json"))
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
            secret = _member(archive, "secret_key").decode().strip()
            if not secret:
                raise BackupError("The archive's secret key is empty; it is not a complete samen backup.")
            _member(archive, manifest["database"])
            try:
                archive.extractall(tmp, members=_safe_members(archive, manifest["database"]), filter="data")
            except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
                raise BackupError(f"The archive's database cannot be unpacked: {error}.") from None
            dump = Path(tmp) / manifest["database"]
            _check_database(dump, manifest["engine"])
            staged = _stage_media(archive, manifest, media)
        # The media first (renames only, undone on failure), then the database; a database step that
        # fails puts the old media back, so the site never runs on one backup's rows and another's files.
        try:
            _swap_media(staged, media)
        except OSError as error:
            shutil.rmtree(staged, ignore_errors=True)
            raise BackupError(f"The media folder could not be swapped ({error}); nothing was changed.") from None
        try:
            _replace_database(dump, manifest["engine"])
        except BaseException:
            _swap_media(staged, media, back=True)
            shutil.rmtree(staged, ignore_errors=True)
            raise
        shutil.rmtree(staged, ignore_errors=True)
    manifest["secret_key_matches"] = secret == settings.SECRET_KEY
    if not manifest["secret_key_matches"]:
        manifest["secret_key_file"] = str(_keep_secret(secret))
    return manifest


def _replace_database(dump: Path, engine: str) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)  # replaces every page of the live database at once
        finally:
            source.close()
        return
    connection.close()
    args, env = _pg_env()
    result = subprocess.run(  # noqa: S603
        [_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(dump)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:  # one transaction: a failed restore leaves the database as it was
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _keep_secret(secret: str) -> Path:
    kept = Path(settings.VAR_DIR) / ("secret_key" if not settings.PRODUCTION else "secret_key.restored")
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.unlink(missing_ok=True)
    fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret)
    return kept
