"""Benchmark: the network map's data endpoint (and its page) at X5000 scale, cold and warm cache.

    .venv/bin/python -m bench.network_map [--members 5000] [--organisations 500] [--activities 2000]

Builds a throw-away SQLite database under var/bench-network/ (the Hasselt demo grown like
bench/pages.py), lets half of the people consent to be shown, ties every person to an
organisation and most to whoever brought them, and adds activities of 1–4 organisations.
"Cold" clears the cache before each request (layout, measures and JSON are rebuilt);
"warm" is the cached map. Prints p50 / p95 in ms, the query count and the response size.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time

from bench.pages import ROOT, grow, setup

URLS = [
    ("visitor", "/nl/network/map/data.json"),
    ("member", "/nl/network/map/data.json"),
    ("member", "/nl/network/map/data.json?domain={domain}"),
    ("visitor", "/nl/network/map/"),
    ("member", "/nl/network/map/"),
    ("visitor", "/nl/network/growth/"),
    ("visitor", "/api/v1/network/growth"),
]


def tie_up(activities: int) -> None:
    """People at organisations, consent, invitation chains and shared activities, in bulk."""
    from samen.activities.models import Activity
    from samen.agenda.models import ActionDomain
    from samen.network import ties
    from samen.network.models import Area, Member, Membership, Organisation

    rng = random.Random(5000)
    orgs = list(Organisation.objects.values_list("pk", flat=True))
    members = list(Member.objects.order_by("joined_on", "pk"))
    for i, member in enumerate(members):
        member.show_publicly = i % 2 == 0
        member.brought_by = members[rng.randrange(i)] if i > 60 and rng.random() < 0.8 else None
    Member.objects.bulk_update(members, ["show_publicly", "brought_by"], batch_size=1000)
    working = set(Membership.objects.values_list("member_id", flat=True))
    Membership.objects.bulk_create(
        Membership(member=m, organisation_id=rng.choice(orgs), is_confirmed=True)
        for m in members
        if m.pk not in working
    )
    domains = list(ActionDomain.objects.values_list("pk", flat=True))
    areas = list(Area.objects.filter(kind="neighbourhood").values_list("pk", flat=True))
    made = Activity.objects.bulk_create(
        Activity(
            slug=f"bench-activity-{i}",
            title=f"Bench activity {i}",
            summary="A shared activity.",
            lead_organisation_id=rng.choice(orgs),
            starts_on=datetime.date(2018 + i % 9, 1 + i % 12, 1),
        )
        for i in range(activities)
    )
    partners = Activity.partner_organisations.through
    partners.objects.bulk_create(
        (partners(activity=a, organisation_id=o) for a in made for o in set(rng.sample(orgs, rng.randint(0, 3)))),
        ignore_conflicts=True,
    )
    through = Activity.action_domains.through
    through.objects.bulk_create(through(activity=a, actiondomain_id=rng.choice(domains)) for a in made)
    where = Activity.areas.through
    where.objects.bulk_create(where(activity=a, area_id=rng.choice(areas)) for a in made)
    ties.data_changed()  # bulk inserts send no signals


def reuse(folder) -> None:
    os.environ.update(SAMEN_VAR_DIR=str(folder), DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def measure(runs: int, cold_runs: int) -> list[tuple]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from samen.agenda.models import ActionDomain
    from samen.network import ties
    from samen.network.models import User

    domain = ActionDomain.objects.order_by("slug").values_list("slug", flat=True).first()
    clients = {"visitor": Client(), "member": Client()}
    clients["member"].force_login(User.objects.get(email="member@demo.samen.invalid"))
    rows = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for who, pattern in URLS:
            url, client = pattern.format(domain=domain), clients[who]
            cold = []
            for _ in range(cold_runs):
                ties.data_changed()  # a new data version: nothing cached, in any process
                cache.clear()
                clients["member"].force_login(User.objects.get(email="member@demo.samen.invalid"))
                started = time.perf_counter()
                response = client.get(url)
                cold.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            ties.data_changed()
            cache.clear()
            clients["member"].force_login(User.objects.get(email="member@demo.samen.invalid"))
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            query_count = len(queries)  # now: the log is a ring buffer that later requests move on
            warm = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(url)
                warm.append((time.perf_counter() - started) * 1000)
            rows.append(
                (who, url, statistics.median(cold), max(cold), statistics.median(warm),
                 statistics.quantiles(warm, n=20)[18], query_count, len(response.content))
            )  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="time the database of the last run again")
    args = parser.parse_args()
    folder = ROOT / "var" / "bench-network"
    if args.reuse and folder.exists():
        reuse(folder)
    else:
        setup(folder)
        grow(args.members, args.organisations)
        tie_up(args.activities)
    from samen.activities.models import Activity
    from samen.network.models import Member, Organisation

    print(
        f"{Member.objects.count()} members ({Member.objects.filter(show_publicly=True).count()} shown), "
        f"{Organisation.objects.count()} organisations, {Activity.objects.count()} activities; SQLite; "
        f"{args.cold_runs} cold and {args.runs} warm runs"
    )
    print(
        f"{'who':<8} {'url':<44} {'cold p50':>9} {'cold max':>9} {'warm p50':>9} {'warm p95':>9} {'queries':>8} {'kB':>7}"
    )
    for who, url, cold50, cold_max, warm50, warm95, queries, size in measure(args.runs, args.cold_runs):
        print(
            f"{who:<8} {url:<44} {cold50:>9.1f} {cold_max:>9.1f} {warm50:>9.1f} {warm95:>9.1f} {queries:>8} {size / 1024:>7.0f}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
