"""Periodic work (digests, reminders, escalations, retention), declared once and run two ways.

`@periodic(every=timedelta(minutes=15))` on a function declares it as a task (see core.tasks) and
as a job that is due every 15 minutes. One task, `run_due`, starts the jobs that are due:
- at scale, Celery beat calls `run_due` every minute (`celery -A samen.celery_app beat`) and each
  due job goes to the workers;
- on one machine, `samen serve` starts `samen periodic` beside gunicorn, a loop that calls it,
  so `make run` sends due digests without anyone adding a cron line.
A job is claimed in the database before it starts (PeriodicRun), so two schedulers never start it
twice in one interval. Jobs must still be idempotent and keep their own windows: a job that runs
late or twice must neither skip nor repeat work."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from samen.core.tasks import enqueue, task

logger = logging.getLogger(__name__)
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Job:
    name: str
    fn: Callable[..., Any]
    every: datetime.timedelta


_jobs: dict[str, Job] = {}


def periodic(*, every: datetime.timedelta) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a function without arguments as a task that runs every `every`."""

    def declare(fn: Callable[..., Any]) -> Callable[..., Any]:
        task(fn)
        _jobs[fn.task_name] = Job(fn.task_name, fn, every)  # type: ignore[attr-defined]
        return fn

    return declare


def jobs() -> list[Job]:
    autodiscover_modules("tasks")  # every app declares its jobs in its tasks module
    return sorted(_jobs.values(), key=lambda job: job.name)


def _claim(job: Job, now: datetime.datetime) -> bool:
    from samen.core.models import PeriodicRun

    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=job.name, defaults={"last_started_at": EPOCH})
    except IntegrityError:
        pass  # another scheduler made the row at the same moment
    due_before = now - job.every + datetime.timedelta(seconds=5)  # a tick that comes a little early still counts
    return PeriodicRun.objects.filter(name=job.name, last_started_at__lte=due_before).update(last_started_at=now) == 1


@task
def run_due() -> list[str]:
    """Start every job that is due; returns their names."""
    now = timezone.now()
    started = []
    for job in jobs():
        if _claim(job, now):
            enqueue(job.fn)
            started.append(job.name)
    if started:
        logger.info("Periodic jobs started: %s", ", ".join(started))
    return started
