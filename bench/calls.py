"""Benchmark: a call campaign over 20,000 residents (Hasselt's 65+) and 50 callers at once.

    .venv/bin/python -m bench.calls                      # SQLite, a throw-away file under var/bench-calls/
    DATABASE_URL=postgres://... .venv/bin/python -m bench.calls   # an EMPTY PostgreSQL database

Builds the database (migrations), one care network with 20,000 fictional residents (encrypted like
real ones), a campaign and 50 pledged callers. Then times:
- the pool build (one INSERT … SELECT, plus one read of the encrypted numbers for the do-not-call
  list and the residents without a number), with its query count;
- 50 callers on 50 threads (each its own connection), for `--seconds`: reserve a batch of 10,
  record an outcome for each person (no answer or reached, by the campaign's rules), again.
  (`--only-reserve`: reserve and give the batch back, no calls: the reservation alone.)
  Reported: batches reserved per second, calls recorded per second, the p50/p95 of a reservation,
  and a check that no person was ever in two live batches.

Over HTTP (`--http [--workers 3]`): the same database and campaign, then the real server (gunicorn
through `samen serve`, started by bench/load.py's `serve`) and locust (bench/load.py's `drive`,
the `Caller` and `Glancer` users of bench/locustfile.py): 50 callers, each with their own account
(signed in beforehand: a session made in the database), reserve a batch, open each person and record the call, as fast as the server
answers, beside a visitor on the trivial page (the sign-in form). Reported per request kind:
requests/s (the reservations' requests/s is batches/s), p50, p95, p99 and errors; then a check
in the database that nobody was called twice.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_DIR = ROOT / "var" / "bench-calls"


def _setup(residents: int, callers: int) -> tuple[int, list[int], int]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from bench.generate import PASSWORD
    from samen.calls import services
    from samen.calls.models import CallCampaign
    from samen.care.access import PLEDGE_VERSION
    from samen.care.models import CareNetwork, NetworkMember, Resident
    from samen.core.permissions import CARE_NETWORK
    from samen.network.models import Area, User

    city = Area.objects.create(code="bench-city", name="Bench", kind="city", path="bench-city/")
    network = CareNetwork.objects.create(name="Bench", slug="bench", area=city)
    group, _ = Group.objects.get_or_create(name=CARE_NETWORK)
    now = timezone.now()
    people = []
    password = make_password(PASSWORD)  # hashed once (the callers sign in over HTTP in --http)
    for i in range(callers + 1):
        user = User.objects.create(email=f"caller{i}@bench.invalid", first_name=f"Caller{i}", password=password)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        user.groups.add(group)
        NetworkMember.objects.create(
            network=network, user=user, is_coordinator=i == 0, pledged_at=now, pledge_version=PLEDGE_VERSION
        )
        people.append(user)
    started = time.perf_counter()
    Resident.objects.bulk_create(
        [
            Resident(
                network=network,
                area=city,
                name=f"Bewoner {i} (fictief)",
                birth_date=datetime.date(1926 + i % 35, 1 + i % 12, 1 + i % 28),
                birth_year=1926 + i % 35,
                phone=f"011 {i:06d}",
                lives_alone=i % 2 == 0,
            )
            for i in range(residents)
        ],
        batch_size=1000,
    )
    print(f"  {residents:,} residents stored (encrypted) in {time.perf_counter() - started:.1f} s")
    today = timezone.localdate()
    campaign = CallCampaign(
        network=network,
        name="Bench",
        min_age=65,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        calls_from=datetime.time(0, 0),
        calls_until=datetime.time(23, 59, 59, 999999),
    )
    services.campaign_save(campaign=campaign, areas=[], callers=people[1:], actor=people[0])
    return campaign.pk, [u.pk for u in people[1:]], people[0].pk


def _pool(campaign_pk: int, coordinator_pk: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samen.calls import services
    from samen.calls.models import CallCampaign
    from samen.network.models import User

    campaign = CallCampaign.objects.get(pk=campaign_pk)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = services.pool_build(campaign=campaign, actor=User.objects.get(pk=coordinator_pk))
        took = time.perf_counter() - started
    print(f"  pool build: {result['added']:,} people in {took:.2f} s, {len(queries)} queries")


def _callers(campaign_pk: int, caller_pks: list[int], seconds: float, only_reserve: bool) -> None:
    from django.db import connections

    from samen.calls import services
    from samen.calls.models import CallCampaign
    from samen.network.models import User

    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    reservations: list[float] = []
    calls = [0]
    errors: list[str] = []
    barrier = threading.Barrier(len(caller_pks))

    def work(user_pk: int) -> None:
        try:
            user = User.objects.get(pk=user_pk)
            campaign = CallCampaign.objects.select_related("network").get(pk=campaign_pk)
            barrier.wait()
            n = 0
            while time.perf_counter() < stop:
                started = time.perf_counter()
                batch = services.batch_reserve(campaign=campaign, actor=user)
                took = time.perf_counter() - started
                entries = list(batch.entries.all())
                if only_reserve:  # the reservation alone: give the batch straight back
                    services.batch_release(batch=batch, actor=user)
                for entry in [] if only_reserve else entries:
                    n += 1
                    services.attempt_record(entry=entry, actor=user, outcome="reached" if n % 3 else "no-answer")
                with lock:
                    reservations.append(took)
                    calls[0] += len(entries)
                if not entries:
                    break
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(pk,)) for pk in caller_pks]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    reservations.sort()
    p95 = reservations[int(len(reservations) * 0.95)] if reservations else 0.0
    print(
        f"  {len(caller_pks)} callers for {took:.1f} s: {len(reservations)} batches ({len(reservations) / took:.1f}/s), "
        f"{0 if only_reserve else calls[0]} calls recorded ({0 if only_reserve else calls[0] / took:.1f}/s); a reservation p50 "
        f"{statistics.median(reservations) * 1000 if reservations else 0:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    if errors:
        print(f"  errors ({len(errors)}): {errors[:3]}")


def _check(campaign_pk: int) -> None:
    from django.db.models import Count

    from samen.calls.models import CallAttempt, CallEntry

    twice = (
        CallAttempt.objects.filter(entry__campaign=campaign_pk)
        .values("entry", "at")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    reserved = CallEntry.objects.filter(campaign=campaign_pk, status="reserved").count()
    print(f"  check: {twice} calls recorded twice at the same moment, {reserved} still reserved (expected 0 and 0)")


def _over_http(campaign_pk: int, caller_pks: list[int], args: argparse.Namespace) -> None:
    """The real server and locust (bench/load.py's), callers signed in with their own accounts."""
    import signal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections

    from bench import load
    from bench.generate import PASSWORD
    from samen.network.models import User

    # Callers signed in before the run (a morning of calls starts with one sign-in): 50 password
    # hashes at once would swamp a small server for the first minute and measure the sign-in.
    sessions = []
    for user in User.objects.filter(pk__in=caller_pks).order_by("pk"):
        session = SessionStore()
        session.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        session.create()
        sessions.append(session.session_key)
    (DB_DIR / "targets.json").write_text(
        json.dumps(
            {
                "campaign": campaign_pk,
                "callers": sessions,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "password": PASSWORD,
            }
        )
    )

    connections.close_all()
    e = {**load.env(os.environ["DATABASE_URL"]), "SAMEN_VAR_DIR": str(DB_DIR)}  # the same keys
    port = load.free_port()
    server = load.serve(e, port, args.workers, var=DB_DIR)
    average = os.getloadavg()
    try:
        load.drive(port, len(sessions) + 2, int(args.seconds), var=DB_DIR, classes=("Caller", "Glancer"))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print(
        f"  over HTTP: {len(sessions)} callers and a visitor, {args.seconds:.0f} s, {args.workers} gunicorn workers "
        f"(4 threads each), load average before: {average[0]:.1f}"
    )
    load.report(var=DB_DIR)


def _called_twice(campaign_pk: int) -> None:
    from django.db.models import Count, Max, Min

    from samen.calls.models import CallAttempt, CallBatch, CallEntry

    # Over the time the callers worked (locust's requests/s count the sign-ins' time too).
    batches = CallBatch.objects.filter(campaign=campaign_pk).aggregate(
        n=Count("pk"), a=Min("reserved_at"), b=Max("reserved_at")
    )
    calls = CallAttempt.objects.filter(entry__campaign=campaign_pk).aggregate(n=Count("pk"), b=Max("at"))
    if batches["n"] > 1:
        last = max(batches["b"], calls["b"] or batches["b"])
        span = (last - batches["a"]).total_seconds()
        print(
            f"  from the database: {batches['n']} batches and {calls['n']} calls in {span:.0f} s from the first "
            f"reservation to the last write: {batches['n'] / span:.1f} batches/s, {calls['n'] / span:.1f} calls/s"
        )

    twice = CallEntry.objects.filter(campaign=campaign_pk, attempts__gt=1).count()
    called = CallEntry.objects.filter(campaign=campaign_pk, attempts__gt=0).count()
    # Nobody comes back within a short run (a no-answer waits 4 h), so more than one call is a double.
    print(f"  check: {called:,} people called, {twice} of them more than once (expected 0)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--callers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--only-reserve", action="store_true", help="reserve and give back, record no calls")
    parser.add_argument("--http", action="store_true", help="over HTTP: the real server and locust")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (with --http)")
    args = parser.parse_args()
    DB_DIR.mkdir(parents=True, exist_ok=True)
    for old in DB_DIR.iterdir():  # a fresh database and keys; the collected static files are kept
        if old.name != "static":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{DB_DIR / 'bench.sqlite3'}"
    # Its own keys (secret, care's encryption), shared with the server of --http.
    os.environ["SAMEN_VAR_DIR"] = str(DB_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")
    os.environ.setdefault("SAMEN_TASKS", "inline")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    campaign_pk, caller_pks, coordinator_pk = _setup(args.residents, args.callers)
    _pool(campaign_pk, coordinator_pk)
    if args.http:
        _over_http(campaign_pk, caller_pks, args)
        _called_twice(campaign_pk)
        return
    _callers(campaign_pk, caller_pks, args.seconds, args.only_reserve)
    _check(campaign_pk)


if __name__ == "__main__":
    main()
