"""Killed midway (SIGKILL), an import and a burst of event registrations leave nothing half written:
the import is all or nothing, no member's registration is left without its place, no event holds
more people than it has places, SQLite's integrity check is ok and the server answers again.
Runs against SQLite, or against PostgreSQL when the suite runs there (a database of its own).

The kills land at a known moment, not after a guessed time: the killed import is the real command with
small chunks, which says "paused" on its output after its first staged chunk (checking) or its first
written chunk (writing, inside the final transaction) and then waits to be killed. So a few thousand
values prove the point, where a timed kill needed 60,000 to be sure to land inside the run."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

from samen.core.tests.demo_site import manifest_of_every_static_file, samen, site_env

pytestmark = pytest.mark.slow

# Several chunks of each phase in the killed runs (see PAUSED_IMPORT), some of them updates of the demo's values.
ROWS = 2_000

SETUP = """
import datetime
from django.utils import timezone
from allauth.account.models import EmailAddress
from samen.activities.events.models import Event
from samen.network.models import User
from django.contrib.auth.hashers import make_password
from samen.network.services import member_create
event = Event.objects.filter(starts_at__gte=timezone.now(), is_published=True).order_by("starts_at").first()
Event.objects.filter(pk=event.pk).update(capacity=15)
# One password hash for all: the production hasher takes about 0.25 s a hash, 50 s for 200 members.
password = make_password("x" * 12)
for i in range(200):
    user = User.objects.create_user(email=f"crash-{{i}}@example.org")
    User.objects.filter(pk=user.pk).update(password=password)
    member_create(user=user)
