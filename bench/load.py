"""Load harness: a real server (gunicorn via `samen serve`) on a benchmark database, driven over HTTP
by locust in a separate process: visitors reading the public pages and signed-in members who write.

    .venv/bin/python -m bench.load [--scale demo|x5000|x50000] [--users 50] [--seconds 60] [--workers 3]
                                   [--database-url URL] [--keep] [--approve-every SECONDS]

Prepares var/bench-load[-SCALE][-postgres]/ (migrate, demo, then bench/generate.py at --scale: 200 bench members at
"demo", the issue's X5000 or X50000 sizes otherwise) unless --keep and it exists; a
PostgreSQL run takes --database-url (the database is dropped and made anew). Prints per page:
requests/s, p50, p95, p99, errors and the ratio of the page's p95 to the trivial page's p95 (the
sign-in form) of the same run; then checks that no write was lost: every write that got a success
answer is in the database, and no event or role holds more people than it has places.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.generate import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-load"
MEMBERS = 200


def var_dir(scale: str, database_url: str) -> Path:
    """One folder per scale and database, so --keep reuses the right data (X5000 on SQLite and X50000
    on PostgreSQL side by side)."""
    name = "bench-load" if scale == "demo" else f"bench-load-{scale}"
    return ROOT / "var" / (name + ("-postgres" if database_url else ""))


def env(database_url: str, redis_url: str = "") -> dict[str, str]:
    e = {
        **os.environ,
        "SAMEN_VAR_DIR": str(VAR),
        "DJANGO_SETTINGS_MODULE": "samen.settings",
        "SAMEN_ENV": "development",
        "SAMEN_REQUIRE_MFA": "false",
        # The clients come "through a proxy": each simulated person has their own address.
        "SAMEN_TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
    }
    e.pop("REDIS_URL", None)
    if redis_url:
        # The cache (page parts, figures, rate limits) and sessions' cache in Redis, as on several hosts
        # (docs/deployment.md); background work stays in the server's process, as in a demo.
        e.update(REDIS_URL=redis_url, SAMEN_TASKS="inline")
    if database_url:
        e["DATABASE_URL"] = database_url
    return e


def samen(e: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "samen", *args], env=e, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"samen {' '.join(args)} failed:\n{done.stderr[-3000:]}")


TARGETS = """
import json
from samen.activities.events.models import Event
from samen.activities.models import Activity, Role
from samen.agenda.models import Challenge, Proposal
from samen.measurement.models import Indicator
from samen.network.models import User
from datetime import timedelta
from django.utils import timezone
# An event that starts during the run closes its registration (answered with a redirect and a message):
# only events that start at least an hour later, so every redirect the harness counts is a registration.
events = list(Event.objects.filter(starts_at__gte=timezone.now() + timedelta(hours=1), is_published=True).values_list("slug", flat=True)[:30])
print(json.dumps({{
    "events": events,
    "roles": [[r.activity.slug, r.pk] for r in Role.objects.select_related("activity")[:30]],
    "proposals": list(Proposal.objects.values_list("pk", flat=True)[:30]),
    "indicators": list(Indicator.objects.filter(is_published=True).values_list("code", flat=True)[:10]),
    "challenges": list(Challenge.objects.values_list("slug", flat=True)[:10]),
    "activities": list(Activity.objects.values_list("slug", flat=True)[:10]),
    "members": list(User.objects.filter(email__endswith="@bench.invalid").order_by("pk")
                    .values_list("email", flat=True)[:{members}]),
    "password": "{password}",
}}))
"""


def generate(e: dict[str, str], scale: str) -> None:
    """The demo grown to the scale's sizes by bench/generate.py, in a process of its own."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.generate", "--scale", scale], env=e, cwd=ROOT, text=True)
    if done.returncode:
        raise SystemExit(f"bench.generate --scale {scale} failed")
    print(f"generated {scale} in {time.perf_counter() - started:.0f} s")


