"""One interface for background work (emails, cache warming, reports).

`enqueue(fn, *args)` runs `fn(*args)` once the current transaction commits: in the same process
by default (SAMEN_TASKS=inline, nothing else to run), or on Celery workers through Redis
(SAMEN_TASKS=celery) at scale. Arguments must be JSON values (ids, strings), never objects:
a worker reads the current state from the database itself."""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

from samen.celery_app import app as celery_app

logger = logging.getLogger(__name__)
_tasks: dict[str, Callable[..., Any]] = {}


def task(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a function as background work; the same name serves both ways of running it."""
    name = f"{fn.__module__}.{fn.__name__}"
    _tasks[name] = fn
    celery_app.task(name=name, acks_late=True)(fn)
    fn.task_name = name  # type: ignore[attr-defined]
    return fn


def enqueue(fn: Callable[..., Any], *args: Any) -> None:
    name = getattr(fn, "task_name", None)
    if name not in _tasks:
        raise ValueError(f"{fn!r} is not declared with @task")
    if settings.SAMEN_TASKS == "celery":
        transaction.on_commit(lambda: celery_app.send_task(name, args=list(args)))
    else:
        transaction.on_commit(lambda: run(name, *args))


def run(name: str, *args: Any) -> None:
    """Run a task here and now; a failure is logged, never shown to the person whose action queued it."""
    try:
        _tasks[name](*args)
    except Exception:
        logger.exception("Background task %s failed", name)
