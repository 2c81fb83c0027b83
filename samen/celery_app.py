"""The Celery application: background workers on Redis when SAMEN_TASKS=celery (see core.tasks).

Not named celery.py: run from inside the package, that name would hide the library."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")

app = Celery("samen")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's background work lives in its `tasks` module; the worker imports them all.
app.autodiscover_tasks(related_name="tasks")
# The beat's one tick (see core.periodic), which lives beside the task interface, not in a tasks module.
app.conf.include = ["samen.core.periodic"]
