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

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac

from samen.celery_app import app as celery_app

logger = logging.getLogger(__name__)
_tasks: dict[str, Callable[..., Any]] = {}


def task(fn: Callable[..., Any] | None = None, *, sealed: bool = False, aliases: tuple[str, ...] = ()) -> Any:
    """Declare a function as background work; the same name serves both ways of running it.

    `@task(sealed=True)` is for work whose arguments are secrets or personal data (sign-in codes,
    reset and invitation links, addresses): on Celery they travel encrypted as one token, so the
    broker, its persistence and the workers' logs never hold them in the clear.

    `aliases` are the names a moved task had before (a task is named by module and function): a
    message queued under the old name by the release before, during a deploy, still finds it."""

    def declare(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{fn.__module__}.{fn.__name__}"
        for known in (name, *aliases):
            _register(known, fn, sealed)
        fn.task_name = name  # type: ignore[attr-defined]
        fn.task_sealed = sealed  # type: ignore[attr-defined]
        return fn

    return declare(fn) if fn is not None else declare


def _register(name: str, fn: Callable[..., Any], sealed: bool) -> None:
    """Make `fn` runnable under `name`, here (`run`) and on Celery workers."""
    _tasks[name] = fn
    if sealed:

        def opened(*args: Any) -> Any:
            # A message queued unsealed (by a web process of the release before, during a deploy)
            # still runs: sealed messages are one token that opens with our keys.
            if len(args) == 1 and isinstance(args[0], str):
                try:
                    return fn(*unseal(args[0]))
                except InvalidToken:
                    logger.warning("Task %s: a sealed message that does not open (expired or other key)", name)
                    return None
            return fn(*args)

        celery_app.task(name=name, acks_late=True)(opened)
    else:
        celery_app.task(name=name, acks_late=True)(fn)


# A sealed message older than this is refused: longer than any queue backlog, short enough that a
# message captured from the broker cannot be replayed for long.
SEALED_TTL = 2 * 24 * 3600


def _fernet() -> MultiFernet:
    # Keys of their own, derived from SECRET_KEY (which every web process and worker shares already)
    # and from SECRET_KEY_FALLBACKS, so messages queued before a key rotation still open.
    keys = []
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        digest = salted_hmac("samen.core.tasks.sealed", "task arguments", secret=secret, algorithm="sha256").digest()
        keys.append(Fernet(base64.urlsafe_b64encode(digest)))
    return MultiFernet(keys)


def seal(args: tuple[Any, ...] | list[Any]) -> str:
    return _fernet().encrypt(json.dumps(list(args)).encode()).decode()


def unseal(token: str) -> list[Any]:
    return json.loads(_fernet().decrypt(token.encode(), ttl=SEALED_TTL))


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
