"""One backup archive holds everything a restore needs: the database (a consistent online copy),
the uploaded media, the secret key (without it, invitation and registration links break) and the
care keys (without them, the residents' data encrypted at rest cannot be read).

The archive is a tar.gz with `manifest.json`, `database.sqlite3` (SQLite's backup API, safe while
the server writes) or `database.pgdump` (pg_dump's custom format), `secret_key`, `care_keys` (the
keys of SAMEN_CARE_KEYS, one a line) and `media/…`. A restore on a site with other care keys
re-encrypts the restored values with this site's first key, so they read at once."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection

from samen.core import crypto

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
            "media": media_elsewhere() is None and Path(settings.MEDIA_ROOT).is_dir(),
            "media_elsewhere": media_elsewhere(),
        }
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)  # never reuse a file (or symlink) someone left with other rights
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            _add_bytes(archive, "secret_key", settings.SECRET_KEY.encode())
            _add_bytes(archive, "care_keys", "\n".join(settings.SAMEN_CARE_KEYS).encode())
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


COPY = re.compile(r"^COPY (\S+) \((.*)\) FROM stdin;")


def _tokens(dump: Path, engine: str) -> Iterator[bytes]:
    """Every value encrypted at rest in the archive's database (its Fernet token), read from the dump."""
    tables = {m._meta.db_table: [f.column for f in fields] for m, fields in crypto.encrypted_columns()}
    if engine == "sqlite":
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            for table, columns in tables.items():
                for column in columns:
                    sql = f'SELECT "{column}" FROM "{table}" WHERE "{column}" LIKE ?'  # noqa: S608 (names from the models)
                    try:
                        rows = source.execute(sql, [crypto.PREFIX + "%"]).fetchall()
                    except sqlite3.OperationalError:  # a table of a later version of samen than the archive's
                        continue
                    yield from (value[len(crypto.PREFIX) :].encode() for (value,) in rows)
        finally:
            source.close()
        return
    # The encrypted tables' rows as pg_restore writes them (COPY blocks), never into a database: only
    # the encrypted columns' fields, named by each block's header (a plain column may hold "fernet:").
    command = [_program("pg_restore"), "--data-only", "--file=-", *(f"--table={t}" for t in tables), str(dump)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:  # noqa: S603
        assert process.stdout is not None
        wanted: list[int] = []
        for line in process.stdout:
            if line.startswith(b"COPY "):
                wanted = _copy_columns(line, tables)
            elif line.startswith(b"\\."):
                wanted = []
            elif wanted:
                fields = line.rstrip(b"\n").split(b"\t")
                prefix = crypto.PREFIX.encode()
                yield from (fields[i][len(prefix) :] for i in wanted if fields[i].startswith(prefix))
    if process.returncode:
        raise BackupError("The archive's database cannot be read (pg_restore of the encrypted tables failed).")


def _copy_columns(header: bytes, tables: dict[str, list[str]]) -> list[int]:
    """The places of the encrypted columns in the rows of `COPY public.care_resident (id, name, …) FROM stdin;`."""
    found = COPY.match(header.decode())
    if not found:
        return []
    table = found.group(1).rpartition(".")[2].strip('"')
    columns = [c.strip().strip('"') for c in found.group(2).split(",")]
    return [i for i, c in enumerate(columns) if c in tables.get(table, [])]


def _care_keys_needed(tokens: Iterator[bytes], archive_keys: list[str]) -> tuple[str, ...]:
    """The archive's care keys this site needs besides its own to read the archive's encrypted values
    (none when SAMEN_CARE_KEYS reads them all). An archive with values neither can read is refused."""
    try:
        theirs = MultiFernet([Fernet(k.encode()) for k in archive_keys]) if archive_keys else None
    except ValueError:
        raise BackupError("The archive's care_keys are not Fernet keys; it is not a complete samen backup.") from None
    ours = crypto.fernet()
    needed = unread = 0
    for token in tokens:
        try:
            ours.decrypt(token)
            continue
        except InvalidToken:
            needed += 1
        try:
            if theirs is None:
                raise InvalidToken
            theirs.decrypt(token)
        except InvalidToken:
            unread += 1
    if unread and theirs is None:
        raise BackupError(
            f"{unread} encrypted values in the archive (care data) cannot be decrypted with this site's SAMEN_CARE_KEYS "
            "and the archive holds no care keys (it was made before backups held them): set SAMEN_CARE_KEYS to the "
            "keys of the site it came from and restore again."
        )
    if unread:
        raise BackupError(
            f"{unread} encrypted values in the archive (care data) cannot be decrypted with the archive's care keys "
            "nor this site's SAMEN_CARE_KEYS: a key they were encrypted with is missing. Add it to SAMEN_CARE_KEYS "
            "and restore again."
        )
    return tuple(archive_keys) if needed else ()


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
    """Put the archive's database, media, secret key and care data back; refuses a database with data unless `force`.

    Everything is read and checked first (the archive whole, the database intact, the media unpacked
    beside the live folder, the key present, the care data readable with the archive's or this site's care keys); only then is the database replaced in one step and the
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
            archive_keys = _member(archive, "care_keys").decode().split() if "care_keys" in archive.getnames() else []
            care_keys = _care_keys_needed(_tokens(dump, manifest["engine"]), archive_keys)
            if media_elsewhere():  # the bucket keeps its own history (versioning): see docs/deployment.md
                files = [m for m in _safe_members(archive, "media") if m.isfile()] if manifest.get("media") else []
                manifest["media_not_restored"] = len(files)  # an archive of a site with media on disk
                _replace_database(dump, manifest["engine"])
                staged = None
            else:
                staged = _stage_media(archive, manifest, media)
        manifest["media_restored"] = staged is not None
        # The media first (renames only, undone on failure), then the database; a database step that
        # fails puts the old media back, so the site never runs on one backup's rows and another's files.
        if staged is not None:
            _put_back(staged, media, dump, manifest["engine"])
    # The database is replaced: whatever follows, the cache of the data before goes and the secret is kept.
    try:
        manifest["care_values_reencrypted"] = _reencrypt(care_keys) if care_keys else 0
    finally:
        clear_caches()
        manifest["secret_key_matches"] = secret == settings.SECRET_KEY
        if not manifest["secret_key_matches"]:
            manifest["secret_key_file"] = str(_keep_secret(secret))
    return manifest


def _put_back(staged: Path, media: Path, dump: Path, engine: str) -> None:
    try:
        _swap_media(staged, media)
    except OSError as error:
        shutil.rmtree(staged, ignore_errors=True)
        raise BackupError(f"The media folder could not be swapped ({error}); nothing was changed.") from None
    try:
        _replace_database(dump, engine)
    except BaseException:
        _swap_media(staged, media, back=True)
        shutil.rmtree(staged, ignore_errors=True)
        raise
    shutil.rmtree(staged, ignore_errors=True)


def media_elsewhere() -> str | None:
    """Where the uploaded media are when not in MEDIA_ROOT (an S3 bucket), or None."""
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return None
    bucket = getattr(storage, "bucket_name", None)
    return f"the S3 bucket {bucket}" if bucket else type(storage).__name__


def clear_caches() -> None:
    """Forget everything cached from the data before the restore: page parts and figures are keyed by
    data versions that come back with the restored rows and rise again to numbers that, before the
    restore, named other data. On Redis only this site's keys go (the broker's queue and other sites
    may share the database: Django's clear() would empty it all); other caches are cleared whole."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from samen.core import local_copies

    for alias in settings.CACHES:
        cache = caches[alias]
        if not isinstance(cache, RedisCache):
            cache.clear()
            continue
        client = cache._cache.get_client(None, write=True)
        keys: list[bytes] = []
        for key in client.scan_iter(match=cache.key_func("*", cache.key_prefix, "*"), count=1000):
            keys.append(key)
            if len(keys) == 1000:
                client.delete(*keys)
                keys.clear()
        if keys:
            client.delete(*keys)
    local_copies.clear_all()  # this process's; other processes' copies go when they restart


def _reencrypt(archive_keys: tuple[str, ...]) -> int:
    """The restored care data encrypted anew with this site's first key (one transaction)."""
    try:
        return crypto.reencrypt_all(archive_keys)
    except (ImproperlyConfigured, DatabaseError) as error:
        raise BackupError(
            f"The database is restored, but its care data could not be encrypted with this site's key ({error}): "
            "it still reads with the archive's care keys (its care_keys file); add them to SAMEN_CARE_KEYS."
        ) from None


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
