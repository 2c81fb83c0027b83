"""The task interface: inline after the commit by default, on a real Celery worker through Redis at scale."""

import os
import socket

import pytest
from django.core.cache import cache
from django.db import transaction

from samen.core import tasks
from samen.measurement.models import Indicator
from samen.measurement.selectors import data_tokens


def _redis_url() -> str | None:
    url = os.environ.get("SAMEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable on 127.0.0.1:6379; CI needs it for the Celery test.")
        return None
    return url


@tasks.task
def _remember(key: str, value: str) -> None:
    cache.set(key, value)


@tasks.task
def _explode() -> None:
    raise RuntimeError("boom")


def test_inline_tasks_run_after_the_commit_not_before(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.enqueue(_remember, "k", "v")
        assert cache.get("k") is None  # not yet: the transaction could still roll back
    assert len(callbacks) == 1
    assert cache.get("k") == "v"


def test_a_rolled_back_transaction_runs_nothing(transactional_db):
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue(_remember, "k2", "v")
        raise RuntimeError("rollback")
    assert cache.get("k2") is None


def test_a_failing_task_is_logged_not_raised(db, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(_explode)
    assert "Background task" in caplog.text and "boom" in caplog.text


def test_only_declared_functions_can_be_queued(db):
    with pytest.raises(ValueError, match="not declared"):
        tasks.enqueue(print, "x")


def test_an_approval_warms_the_public_figures(db, django_capture_on_commit_callbacks, visits):
    """After a change the figures are computed by the task, so the next visitor reads the cache."""
    from samen.measurement import selectors
    from samen.measurement.services import published_data_changed

    with django_capture_on_commit_callbacks(execute=True):
        published_data_changed([visits.pk])
    indicator = Indicator.objects.get(pk=visits.pk)
    token = data_tokens([indicator])[indicator.pk]
    key = f"samen:ind:{indicator.pk}:v{indicator.version}:{token}:0:nl"
    assert isinstance(cache.get(key), selectors.IndicatorView)


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_on_redis_runs_queued_work(settings):
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from celery.contrib.testing.worker import start_worker

    from samen.celery_app import app

    settings.SAMEN_TASKS = "celery"
    app.conf.update(broker_url=url, result_backend=None, task_always_eager=False)
    marker = f"celery-{os.getpid()}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            tasks.enqueue(_remember, marker, "done")
        for _ in range(100):
            if cache.get(marker) == "done":
                break
            import time

            time.sleep(0.05)
    assert cache.get(marker) == "done"


def test_sealed_messages_open_after_a_key_rotation_expire_and_old_unsealed_ones_still_run(db, settings, mailoutbox):
    import time as clock
    from unittest import mock

    from samen.celery_app import app
    from samen.core.mail import deliver_rendered

    args = ["Subject", "Body", "", ["mila@example.org"], "samen@example.org"]
    task = app.tasks[deliver_rendered.task_name]
    old_key = settings.SECRET_KEY
    token = tasks.seal(args)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + "k" * 50, [old_key]
    task(token)
    assert len(mailoutbox) == 1
    task(*args)  # queued unsealed by the release before
    assert len(mailoutbox) == 2
    with mock.patch("cryptography.fernet.time.time", return_value=clock.time() + 3 * 24 * 3600):
        task(token)  # three days later: refused, not mailed
    assert len(mailoutbox) == 2