def prepare(e: dict[str, str], database_url: str, keep: bool, scale: str) -> dict:
    if not (keep and VAR.exists()):
        if VAR.exists():
            shutil.rmtree(VAR)
        VAR.mkdir(parents=True)
        if database_url:
            name = database_url.rsplit("/", 1)[1]
            admin = database_url.rsplit("/", 1)[0] + "/postgres"
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(["psql", admin, "-c", sql], check=True, capture_output=True)
        samen(e, "migrate", "--noinput", "-v0")
        samen(e, "demo")
        generate(e, scale)
    out = subprocess.run(
        [sys.executable, "-m", "samen", "shell", "-c", TARGETS.format(members=MEMBERS, password=PASSWORD)],
        env=e,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    targets = json.loads(out.strip().splitlines()[-1])
    (VAR / "targets.json").write_text(json.dumps(targets))
    return targets


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(e: dict[str, str], port: int, workers: int, var: Path | None = None) -> subprocess.Popen:
    var = var or VAR  # the folder of this run (main sets VAR per scale and database)
    server = subprocess.Popen(
        [sys.executable, "-m", "samen", "serve", "--port", str(port), "--workers", str(workers)],
        env=e,
        stdout=subprocess.DEVNULL,
        stderr=open(var / "server.log", "w"),  # noqa: SIM115 (lives as long as the server)
        start_new_session=True,
    )
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not start; see {var / 'server.log'}")


def warm(port: int, targets: dict) -> float:
    """Each public page of the mix once per language before the clock starts, as the task that warms
    the figures after publishing would (`warm_indicator_figures`): the run measures a server in its
    steady state, not the first visitor after a restart (that time is printed on its own)."""
    started = time.perf_counter()
    pages = ["/", "/dashboard/", "/activities/", "/events/", "/network/growth/", "/network/map/data.json"]
    pages += [f"/indicators/{code}/" for code in targets["indicators"]]
    pages += [f"/challenges/{slug}/" for slug in targets["challenges"]]
    urls = [f"/{lang}{page}" for lang in ("en", "nl") for page in pages] + ["/api/v1/indicators"]
    for url in urls:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=600) as answer:
            answer.read()
    return time.perf_counter() - started


def drive(
    port: int, users: int, seconds: int, think: bool = False, var: Path | None = None, classes: tuple[str, ...] = ()
) -> None:
    """locust against the server; `classes` picks the kinds of users of bench/locustfile.py (all by default)."""
    var = var or VAR
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            *classes,
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(users // 5, 1)),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(var / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={
            **os.environ,
            "BENCH_TARGETS": str(var / "targets.json"),
            "BENCH_WRITES": str(var / "writes.jsonl"),
            "BENCH_THINK": "1" if think else "0",
        },
        check=False,
    )


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by the server's processes (gunicorn's master, workers, periodic jobs)."""
    import psutil

    total = 0.0
    root = psutil.Process(server.pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def children_cpu() -> float:
    """CPU seconds of this process's finished children (locust, once `drive` has waited for it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report_cpu(rows: list[dict], server_seconds: float, tool_seconds: float) -> None:
    """CPU per request of the server and of the load tool (`rows`: what `report` read): unlike times and
    throughput, these hardly change with what else the machine is doing, so runs on a busy machine can be
    compared; the ceiling is what two idle cores could serve with the load tool beside the server."""
    requests = int(next(r for r in rows if r["Name"] == "Aggregated")["Request Count"]) or 1
    server_ms, tool_ms = 1000 * server_seconds / requests, 1000 * tool_seconds / requests
    print(
        f"CPU per request: server {server_ms:.1f} ms, load tool {tool_ms:.1f} ms "
        f"(ceiling on {os.cpu_count()} idle cores: about {os.cpu_count() * 1000 / (server_ms + tool_ms):.0f} req/s)"
    )


