"""Benchmark: public pages at X5000 scale against a trivial page, through the full Django stack.

    make bench-pages        (or: .venv/bin/python -m bench.pages [--members 5000] [--organisations 500])
    .venv/bin/python -m bench.pages --on var/bench-load-x5000 [--profile]
    DATABASE_URL=postgres://… .venv/bin/python -m bench.pages --on var/bench-load-x50000-postgres

Builds a throw-away SQLite database under var/bench/, loads the Hasselt demo, grows it to the
given size, then times each page with Django's test client (middleware, templates, database;
no network) and prints p50 / p95 per page, the ratio to the sign-in form, the query count and
the time spent in SQL. With --on it measures instead the pages of the load harness's mix
(bench/locustfile.py) on the data bench/load.py made there (X5000 or X50000), first request
(cold caches) and then warm; --profile adds the functions that cost most, per page. With --on and
--member it measures instead what a signed-in member of the mix asks for (their profile, the pages as
a member, and the writes: register, join a role, support, invite): CPU ms per request, queries, and
which tables' versions each write raised (the visitor pages it makes stale); with --member-page URL, that
one page for one member, --runs times.
"""

from __future__ import annotations

import argparse
import datetime
import json
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


def mix_pages(var_dir: Path) -> list[str]:
    """The pages bench/locustfile.py asks for, with the targets bench/load.py chose on this data."""
    targets = json.loads((var_dir / "targets.json").read_text())
    return [
        "/en/account/login/",
        "/en/",
        "/en/dashboard/",
        *(f"/en/indicators/{code}/" for code in targets["indicators"][:2]),
        *(f"/en/challenges/{slug}/" for slug in targets["challenges"][:2]),
        "/en/activities/",
        "/en/events/",
        "/en/network/growth/",
        "/en/network/map/data.json",
        "/api/v1/indicators",
        "/nl/",
        "/nl/activities/",
    ]


def _timed(client, url: str) -> tuple[float, int, float]:
    """One request: wall ms, queries, ms of it spent in SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        answer = client.get(url)
        wall = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (url, answer.status_code)
    return wall, len(queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000


def measure(runs: int, pages: list[str] = PAGES, profile: bool = False) -> list[tuple]:
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    rows = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for url in pages:
            cold = _timed(client, url)[0]
            for _ in range(4):  # warm up caches and connections
                _timed(client, url)
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            _, count, sql = _timed(client, url)
            rows.append((url, statistics.median(timings), statistics.quantiles(timings, n=20)[18], count, sql, cold))
            if profile:
                show_profile(client, url)
    return rows


def show_profile(client, url: str) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    print(f"--- {url}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"samen/|django/template/(base|loader_tags)", 12)


def on_existing(var_dir: Path, runs: int, profile: bool, member: bool = False, page: str = "") -> None:
    os.environ.update(SAMEN_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", verbosity=0, interactive=False)
    from samen.measurement.models import Measurement
    from samen.network.models import Member

    print(
        f"{var_dir.name}: {Member.objects.count()} members, {Measurement.objects.count()} measurements, "
        f"{connection.vendor}, {runs} runs per page, load average {os.getloadavg()[0]:.1f}"
    )
    if page:
        return measure_member_page(var_dir, page, runs)
    if member:
        return measure_member(var_dir, runs)
    report(measure(runs, mix_pages(var_dir), profile))


def _member_requests(var_dir: Path) -> list[tuple[str, str, str, dict]]:
    """(name, method, url, data) of what bench/locustfile.py's Member asks, over the harness's targets."""
    targets = json.loads((var_dir / "targets.json").read_text())
    found = [("my profile", "get", "/en/profile/", {}), ("calendar (member)", "get", "/en/events/", {})]
    found += [("home (member)", "get", "/en/", {}), ("activities (member)", "get", "/en/activities/", {})]
    found += [("challenge (member)", "get", f"/en/challenges/{targets['challenges'][0]}/", {})]
    found += [("register", "post", f"/en/events/{slug}/register/", {}) for slug in targets["events"]]
    found += [("join a role", "post", f"/en/activities/{slug}/roles/{pk}/join/", {}) for slug, pk in targets["roles"]]
    found += [("support", "post", f"/en/proposals/{pk}/support/", {}) for pk in targets["proposals"]]
    found += [
        (
            "invite",
            "post",
            "/en/network/invite/",
            {"email": f"friend-{n}-{time.time_ns()}@bench.invalid", "message": ""},
        )
        for n in range(10)
    ]
    return found


def measure_member(var_dir: Path, runs: int) -> None:
    """Each request of a member `runs` times (writes: once per target, by a different member each round):
    CPU ms (this process: the test client, middleware, templates, the database driver), queries, and for
    writes the version rows they raised."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from samen.network import table_versions
    from samen.network.models import User

    emails = json.loads((var_dir / "targets.json").read_text())["members"]
    cpu: dict[str, list[float]] = {}
    queries: dict[str, list[int]] = {}
    raised: dict[str, set[str]] = {}
    mail = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(ALLOWED_HOSTS=["testserver"], EMAIL_BACKEND=mail):
        for round_ in range(runs):
            client = Client()
            client.force_login(User.objects.get(email=emails[round_ % len(emails)]))
            client.get("/en/profile/")  # the session, the CSRF cookie
            for n, (name, method, url, data) in enumerate(_member_requests(var_dir)):
                address = f"10.{round_ % 250}.{n % 250}.1"  # each request its own: under the forms' per-address limits
                before = table_versions._all_versions()
                with CaptureQueriesContext(connection) as captured:
                    started = time.process_time()
                    answer = getattr(client, method)(url, data, REMOTE_ADDR=address)
                    used = (time.process_time() - started) * 1000
                assert answer.status_code in (200, 302), (url, answer.status_code)
                cpu.setdefault(name, []).append(used)
                queries.setdefault(name, []).append(len(captured))
                after = table_versions._all_versions()
                changed = {n.removeprefix(table_versions.PREFIX) for n in after if after[n] != before.get(n)}
                raised.setdefault(name, set()).update(changed)
    print(f"{'request':<22} {'n':>4} {'CPU p50 ms':>10} {'CPU max ms':>10} {'queries':>9}  versions raised")
    for name, times in cpu.items():
        counts = queries[name]
        print(
            f"{name:<22} {len(times):>4} {statistics.median(times):>10.1f} {max(times):>10.1f} "
            f"{min(counts):>4}–{max(counts):<4}  {', '.join(sorted(raised[name])) or '-'}"
        )


