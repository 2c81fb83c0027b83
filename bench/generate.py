"""Data generators for the scale runs: the Hasselt demo grown to X5000 (SQLite) or X50000 (PostgreSQL).

    SAMEN_VAR_DIR=var/bench-load .venv/bin/python -m bench.generate --scale x5000
    DATABASE_URL=postgres://… .venv/bin/python -m bench.generate --scale x50000

Run on a migrated database with the demo loaded (`samen migrate`, `samen demo`); `bench/load.py
--scale` does all three. Adds, in bulk (batched INSERTs, COPY for the measurements on PostgreSQL):

| scale  | members | organisations | activities | events  | measurements |
| ------ | ------: | ------------: | ---------: | ------: | -----------: |
| x5000  |   5,000 |           500 |      2,000 |  10,000 |    1,000,000 |
| x50000 |  50,000 |         5,000 |     20,000 | 100,000 |   10,000,000 |

The counts are totals (the demo's own rows count); "demo" adds only the 200 members the load harness
signs in as. Members are `bench-N@bench.invalid` with one
password (hashed once), verified, spread over the demo's neighbourhoods. Events run from a year ago
to a year ahead, a quarter with 20 places. Measurements: monthly values of `bench-ind-N` indicators
(ten of them published, the rest not) for every area over ten past years, approved, so each row has
its own key and every period lies in the past, as the import would demand.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-Load-passw0rd"
SCALES = {
    "demo": {"members": 0, "organisations": 0, "activities": 0, "events": 0, "measurements": 0},
    "x5000": {"members": 5_000, "organisations": 500, "activities": 2_000, "events": 10_000, "measurements": 1_000_000},
    "x50000": {
        "members": 50_000,
        "organisations": 5_000,
        "activities": 20_000,
        "events": 100_000,
        "measurements": 10_000_000,
    },
}
BATCH = 5_000
SIGN_IN_MEMBERS = 200
MONTHS = 120  # ten years of monthly values per indicator and area
PUBLISHED_INDICATORS = 10


def _batches(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _missing(model, target: int) -> int:
    return max(0, target - model.objects.count())


def members(target: int) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from samen.network.models import Area, Member, User

    start = User.objects.filter(email__endswith="@bench.invalid").count()
    # The load harness signs in as the first SIGN_IN_MEMBERS of them, whatever the demo holds.
    missing = max(_missing(Member, target), SIGN_IN_MEMBERS - start)
    password = make_password(PASSWORD)  # once: hashing per person would take minutes at X50000
    neighbourhoods = list(Area.objects.filter(kind="neighbourhood").values_list("pk", flat=True))
    joined = datetime.date(2024, 1, 1)
    for numbers in _batches(range(start, start + missing)):
        users = User.objects.bulk_create(
            User(email=f"bench-{i}@bench.invalid", first_name="Bench", last_name=str(i), password=password)
            for i in numbers
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
        )
        Member.objects.bulk_create(
            Member(user=u, joined_on=joined, neighbourhood_id=neighbourhoods[u.pk % len(neighbourhoods)]) for u in users
        )


def organisations(target: int) -> None:
    from samen.agenda.models import ActionDomain
    from samen.network.models import Organisation, Sector

    sectors = list(Sector.objects.values_list("pk", flat=True))
    domains = list(ActionDomain.objects.values_list("pk", flat=True))
    start = Organisation.objects.filter(slug__startswith="bench-org-").count()
    through = Organisation.action_domains.through
    for numbers in _batches(range(start, start + _missing(Organisation, target))):
        orgs = Organisation.objects.bulk_create(
            Organisation(
                slug=f"bench-org-{i}",
                name=f"Bench partner {i}",
                sector_id=sectors[i % len(sectors)],
                joined_on=datetime.date(2020, 1, 1),
                description_nl="Een partner van de benchmark.",
                description_en="A benchmark partner.",
            )
            for i in numbers
        )
        through.objects.bulk_create(
            through(organisation_id=o.pk, actiondomain_id=domains[o.pk % len(domains)]) for o in orgs
        )


def activities(target: int) -> None:
    from samen.activities.models import Activity
    from samen.network.models import Organisation

    orgs = list(Organisation.objects.values_list("pk", flat=True))
    start = Activity.objects.filter(slug__startswith="bench-activity-").count()
    for numbers in _batches(range(start, start + _missing(Activity, target))):
        Activity.objects.bulk_create(
            Activity(
                slug=f"bench-activity-{i}",
                title=f"Benchmark activity {i}",
                summary="A benchmark activity.",
                description="Generated for the scale runs.",
                lead_organisation_id=orgs[i % len(orgs)],
                website="",
                status="running",
                starts_on=datetime.date(2024, 1, 1),
                is_published=True,
                societal_impact="",
            )
            for i in numbers
        )


def events(target: int) -> None:
    from django.utils import timezone

    from samen.activities.events.models import Event
    from samen.activities.models import Activity

    pairs = list(Activity.objects.values_list("pk", "lead_organisation_id"))
    start = Event.objects.filter(slug__startswith="bench-event-").count()
    first = timezone.now().replace(hour=18, minute=0, second=0, microsecond=0) - datetime.timedelta(days=365)
    missing = _missing(Event, target)
    for numbers in _batches(range(start, start + missing)):
        rows = []
        for i in numbers:
            activity, organisation = pairs[i % len(pairs)]
            starts = first + datetime.timedelta(days=(i * 730) // max(missing, 1), hours=i % 5)
            rows.append(
                Event(
                    slug=f"bench-event-{i}",
                    title=f"Benchmark event {i}",
                    description="Generated for the scale runs.",
                    organisation_id=organisation,
                    activity_id=activity,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place_name="Buurthuis",
                    address="Kempische Steenweg 1, 3500 Hasselt",
                    accessibility="",
                    capacity=20 if i % 4 == 0 else None,
                    registration_open=True,
                    is_published=True,
                )
            )
        Event.objects.bulk_create(rows)


def _indicators(count: int) -> list[int]:
    from samen.measurement.models import Indicator
    from samen.network.models import Organisation

    steward = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    have = set(Indicator.objects.filter(code__startswith="bench-ind-").values_list("code", flat=True))
    Indicator.objects.bulk_create(
        Indicator(
            code=f"bench-ind-{n}",
            name=f"Benchmark indicator {n}",
            name_nl=f"Benchmark-indicator {n}",
            name_en=f"Benchmark indicator {n}",
            definition="Generated for the scale runs.",
            definition_nl="Gemaakt voor de schaaltests.",
            definition_en="Generated for the scale runs.",
            unit="count",
            kind="value",
            frequency="monthly",
            data_source="bench",
            steward_id=steward,
            population_band="",
            population_group="",
            people_sentence="",
            is_published=n < PUBLISHED_INDICATORS,
        )
        for n in range(count)
        if f"bench-ind-{n}" not in have
    )
    return list(Indicator.objects.filter(code__startswith="bench-ind-").order_by("pk").values_list("pk", "steward_id"))


def _months(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """MONTHS whole months ending with the last one before this month."""
    periods = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        periods.append((start, end))
    return periods[::-1]


MEASUREMENT_COLUMNS = (
    "indicator_id",
    "area_id",
    "area_key",
    "period_start",
    "period_end",
    "dims",
    "value",
    "status",
    "kept",
    "comment",
    "organisation_id",
    "updated_at",
)


def measurements(target: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from samen.measurement.models import Measurement
    from samen.network.models import Area

    missing = _missing(Measurement, target)
    if not missing:
        return
    areas = list(Area.objects.order_by("pk").values_list("pk", flat=True))
    per_indicator = len(areas) * MONTHS
    have = Measurement.objects.filter(indicator__code__startswith="bench-ind-").count()
    indicators = _indicators(-(-(have + missing) // per_indicator))
    now = timezone.now()
    periods = _months(now.date())

    def rows() -> Iterator[tuple]:
        # Every (indicator, area, month) once, in a fixed order; skip what an earlier run wrote.
        keys = itertools.product(indicators, areas, periods)
        for n, ((indicator, steward), area, (start, end)) in enumerate(itertools.islice(keys, have, have + missing)):
            value = float(20 + (n * 7919) % 400)
            yield (indicator, area, area, start, end, "", value, "approved", False, "", steward, now)

    table = Measurement._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(MEASUREMENT_COLUMNS)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            sql = (
                f"INSERT INTO {table} ({', '.join(MEASUREMENT_COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(MEASUREMENT_COLUMNS))})"
            )
            for batch in _batches(rows(), 50_000):
                cursor.executemany(sql, batch)


def generate(counts: dict[str, int], *, say=print) -> None:
    """Grow the database to `counts` (totals), each kind in bulk; running it again adds only what lacks."""
    import time

    for kind in ("members", "organisations", "activities", "events", "measurements"):
        started = time.perf_counter()
        globals()[kind](counts[kind])
        say(f"{kind}: {counts[kind]:,} ({time.perf_counter() - started:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="x5000")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")
    import django

    django.setup()
    generate(SCALES[args.scale])


if __name__ == "__main__":
    main()