def report(var: Path | None = None) -> list[dict]:
    var = var or VAR
    rows = list(csv.DictReader((var / "locust_stats.csv").open()))
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    trivial = next((float(r["95%"]) for r in pages if r["Name"] == "sign-in form (trivial)"), None)
    print(f"{'page':<28} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>7} {'p95/trivial':>11}")
    for r in sorted(pages, key=lambda r: -float(r["95%"])):
        ratio = float(r["95%"]) / trivial if trivial else float("nan")
        print(
            f"{r['Name']:<28} {float(r['Requests/s']):>7.1f} {r['50%']:>6} {r['95%']:>6} {r['99%']:>6} "
            f"{r['Failure Count']:>7} {ratio:>11.1f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"{'all':<28} {float(total['Requests/s']):>7.1f} {total['50%']:>6} {total['95%']:>6} {total['99%']:>6} "
        f"{total['Failure Count']:>7}"
    )
    return rows


CHECK = """
import json, sys
from samen.activities.events.models import Event, Registration
from samen.activities.models import Role, RoleSignup
from samen.agenda.models import Proposal, Support
from samen.network.models import JoinInvitation
from django.db.models import Count, Q
lost = []
kinds = {{}}
for line in open("{writes}"):
    w = json.loads(line)
    kinds[w["kind"]] = kinds.get(w["kind"], 0) + 1
    if w["kind"] == "register":
        ok = Registration.objects.filter(event__slug=w["event"], email=w["email"], status__in=Registration.ACTIVE).exists()
    elif w["kind"] in ("role", "role_attempt"):
        # The join answers a redirect whether it was taken or refused (with a message): taken, or the
        # role is full, the one reason to refuse a member.
        role = Role.objects.annotate(n=Count("signups")).get(pk=w["role"])
        ok = RoleSignup.objects.filter(role_id=w["role"], member__user__email=w["email"]).exists() or (
            w["kind"] == "role_attempt" and role.places and role.n >= role.places
        )
    elif w["kind"] in ("support", "support_attempt"):
        # Likewise: stored, or refused because the proposal is answered or is the member's own.
        proposal = Proposal.objects.select_related("author").get(pk=w["proposal"])
        ok = Support.objects.filter(proposal_id=w["proposal"], member__email=w["email"]).exists() or (
            w["kind"] == "support_attempt" and (not proposal.is_open or (proposal.author is not None and proposal.author.email == w["email"]))
        )
    elif w["kind"] == "invite":
        # The redirect says it was sent: the invitation is stored, from that member.
        ok = JoinInvitation.objects.filter(email=w["email"], inviter__user__email=w["inviter"]).exists()
    else:
        continue
    if not ok:
        lost.append(w)
overbooked = [
    e.slug for e in Event.objects.filter(capacity__isnull=False).annotate(
        n=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    ) if e.n > e.capacity
]
overfull = [r.pk for r in Role.objects.annotate(n=Count("signups")) if r.places and r.n > r.places]
print(json.dumps({{"lost": lost[:5], "lost_count": len(lost), "checked": kinds, "overbooked": overbooked, "overfull_roles": overfull}}))
"""


# `--approve-every`: a coordinator changes and approves one published value of the load's indicators every
# so many seconds, through the services a steward's edit and the approval page use. Each approval makes the
# pages that show the indicator stale (its data version): the next visitors build them again, and the figures
# are warmed where the services queue that (here, in this process, as a background worker would).
APPROVER = """
import sys, time
from django.db import transaction
from samen.core.permissions import BACKBONE
from samen.measurement.models import Indicator, Measurement
from samen.measurement.services import measurement_record, measurements_approve, measurements_submit
from samen.measurement.validation import Row
from samen.network.models import User
actor = User.objects.filter(groups__name=BACKBONE, is_active=True).order_by("pk").first()
codes = {codes!r}
done = 0
while True:
    time.sleep({every})
    indicator = Indicator.objects.get(code=codes[done % len(codes)])
    m = Measurement.objects.filter(indicator=indicator, status="approved").order_by("-period_start", "pk").first()
    if m.numerator is not None and m.denominator:
        numerator = m.numerator - 1 if m.numerator >= 1 else m.numerator + 1
        row = Row(indicator, m.area_id, m.period_start, m.period_end, m.dims, None, numerator, m.denominator)
    else:
        row = Row(indicator, m.area_id, m.period_start, m.period_end, m.dims, (m.value or 0) + 1, None, None)
    started = time.perf_counter()
    with transaction.atomic():
        changed, _ = measurement_record(row=row, actor=actor, organisation=m.organisation)
    measurements_submit(measurements=[changed], actor=actor)
    changed.refresh_from_db()
    measurements_approve(measurements=[changed], actor=actor)
    done += 1
    print(f"approved {{indicator.code}} in {{time.perf_counter() - started:.2f}} s", flush=True)
"""


