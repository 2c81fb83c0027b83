"""Periodic jobs: due once per interval, whoever ticks and however often."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from samen.core import periodic
from samen.core.models import PeriodicRun

calls: list[str] = []


@periodic.periodic(every=datetime.timedelta(hours=1))
def hourly_test_job() -> None:
    calls.append("ran")


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.SAMEN_TASKS = "inline"
    calls.clear()


def _tick_at(moment: datetime.datetime) -> list[str]:
    with mock.patch.object(periodic.timezone, "now", return_value=moment):
        return periodic.run_due()


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_once_per_interval_however_often_the_scheduler_ticks():
    start = timezone.now()
    assert hourly_test_job.task_name in _tick_at(start)
    assert hourly_test_job.task_name not in _tick_at(start + datetime.timedelta(minutes=1))
    assert hourly_test_job.task_name not in _tick_at(start + datetime.timedelta(minutes=59))
    assert hourly_test_job.task_name in _tick_at(start + datetime.timedelta(hours=1))
    assert calls == ["ran", "ran"]
    assert PeriodicRun.objects.get(name=hourly_test_job.task_name).last_started_at == start + datetime.timedelta(
        hours=1
    )


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_that_tick_at_once_start_a_job_once():
    moment = timezone.now()
    _tick_at(moment)
    _tick_at(moment)
    assert calls == ["ran"]


@pytest.mark.django_db(transaction=True)
def test_the_command_lists_and_runs_the_jobs(capsys):
    call_command("periodic", "--list")
    assert hourly_test_job.task_name in capsys.readouterr().out
    call_command("periodic")
    assert "job(s) started" in capsys.readouterr().out
    assert calls == ["ran"]


def test_celery_beat_ticks_the_one_task(settings):
    assert settings.CELERY_BEAT_SCHEDULE["samen-periodic"]["task"] == periodic.run_due.task_name
