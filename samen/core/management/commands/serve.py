"""`samen serve`: the production-grade server (gunicorn), for the demo and for real use."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Samen with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("SAMEN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("SAMEN_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))
        )

    def handle(self, *args, host: str, port: int, workers: int, **options):
        from django.conf import settings

        self._collect_static_when_stale()
        call_command("createcachetable", verbosity=0)  # the shared cache without Redis
        self.stdout.write(f"Samen is served on http://{host}:{port}/ (stop with Ctrl+C)")
        # Without Celery beat, the server runs the periodic jobs itself (see core.periodic).
        # Metrics of all gunicorn workers are summed from files in one folder, emptied at each start.
        metrics_dir = settings.VAR_DIR / "prometheus"
        metrics_dir.mkdir(parents=True, exist_ok=True)
        for stale in metrics_dir.glob("*.db"):
            stale.unlink()
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
        os.environ["SAMEN_PERIODIC"] = "inline" if settings.SAMEN_TASKS == "inline" else "beat"
        sys.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "samen.wsgi:application",
            "--config",
            "python:samen.core.gunicorn_conf",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.execv(sys.executable, argv)  # noqa: S606 (a fixed argv, no shell)

    def _collect_static_when_stale(self) -> None:
        """A hashed-name storage answers 500 on every page without its manifest, and on every page that
        links a file its manifest does not know (an upgrade added one): collect first when either."""
        from django.conf import settings
        from django.contrib.staticfiles.storage import ManifestFilesMixin
        from django.core.files.storage import storages
        from django.core.management import call_command

        storage = storages["staticfiles"]
        if not isinstance(storage, ManifestFilesMixin) or not settings.STATIC_ROOT:
            return
        if not storage.exists(storage.manifest_name):
            self.stdout.write(f"Collecting the static files into {settings.STATIC_ROOT} (first start) …")
        elif changed := stale_static_file(storage):
            self.stdout.write(f"Collecting the static files again: {changed} is new or changed since the last time …")
        else:
            return
        call_command("collectstatic", interactive=False, verbosity=0)


def stale_static_file(storage: Any) -> str | None:
    """A static file the manifest does not list, or changed after the manifest was written; None when it
    is current. Only names and modification times are read (a few hundred `stat`s, no hashing), so every
    start can afford it. A content change copied with its old mtime (rsync -a, Docker COPY) is not seen;
    a new file, the case that would be a 500, always is (docs/deployment.md)."""
    from django.apps import apps
    from django.contrib.staticfiles.finders import get_finders

    known, _hash = storage.load_manifest()
    written = os.path.getmtime(storage.path(storage.manifest_name))
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    for finder in get_finders():
        for path, source in finder.list(ignore):
            name = os.path.join(source.prefix, path) if getattr(source, "prefix", None) else path
            if name.replace(os.sep, "/") not in known or source.get_modified_time(path).timestamp() > written:
                return name
    return None
