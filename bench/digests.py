"""Benchmark: build the daily digests of 50,000 members, on SQLite.

    .venv/bin/python -m bench.digests [--members 50000] [--per-member 6]

Makes a throw-away database under var/bench-digests/ (migrations only, no demo), with the members,
a few coordinators and partner editors (so "actions for you" is computed too: values, proposals,
their events proposed for a campaign, roles to confirm) and `--per-member` notifications each in
yesterday's window, spread over what they follow. Every member lives in one of 24 neighbourhoods of
4 districts, where published activities hold 40 public events in the window of "events coming up
near you", so each digest names the ones near its reader. Then builds every digest
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
    places(now)


def places(now: datetime.datetime) -> None:
    """Neighbourhoods for everyone, events coming up in them, and partner editors with work waiting."""
    from django.contrib.auth.models import Group

    from samen.activities.events.models import Campaign, Event
    from samen.activities.models import Activity
    from samen.agenda.models import ActionDomain
    from samen.communication.digests import coming_up_window
    from samen.core.permissions import PARTNER_EDITORS
    from samen.network.models import Area, Member, Membership, Organisation, Sector, User

    city = Area.objects.create(code="stad", name="Stad", kind=Area.Kind.CITY, path="/stad/")
    districts = [
        Area.objects.create(code=f"d{d}", name=f"Wijk {d}", kind=Area.Kind.DISTRICT, parent=city, path=f"/stad/d{d}/")
        for d in range(4)
    ]
    hoods = [
        Area.objects.create(
            code=f"d{d.code[1:]}b{b}", name=f"Buurt {b}", kind=Area.Kind.NEIGHBOURHOOD, parent=d, path=f"{d.path}b{b}/"
        )
        for d in districts
        for b in range(6)
    ]
    Member.objects.bulk_create(
        (
            Member(user_id=pk, neighbourhood=hoods[pk % len(hoods)], joined_on=now.date())
            for pk in User.objects.values_list("pk", flat=True).iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    sector = Sector.objects.create(slug="zorg", name_nl="Zorg", name_en="Care")
    org = Organisation.objects.create(slug="wijkzorg", name="Wijkzorg", sector=sector, joined_on=now.date())
    domain = ActionDomain.objects.create(slug="zorg-dichtbij", name_nl="Zorg dichtbij", name_en="Care nearby")
    start, _stop = coming_up_window("daily", now)
    campaign = Campaign.objects.create(
        slug="week",
        title="Week",
        theme="Samen",
        starts_on=start.date(),
        ends_on=start.date() + datetime.timedelta(days=9),
    )
    for i, area in enumerate(districts + hoods[:6]):  # district-wide activities, and a few in one neighbourhood
        activity = Activity.objects.create(slug=f"act-{i}", title=f"Activiteit {i}", summary="s", lead_organisation=org)
        activity.action_domains.add(domain)
        activity.areas.add(area)
        for e in range(4):
            at = start + datetime.timedelta(hours=2 + e * 5)
            Event.objects.create(
                slug=f"event-{i}-{e}",
                title=f"Buurtmoment {i}.{e}",
                organisation=org,
                activity=activity,
                starts_at=at,
                ends_at=at + datetime.timedelta(hours=2),
                place_name="Buurthuis",
                address="Markt 1",
                campaign=campaign if e == 0 else None,
                campaign_status="proposed" if e == 0 else "",
            )
    editors, _ = Group.objects.get_or_create(name=PARTNER_EDITORS)
    people = list(Member.objects.order_by("user_id")[5:45])
    editors.user_set.add(*[m.user_id for m in people[:20]])
    Membership.objects.bulk_create(
        [Membership(member=m, organisation=org, is_editor=i < 20, is_confirmed=i < 20) for i, m in enumerate(people)]
    )


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

    near = acting = 0

    def build() -> tuple[int, int]:
        nonlocal near, acting
        built = items = near = acting = 0
        for content in digests_build("daily", now=now + datetime.timedelta(minutes=1)):
            content.context()  # what goes into the mail
            built += 1
            items += content.items
            near += bool(content.coming_up)
            acting += bool(content.actions)
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
    print(f"of which {near:,} name events coming up near the reader, {acting:,} have actions for them")
    print(f"queries: {len(queries)} ({len(queries) / max(built, 1) * 500:.1f} per batch of 500)")
    print(
        f"peak memory of the build (tracemalloc): {peak / 1e6:.1f} MB; "
        f"process max RSS: {rss_before:.0f} MB before, {rss:.0f} MB after"
    )


if __name__ == "__main__":
    main()
