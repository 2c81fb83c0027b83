"""Benchmark: public pages at X5000 scale against a trivial page, through the full Django stack.

    make bench-pages        (or: .venv/bin/python -m bench.pages [--members 5000] [--organisations 500])

Builds a throw-away SQLite database under var/bench/, loads the Hasselt demo, grows it to the
given size, then times each page with Django's test client (middleware, templates, database;
no network) and prints p50 / p95 per page, the ratio to /healthz, and the query count.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The first page is the trivial one the others are compared with: the base layout and a small form.
PAGES = [
    "/nl/account/login/",
    "/healthz",
    "/nl/",
    "/en/agenda/",
    "/nl/partners/",
    "/nl/partners/?sector=care",
    "/nl/partners/stad-hasselt/",
    "/api/v1/organisations?limit=100",
]


def setup(var_dir: Path) -> None:
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    os.environ.update(SAMEN_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def grow(members: int, organisations: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from samen.agenda.models import ActionDomain
    from samen.network.models import Area, Member, Organisation, Sector, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    sectors = list(Sector.objects.all())
    domains = list(ActionDomain.objects.all())
    start = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create(
        Organisation(
            slug=f"bench-{i}",
            name=f"Bench partner {i}",
            sector=sectors[i % len(sectors)],
            joined_on=datetime.date(2020, 1, 1),
            description_nl="Een partner.",
            description_en="A partner.",
        )
        for i in range(max(0, organisations - start))
    )
    through = Organisation.action_domains.through
    through.objects.bulk_create(
        through(organisation=o, actiondomain=domains[i % len(domains)]) for i, o in enumerate(orgs)
    )
    password = make_password(None)
    have = Member.objects.count()
    users = User.objects.bulk_create(
        User(email=f"bench{i}@bench.invalid", first_name="Bench", last_name=str(i), password=password)
        for i in range(max(0, members - have))
    )
    wijken = list(Area.objects.filter(kind="neighbourhood"))
    Member.objects.bulk_create(
        Member(user=u, joined_on=datetime.date(2024, 1, 1), neighbourhood=wijken[i % len(wijken)])
        for i, u in enumerate(users)
    )


def measure(runs: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    rows = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for url in PAGES:
            for _ in range(5):  # warm up caches and connections
                assert client.get(url).status_code == 200, url
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            rows.append((url, statistics.median(timings), statistics.quantiles(timings, n=20)[18], len(queries)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup(ROOT / "var" / "bench")
    grow(args.members, args.organisations)
    from samen.network.models import Member, Organisation

    print(
        f"{Member.objects.count()} members, {Organisation.objects.count()} organisations, SQLite, {args.runs} runs per page"
    )
    rows = measure(args.runs)
    trivial = rows[0][2]
    print(f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'× trivial p95':>14} {'queries':>8}")
    for url, p50, p95, queries in rows:
        print(f"{url:<36} {p50:>8.1f} {p95:>8.1f} {p95 / trivial:>14.1f} {queries:>8}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
