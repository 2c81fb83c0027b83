"""gunicorn's hooks for `samen serve`: without Celery, the periodic jobs run in a child process
that lives and dies with the server (so `make run` needs no cron line)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

_periodic: subprocess.Popen[bytes] | None = None


def on_starting(server: Any) -> None:
    global _periodic
    if os.environ.get("SAMEN_PERIODIC", "inline") == "inline":
        _periodic = subprocess.Popen([sys.executable, "-m", "samen", "periodic", "--loop"])  # noqa: S603


def on_exit(server: Any) -> None:
    if _periodic is not None:
        _periodic.terminate()
        _periodic.wait(timeout=10)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
