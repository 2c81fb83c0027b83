"""One interface for background work (emails, cache warming, reports).

`enqueue(fn, *args)` runs `fn(*args)` once the current transaction commits: in the same process
by default (SAMEN_TASKS=inline, nothing else to run), or on Celery workers through Redis
(SAMEN_TASKS=celery) at scale. Arguments must be JSON values (ids, strings), never objects:
a worker reads the current state from the database itself."""

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac

from samen.celery_app import app as celery_app

logger = logging.getLogger(__name__)
_tasks: dict[str, Callable[..., Any]] = {}


def task(fn: Callable[..., Any] | None = None, *, sealed: bool = False) -> Any:
    """Declare a function as background work; the same name serves both ways of running it.

    `@task(sealed=True)` is for work whose arguments are secrets or personal data (sign-in codes,
    reset and invitation links, addresses): on Celery they travel encrypted as one token, so the
    broker, its persistence and the workers' logs never hold them in the clear."""

    def declare(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{fn.__module__}.{fn.__name__}"
        _tasks[name] = fn
        if sealed:

            def opened(token: str) -> Any:
                return fn(*unseal(token))

            celery_app.task(name=name, acks_late=True)(opened)
        else:
            celery_app.task(name=name, acks_late=True)(fn)
        fn.task_name = name  # type: ignore[attr-defined]
        fn.task_sealed = sealed  # type: ignore[attr-defined]
        return fn

    return declare(fn) if fn is not None else declare


def _fernet() -> Fernet:
    # A key of its own, derived from SECRET_KEY, which every web process and worker shares already.
    digest = salted_hmac("samen.core.tasks.sealed", "task arguments", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(args: tuple[Any, ...] | list[Any]) -> str:
    return _fernet().encrypt(json.dumps(list(args)).encode()).decode()


def unseal(token: str) -> list[Any]:
    return json.loads(_fernet().decrypt(token.encode()))


def enqueue(fn: Callable[..., Any], *args: Any) -> None:
    name = getattr(fn, "task_name", None)
    if name not in _tasks:
        raise ValueError(f"{fn!r} is not declared with @task")
    if settings.SAMEN_TASKS == "celery":
        sent = [seal(args)] if getattr(fn, "task_sealed", False) else list(args)
        transaction.on_commit(lambda: celery_app.send_task(name, args=sent))
    else:
        transaction.on_commit(lambda: run(name, *args))


def run(name: str, *args: Any) -> None:
    """Run a task here and now; a failure is logged, never shown to the person whose action queued it."""
    try:
        _tasks[name](*args)
    except Exception:
        logger.exception("Background task %s failed", name)
