"""Benchmark: build the daily digests of 50,000 members, on SQLite.

    .venv/bin/python -m bench.digests [--members 50000] [--per-member 6]

Makes a throw-away database under var/bench-digests/ (migrations only, no demo), with the members,
a few coordinators and editors (so "actions for you" is computed too) and `--per-member`
notifications each in yesterday's window, spread over what they follow. Then builds every digest
(everything except the SMTP send) and prints digests per second, the queries used and the peak
memory of the build (tracemalloc) and of the process (max RSS).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-digests"


def setup(fresh: bool) -> None:
    if fresh and VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.update(SAMEN_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fill(members: int, per_member: int, now: datetime.datetime) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from samen.communication.models import Notification, Topic
    from samen.core.permissions import BACKBONE
    from samen.network.models import User

    if User.objects.count() >= members:
        return
    rng = random.Random(50000)
    password = make_password(None)
    User.objects.bulk_create(
        (User(email=f"bench{i}@example.org", first_name=f"Lid{i}", password=password) for i in range(members)),
        batch_size=5000,
    )
    backbone, _ = Group.objects.get_or_create(name=BACKBONE)
    backbone.user_set.add(*User.objects.order_by("pk")[:5])
    labels = ["Zorg dichtbij", "Niemand alleen", "Gezond ouder worden", "Runkst", "Week van de Veerkracht"]
    start = now - datetime.timedelta(days=1)
    batch = []
    for user_id in User.objects.values_list("pk", flat=True).iterator(chunk_size=5000):
        for n in range(per_member):
            batch.append(
                Notification(
                    user_id=user_id,
                    topic=Topic.NEWS if n % 3 else Topic.EVENTS,
                    text=f"Nieuws {n}: iets gebeurde in de buurt",
                    url=f"/nl/news/item-{n}/",
                    via=rng.choice(labels),
                    created_at=start + datetime.timedelta(minutes=rng.randrange(24 * 60 - 1)),
                )
            )
        if len(batch) >= 20000:
            Notification.objects.bulk_create(batch)
            batch = []
    Notification.objects.bulk_create(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--per-member", type=int, default=6)
    parser.add_argument("--fresh", action="store_true", help="Start from an empty database.")
    args = parser.parse_args()
    setup(args.fresh)
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from samen.communication.digests import boundary, digests_build

    now = boundary("daily", timezone.now())
    started = time.perf_counter()
    fill(args.members, args.per_member, now)
    print(
        f"data: {args.members:,} members, {args.per_member} notifications each ({time.perf_counter() - started:.0f} s)"
    )
    reset_queries()

    def build() -> tuple[int, int]:
        built = items = 0
        for content in digests_build("daily", now=now + datetime.timedelta(minutes=1)):
            content.context()  # what goes into the mail
            built += 1
            items += content.items
        return built, items

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        built, items = build()
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()  # a second pass only for memory: tracemalloc slows Python down several times
    build()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"built {built:,} daily digests ({items:,} items) in {elapsed:.1f} s: {built / elapsed:,.0f} digests/s")
    print(f"queries: {len(queries)} ({len(queries) / max(built, 1) * 500:.1f} per batch of 500)")
    print(
        f"peak memory of the build (tracemalloc): {peak / 1e6:.1f} MB; "
        f"process max RSS: {rss_before:.0f} MB before, {rss:.0f} MB after"
    )


if __name__ == "__main__":
    main()
