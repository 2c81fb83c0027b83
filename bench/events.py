"""Benchmark: the events calendar, a campaign page and the feed with 10,000 more events.

    .venv/bin/python -m bench.events        (on a database with the demo: samen migrate && samen demo)

Adds 10,000 upcoming events (1 in 100 in the demo's new campaign) with 3 registrations each in one
transaction, times each page with Django's test client (median and p95 of 20 requests, with the
query count), and rolls everything back.
"""

from __future__ import annotations

import datetime
import os
import time


class Rollback(Exception):
    pass


def measure(client, url: str) -> tuple[int, int, float, float]:
    from django.db import connection

    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        status = client.get(url).status_code
    times = []
    for _ in range(20):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    times.sort()
    return status, len(seen), times[10] * 1000, times[18] * 1000


def grow(count: int) -> None:
    from django.utils import timezone

    from samen.activities.events.models import Campaign, Event, Registration
    from samen.network.models import Organisation

    organisations = list(Organisation.objects.all())
    campaign = Campaign.objects.get(slug="week-van-de-veerkracht-nieuwe-editie")
    now = timezone.now()
    events = Event.objects.bulk_create(
        [
            Event(
                slug=f"bench-{i}",
                title=f"Bench {i}",
                organisation=organisations[i % len(organisations)],
                campaign=campaign if i % 100 == 0 else None,
                campaign_status="accepted" if i % 100 == 0 else "",
                starts_at=now + datetime.timedelta(hours=3 + i),
                ends_at=now + datetime.timedelta(hours=4 + i),
                place_name="Zaal",
                address="Straat 1",
                capacity=20,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    Registration.objects.bulk_create(
        [
            Registration(event=e, name="P", email=f"p{j}-{e.pk}@x.invalid", code=f"C{j}{e.pk}", status="confirmed")
            for e in events
            for j in range(3)
        ],
        batch_size=2000,
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    pages = [
        "/nl/events/",
        "/nl/events/?page=200",
        "/nl/campaigns/week-van-de-veerkracht-nieuwe-editie/",
        "/events.ics",
    ]
    print(f"{'page':<55} status queries p50 ms p95 ms")
    try:
        with transaction.atomic():
            grow(10_000)
            for url in pages:
                status, queries, p50, p95 = measure(client, url)
                print(f"{url:<55} {status:>6} {queries:>7} {p50:>6.0f} {p95:>6.0f}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
