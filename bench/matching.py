"""Benchmark: matching members and open roles at X5000 scale, and the activities pages.

    .venv/bin/python -m bench.matching [--members 5000] [--activities 2000] [--runs 200]

Builds a throw-away SQLite database under var/bench-matching/, loads the Hasselt demo, grows it
to the given numbers of members (each with interests, skills, a neighbourhood and times they
can help) and activities (each with two or three open roles), then times
"activities for a member" (`roles_for_member`) and "members for a role" (`members_for_role`)
on random members and roles, and the activity pages through the full Django stack.
Prints p50 / p95 in ms and the query count of each.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/nl/account/login/",  # the trivial page the others compare with (as in bench/pages.py)
    "/nl/activities/",
    "/nl/activities/?domain=zorgzame-buurten&area=hasselt-centrum",
    "/nl/activities/who-does-what/",
]


def grow(members: int, activities: int, rng: random.Random) -> None:
    from django.contrib.auth.hashers import make_password

    from samen.activities.models import Activity, Role
    from samen.agenda.models import ActionDomain, Goal
    from samen.network.models import Area, Member, Organisation, Skill, User

    domains = list(ActionDomain.objects.all())
    goals = list(Goal.objects.all())
    skills = list(Skill.objects.all())
    areas = list(Area.objects.exclude(kind=Area.Kind.CITY))
    wijken = [a for a in areas if a.kind == Area.Kind.NEIGHBOURHOOD]
    orgs = list(Organisation.objects.all())
    slots = ["weekday-daytime", "weekday-evening", "weekend"]

    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"match{i}@bench.invalid", first_name="Bench", last_name=str(i), password=password)
        for i in range(max(0, members - Member.objects.count()))
    )
    new = Member.objects.bulk_create(
        Member(
            user=u,
            joined_on=datetime.date(2024, 1, 1),
            neighbourhood=rng.choice(wijken),
            availability=rng.sample(slots, k=rng.randint(0, 2)),
        )
        for u in users
    )
    Member.interests.through.objects.bulk_create(
        Member.interests.through(member=m, actiondomain=d)
        for m in new
        for d in rng.sample(domains, k=rng.randint(1, 2))
    )
    Member.skills.through.objects.bulk_create(
        Member.skills.through(member=m, skill=s) for m in new for s in rng.sample(skills, k=rng.randint(1, 3))
    )

    made = Activity.objects.bulk_create(
        Activity(
            slug=f"bench-activity-{i}",
            title=f"Bench activity {i}",
            summary="An activity of the benchmark.",
            lead_organisation=rng.choice(orgs),
            status=rng.choice(["planned", "running", "running", "finished"]),
        )
        for i in range(max(0, activities - Activity.objects.count()))
    )
    for name, column, pool, k in (
        ("action_domains", "actiondomain", domains, (1, 2)),
        ("goals", "goal", goals, (1, 2)),
        ("areas", "area", areas, (1, 3)),
        ("partner_organisations", "organisation", orgs, (0, 3)),
    ):
        through = getattr(Activity, name).through
        through.objects.bulk_create(
            through(activity=a, **{column: x}) for a in made for x in rng.sample(pool, k=rng.randint(*k))
        )
    Role.objects.bulk_create(
        Role(
            activity=a,
            title=f"Role {n}",
            skill=rng.choice([*skills, None]),
            places=rng.randint(1, 8),
            time_asked="Two hours a week",
            availability=rng.choice(["", *slots]),
        )
        for a in made
        for n in range(rng.randint(2, 3))
    )


def timed(calls: list, fn) -> tuple[float, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for arg in calls[:5]:
        fn(arg)  # warm up
    timings, cpu = [], []
    for arg in calls:
        started, cpu_started = time.perf_counter(), time.process_time()
        fn(arg)
        timings.append((time.perf_counter() - started) * 1000)
        # CPU time of this process (SQLite runs in it): what a quiet machine would take, about.
        cpu.append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        fn(calls[0])
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], statistics.median(cpu), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    from bench.pages import setup

    setup(ROOT / "var" / "bench-matching")
    import os

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(5000)
    grow(args.members, args.activities, rng)

    from django.test import Client
    from django.test.utils import override_settings

    from samen.activities.matching import Names, members_for_role, open_roles, roles_for_member
    from samen.activities.models import Activity, Role
    from samen.network.models import Member

    members = list(Member.objects.order_by("?")[: args.runs])
    roles = list(Role.objects.filter(open_roles()).order_by("?")[: args.runs])
    names = Names.load()
    print(f"load average before timing: {os.getloadavg()[0]:.1f} (the machine's other work slows every figure)")
    print(
        f"{Member.objects.count()} members, {Activity.objects.count()} activities, {Role.objects.count()} roles, "
        f"SQLite, {args.runs} runs each"
    )
    print(f"{'what':<58} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'queries':>8}")
    for label, calls, fn in (
        ("activities for a member (roles_for_member)", members, lambda m: roles_for_member(m, names=names)),
        ("members for a role (members_for_role)", roles, lambda r: members_for_role(r, names=names)),
    ):
        print(row(label, *timed(calls, fn)))
    client = Client()
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for url in PAGES:
            print(row(url, *timed([url] * args.runs, lambda u: _ok(client.get(u), u))))
        member = Member.objects.get(user__email="member@demo.samen.invalid")
        client.force_login(member.user)
        urls = ["/nl/activities/for-me/"] * args.runs
        print(row("/nl/activities/for-me/ (signed in)", *timed(urls, lambda u: _ok(client.get(u), u))))


def row(label: str, p50: float, p95: float, cpu: float, queries: int) -> str:
    return f"{label:<58} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f} {queries:>8}"


def _ok(response, url: str) -> None:
    assert response.status_code == 200, (url, response.status_code)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
