"""gunicorn's settings and hooks for `samen serve` (and `gunicorn --config python:samen.core.gunicorn_conf`
on a host of its own): an access log without secrets, and, without Celery, the periodic jobs in a
child process that lives and dies with the server (so `make run` needs no cron line)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from gunicorn.glogging import Logger

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


logger_class = RedactingLogger

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