import calendar
from samen.measurement.models import Indicator
from samen.network.models import Area
# A monthly copy of a demo indicator (with its sex breakdown): enough distinct past periods for every
# row, since a value is measured, not foreseen (periods after today are refused).
weekly = Indicator.objects.get(code="eld-visit-weekly")
dimensions = list(weekly.dimensions.all())
monthly = weekly
monthly.pk = monthly.id = None
monthly.code, monthly.frequency = "crash-monthly", "monthly"
monthly.save()
monthly.dimensions.set(dimensions)
with open("{csv}", "w") as out:
    out.write("indicator,area,period_start,period_end,value,numerator,denominator,dim:sex\\n")
    areas = list(Area.objects.values_list("code", flat=True))
    months = -(-{rows} // (len(areas) * 3))
    month = (timezone.now().year - 1) * 12 - months  # the last period ends before this year
    written = 0
    while written < {rows}:
        year, number = divmod(month, 12)
        last = calendar.monthrange(year, number + 1)[1]
        start, end = f"{{year:04d}}-{{number + 1:02d}}-01", f"{{year:04d}}-{{number + 1:02d}}-{{last:02d}}"
        for area in areas:
            for sex in ("", "f", "m"):
                if written < {rows}:
                    out.write(f"crash-monthly,{{area}},{{start}},{{end}},,{{written % 40 + 5}},400,{{sex}}\\n")
                    written += 1
        month += 1
print(event.slug)
"""

# The real command, in chunks of 100 lines checked and 500 written, paused after the first chunk of
# one phase until the test kills it.
PAUSED_IMPORT = """
import time
from django.core.management import call_command
from samen.measurement import importer
importer.CHUNK, importer.WRITE_CHUNK = 100, 500

def pause():
    print("paused", flush=True)
    time.sleep(600)

def then_pause(step):
    def run(*args, **kwargs):
        step(*args, **kwargs)
        pause()
    return run

if "{phase}" == "checking":
    importer._Stage.insert = then_pause(importer._Stage.insert)
else:
    importer._write_chunk = then_pause(importer._write_chunk)
call_command("import-measurements", "{csv}", "--quiet")
"""

BURST = """
import sys
from samen.activities.events.models import Event
from samen.activities.events.services import registration_create, RegistrationError
from samen.network.models import User
event = Event.objects.get(slug="{slug}")
for user in User.objects.filter(email__startswith="crash-").select_related("member"):
    try:
        registration_create(event=event, name="Crash", email=user.email, is_resident=False, language="nl",
                            member=user.member)
    except RegistrationError:
        pass
    print(user.email, flush=True)
"""

CHECK = """
import json
from samen.activities.events.models import Event, Registration
from samen.measurement.models import ImportBatch, Measurement
event = Event.objects.get(slug="{slug}")
print(json.dumps({{
    "measurements": Measurement.objects.count(),
    "batches": list(ImportBatch.objects.order_by("pk").values_list("rows", flat=True)),
    "confirmed": event.registrations.filter(status="confirmed").count(),
    "capacity": event.capacity,
    "member_pending": Registration.objects.filter(member__isnull=False, status="pending").count(),
    "second_file": Measurement.objects.filter(denominator=401).count(),
}}))
"""


def _env(tmp_path, demo_site) -> dict[str, str]:
    """A copy of the migrated demo site; on PostgreSQL a database of its own, migrated and filled here."""
    demo_site(tmp_path)
    env = site_env(tmp_path)
    if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        db = django_settings.DATABASES["default"]
        name = f"samen_crash_{os.getpid()}"
        base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", f"{base}/postgres", "-c", sql], check=True, capture_output=True)
        env["DATABASE_URL"] = f"{base}/{name}"
        samen(env, "migrate", "--noinput", "-v0")
        samen(env, "demo")
    return env


def _said(process: subprocess.Popen, start: str, times: int = 1) -> bool:
    """Wait until the process has printed `times` lines that start so (after what `samen shell` says first)."""
    lines = (line for line in process.stdout if line.startswith(start))
    return all(next(lines, None) is not None for _ in range(times))


def _state(env, slug: str) -> dict:
    return json.loads(samen(env, "shell", "-c", CHECK.format(slug=slug)).stdout.strip().splitlines()[-1])


def test_a_killed_import_and_registration_burst_leave_nothing_half_written(tmp_path, demo_site):
    env = _env(tmp_path, demo_site)
    csv_path = tmp_path / "values.csv"
    slug = samen(env, "shell", "-c", SETUP.format(csv=csv_path, rows=ROWS)).stdout.strip().splitlines()[-1]
    before = _state(env, slug)

    samen(env, "import-measurements", str(csv_path), "--quiet")
    after_full = _state(env, slug)
    assert after_full["batches"] == [*before["batches"], ROWS]  # (some rows replace the demo's values)
    assert after_full["measurements"] > before["measurements"]

    # Again with new values, killed while checking and while writing, a registration burst running alongside.
    csv_path.write_text(csv_path.read_text().replace(",400,", ",401,"))
    postgresql = "DATABASE_URL" in env
    for phase in ("checking", "writing"):
        importer = subprocess.Popen(
            [sys.executable, "-m", "samen", "shell", "-c", PAUSED_IMPORT.format(phase=phase, csv=csv_path)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert _said(importer, "paused"), phase  # inside the run: not before it, not after it
        burst = subprocess.Popen(
            [sys.executable, "-m", "samen", "shell", "-c", BURST.format(slug=slug)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        if phase == "checking" or postgresql:
            assert _said(burst, "crash-", times=20)
            assert burst.poll() is None  # killed midway: 180 members were still to come
        # (SQLite while writing: the paused import holds the one write lock, the burst waits for it.)
        importer.send_signal(signal.SIGKILL)
        burst.send_signal(signal.SIGKILL)
        importer.wait()
        burst.wait()
        state = _state(env, slug)
        assert state["second_file"] == 0, phase  # not one value of the killed import is stored
        assert state["measurements"] == after_full["measurements"]
        assert state["batches"] == after_full["batches"]
        assert state["confirmed"] <= state["capacity"]
        assert state["member_pending"] == 0

    if "DATABASE_URL" not in env:
        with sqlite3.connect(tmp_path / "samen.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The static files are test_serve.py's business: a manifest that names them all tells the server they
    # are current, so it starts without collecting (and compressing) them, about 15 s of CPU.
    manifest_of_every_static_file(ManifestStaticFilesStorage(location=tmp_path / "static"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "samen", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        status = None
        deadline = time.monotonic() + 600  # a busy machine starts gunicorn slowly
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