def measure_member_page(var_dir: Path, url: str, runs: int) -> None:
    """One page for one member (the harness's first), `runs` warm GETs: CPU ms p50 and least, queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from samen.network.models import User

    email = json.loads((var_dir / "targets.json").read_text())["members"][0]
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(User.objects.get(email=email))
        client.get(url)  # warm: the session, the kept copies
        used = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                client.get(url)
                used.append((time.process_time() - started) * 1000)
    print(
        f"{url}: CPU p50 {statistics.median(used):.1f} ms, least {min(used):.1f} ms, {len(captured)} queries "
        f"({runs} runs, load average {os.getloadavg()[0]:.1f})"
    )


def report(rows: list[tuple]) -> None:
    trivial = rows[0][2]
    print(f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'× trivial':>10} {'queries':>8} {'SQL ms':>7} {'cold ms':>8}")
    for url, p50, p95, queries, sql, cold in rows:
        print(f"{url:<36} {p50:>8.1f} {p95:>8.1f} {p95 / trivial:>10.1f} {queries:>8} {sql:>7.1f} {cold:>8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--on", type=Path, help="a var folder made by bench/load.py: measure the load mix there")
    parser.add_argument("--profile", action="store_true", help="with --on: the costliest functions per page")
    parser.add_argument("--member", action="store_true", help="with --on: a member's pages and writes (CPU, queries)")
    parser.add_argument(
        "--member-page", default="", metavar="URL", help="with --on: one page for one member, --runs times"
    )
    args = parser.parse_args()
    if args.on:
        return on_existing(args.on.resolve(), args.runs, args.profile, args.member, args.member_page)
    setup(ROOT / "var" / "bench")
    grow(args.members, args.organisations)
    from samen.network.models import Member, Organisation

    print(
        f"{Member.objects.count()} members, {Organisation.objects.count()} organisations, SQLite, {args.runs} runs per page"
    )
    report(measure(args.runs))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
