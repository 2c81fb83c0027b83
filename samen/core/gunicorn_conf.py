"""gunicorn's settings and hooks for `samen serve` (and `gunicorn --config python:samen.core.gunicorn_conf`
on a host of its own): an access log without secrets, and, without Celery, the periodic jobs in a
child process that lives and dies with the server (so `make run` needs no cron line)."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from typing import Any

from gunicorn.glogging import Logger

# The master reads the settings (the log format) before it loads samen.wsgi, which sets the same.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")

# Request headers and environment entries whose values are credentials: never logged.
_SECRET_ATOMS = ("cookie", "authorization", "csrf", "token")


class RedactingLogger(Logger):
    """gunicorn's access log with the request line, path and referrer redacted like our own logs
    (reset keys, invitation and registration tokens, query strings and addresses taken out) and no
    cookies or credentials, whatever access_log_format a deployment sets."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        from samen.core.observability import redact

        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if any(secret in key.lower() for secret in _SECRET_ATOMS) and key.startswith("{"):
                atoms[key] = "-"
            elif isinstance(value, str):
                atoms[key] = redact(value)
        atoms["q"] = "-"
        return atoms

    def setup(self, cfg: Any) -> None:
        """The access lines as JSON objects like the app's own (LOG_FORMAT=json, production's default):
        the request line in `message`, the id the app answered with in `request_id`."""
        from django.conf import settings
        from django.utils.module_loading import import_string

        super().setup(cfg)
        if settings.LOG_FORMAT != "json":
            return
        spec = dict(settings.LOGGING["formatters"]["json"])
        formatter = import_string(spec.pop("()"))(**spec)
        for handler in self.access_log.handlers:
            if getattr(handler, "_gunicorn", False):
                handler.setFormatter(formatter)

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """gunicorn's own `access`, with the response's X-Request-ID passed to the record."""
        if not self.access_log_enabled:
            return
        atoms = self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time))
        try:
            self.access_log.info(self.cfg.access_log_format, atoms, extra={"request_id": atoms["{x-request-id}o"]})
        except Exception:
            self.error(traceback.format_exc())


logger_class = RedactingLogger
# gunicorn's combined format and the request id the app answered with (also in the JSON lines).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'

_periodic: subprocess.Popen[bytes] | None = None


def on_starting(server: Any) -> None:
    global _periodic
    if os.environ.get("SAMEN_PERIODIC", "inline") == "inline":
        _periodic = subprocess.Popen([sys.executable, "-m", "samen", "periodic", "--loop"])  # noqa: S603


def on_exit(server: Any) -> None:
    if _periodic is not None:
        _periodic.terminate()
        _periodic.wait(timeout=10)


def post_worker_init(worker: Any) -> None:
    """Load what the code imports where first needed (commands and tests start faster without it) before
    the worker takes requests, so its first visitors do not pay for it: SciPy's solver behind the
    disclosure rule of public counts and NumPy, about a second of CPU per worker."""
    import numpy  # noqa: F401
    import scipy.optimize  # type: ignore[import-untyped]  # noqa: F401


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
