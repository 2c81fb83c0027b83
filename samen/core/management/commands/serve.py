"""`samen serve`: the production-grade server (gunicorn), for the demo and for real use."""

from __future__ import annotations

import os
import sys

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

        self._collect_static_when_missing()
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

    def _collect_static_when_missing(self) -> None:
        """A hashed-name storage answers 500 on every page without its manifest: collect once first."""
        from django.conf import settings
        from django.contrib.staticfiles.storage import ManifestFilesMixin
        from django.core.files.storage import storages
        from django.core.management import call_command

        storage = storages["staticfiles"]
        if not isinstance(storage, ManifestFilesMixin) or not settings.STATIC_ROOT:
            return
        if storage.exists(storage.manifest_name):
            return
        self.stdout.write(f"Collecting the static files into {settings.STATIC_ROOT} (first start) …")
        call_command("collectstatic", interactive=False, verbosity=0)