def start_approver(e: dict[str, str], codes: list[str], every: float) -> subprocess.Popen:
    script = APPROVER.format(codes=codes, every=every)
    return subprocess.Popen(
        [sys.executable, "-m", "samen", "shell", "-c", script], env=e, stdout=subprocess.PIPE, text=True
    )


def stop_approver(approver: subprocess.Popen) -> tuple[list[str], float]:
    """The approvals it made (its lines) and its CPU seconds, kept apart from the load tool's."""
    import psutil

    times = psutil.Process(approver.pid).cpu_times()
    approver.terminate()
    out, _ = approver.communicate(timeout=60)
    return [line for line in out.splitlines() if line.startswith("approved")], times.user + times.system


def check_writes(e: dict[str, str]) -> dict:
    writes = VAR / "writes.jsonl"
    count = sum(1 for _ in writes.open()) if writes.exists() else 0
    out = subprocess.run(
        [sys.executable, "-m", "samen", "shell", "-c", CHECK.format(writes=writes)],
        env=e,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["successful_writes"] = count
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="reuse the var folder of this scale and database as it is")
    parser.add_argument(
        "--scale", choices=["demo", "x5000", "x50000"], default="demo", help="sizes of bench/generate.py"
    )
    parser.add_argument("--think", action="store_true", help="clients pause 0.2–2 s between requests")
    parser.add_argument("--prepare-only", action="store_true", help="make the data and stop (no server, no load)")
    parser.add_argument("--redis", default="", metavar="URL", help="the shared cache in this Redis, not the database")
    parser.add_argument(
        "--approve-every",
        type=float,
        default=0,
        metavar="SECONDS",
        help="a coordinator changes and approves a value of the load's indicators this often during the run",
    )
    args = parser.parse_args()
    global VAR
    VAR = var_dir(args.scale, args.database_url)
    e = env(args.database_url, args.redis)
    started = time.perf_counter()
    targets = prepare(e, args.database_url, args.keep, args.scale)
    print(f"prepared {VAR.name} in {time.perf_counter() - started:.0f} s")
    if args.prepare_only:
        return
    if not (args.keep and (VAR / "static" / "staticfiles.json").exists()):
        samen(e, "collectstatic", "--noinput", "-v0")  # minutes on a busy machine: --keep reuses them
    (VAR / "writes.jsonl").unlink(missing_ok=True)
    port = free_port()
    server = serve(e, port, args.workers)
    approver = None
    try:
        print(f"warmed the public pages in {warm(port, targets):.0f} s")
        load = os.getloadavg()
        server_before, tool_before = server_cpu(server), children_cpu()
        approver = start_approver(e, targets["indicators"], args.approve_every) if args.approve_every else None
        drive(port, args.users, args.seconds, args.think)
        server_seconds, tool_seconds = server_cpu(server) - server_before, children_cpu() - tool_before
        approvals, approver_seconds = stop_approver(approver) if approver else ([], 0.0)
    finally:
        if approver and approver.poll() is None:
            approver.kill()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print(
        f"{args.scale}: {args.users} clients{' with pauses' if args.think else ''}, {args.seconds} s, "
        f"{args.workers} gunicorn workers, cache in {'Redis' if args.redis else 'the database'}, "
        f"load average before: {load[0]:.1f}"
    )
    report_cpu(report(), server_seconds, tool_seconds)
    if approver:
        print(f"approvals during the run: {len(approvals)} ({approver_seconds:.1f} s of the approver's CPU)")
        print("\n".join(approvals))
    print("writes:", json.dumps(check_writes(e)))


if __name__ == "__main__":
    main()
