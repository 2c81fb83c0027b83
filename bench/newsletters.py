"""Benchmark: queue a newsletter to 50,000 people and mail some of its batches, on SQLite.

    .venv/bin/python -m bench.newsletters [--members 50000] [--mail-batches 3] [--fresh]

Makes a throw-away database under var/bench-newsletters/ (migrations only, no demo) with the members, all of
whom consented to the newsletter. Then:
1. queues the newsletter (`newsletters.newsletter_send`: the claim, the segment read in chunks, the delivery rows,
   one task per batch), with the tasks recorded instead of run, as a Celery queue would hold them; it prints the
   time, the queries (in all and per batch of 500) and the peak memory of the queueing (tracemalloc);
2. runs the first, a middle and the last batch tasks (`newsletter_batch`) with Django's in-memory mail backend
   (everything but the SMTP conversation) and prints the queries of each: the batch is claimed in one UPDATE and
   recorded every RECORD_EVERY mails, so they must not depend on where the batch is in the 50,000, nor on how
   many there are.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-newsletters"


def setup(fresh: bool) -> None:
    if fresh and VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.update(SAMEN_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0, interactive=False)


def fill(members: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from samen.communication.models import Profile
    from samen.core.permissions import BACKBONE
    from samen.network.models import User

    if User.objects.count() >= members:
        return
    password = make_password(None)
    User.objects.bulk_create(
        (User(email=f"bench{i}@example.org", first_name=f"Lid{i}", password=password) for i in range(members)),
        batch_size=5000,
    )
    backbone, _ = Group.objects.get_or_create(name=BACKBONE)
    backbone.user_set.add(User.objects.order_by("pk").first())
    now = timezone.now()
    Profile.objects.bulk_create(
        (
            Profile(user_id=pk, newsletter_consent=True, newsletter_consent_at=now, language="en" if pk % 4 else "nl")
            for pk in User.objects.values_list("pk", flat=True).iterator(chunk_size=5000)
        ),
        batch_size=5000,
        ignore_conflicts=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--mail-batches", type=int, default=3, help="How many batches to mail (first, middle, last).")
    parser.add_argument("--fresh", action="store_true", help="Start from an empty database.")
    args = parser.parse_args()
    setup(args.fresh)
    from django.core import mail
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from samen.communication import newsletters
    from samen.communication.models import Delivery, Newsletter
    from samen.network.models import User

    started = time.perf_counter()
    fill(args.members)
    print(f"data: {args.members:,} members who consented ({time.perf_counter() - started:.0f} s)")
    coordinator = User.objects.order_by("pk").first()
    letter = newsletters.newsletter_save(
        newsletter=Newsletter(
            subject_nl="Nieuwsbrief", body_nl="<p>Wat we samen deden.</p>", subject_en="Newsletter", body_en="<p>Hi</p>"
        ),
        actor=coordinator,
        relations={},
    )
    queued: list[tuple[int, int, int]] = []
    newsletters.enqueue = lambda fn, *task_args: queued.append(task_args)  # type: ignore[assignment]

    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        total = newsletters.newsletter_send(newsletter=letter, actor=coordinator)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    batches = len(queued)
    print(f"queued {total:,} deliveries in {batches} batches in {elapsed:.1f} s")
    inserts = sum('INSERT INTO "communication_delivery"' in q["sql"] for q in queries.captured_queries)
    print(
        f"queries to queue: {len(queries)} in all: {inserts / batches:g} inserts per batch of {newsletters.BATCH} "
        f"(SQLite binds at most 999 values per insert) and {len(queries) - inserts} others, whatever the number of people"
    )
    print(f"peak memory of the queueing (tracemalloc, with query logging): {peak / 1e6:.1f} MB")

    picks = sorted({0, batches // 2, batches - 1})[: args.mail_batches]
    for index in picks:
        mail.outbox = []
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            mailed = newsletters.newsletter_batch(*queued[index])
        elapsed = time.perf_counter() - started
        print(
            f"batch {index + 1} of {batches}: {mailed} mailed in {elapsed:.1f} s ({mailed / elapsed:.0f} mails/s), "
            f"{len(queries)} queries (one claim; per part of {newsletters.RECORD_EVERY}: taken again, recorded)"
        )
    counts = dict(Delivery.objects.order_by().values_list("status").annotate(n=Count("pk")))
    print(f"deliveries: {counts}")


if __name__ == "__main__":
    main()
