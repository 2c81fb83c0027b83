"""Benchmark: the measurement import on a generated 1,000,000-row file, on SQLite or PostgreSQL.

    .venv/bin/python -m bench.import_measurements [--rows 1000000]
    .venv/bin/python -m bench.import_measurements --database-url postgres://postgres@127.0.0.1:5432/samen_bench_import

Makes a throw-away database under var/bench-import/ with the Hasselt demo, writes a CSV of
`--rows` valid rows (an indicator with a sex breakdown, every area, many years), then runs
`samen import-measurements` on it twice: --dry-run (check and count only) and a real import,
and reports rows per second and the peak memory (max RSS) of each run. Beside it, in the same
run: a raw `sqlite3 .import` (PostgreSQL: `psql \\copy`) of the same file into a bare table (the
floor), and during the real import a writer that commits a small row every 50 ms, as the site would:
its longest wait is how long the import stops the site. The PostgreSQL database named by
--database-url is dropped and made anew.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-import"


DATABASE_URL = ""  # PostgreSQL when set (--database-url), else SQLite under VAR
TREE = ROOT  # the tree whose `samen` builds the database (bench.import_ab: the older one, so its schema)


def env() -> dict[str, str]:
    values = {
        **os.environ,
        "SAMEN_VAR_DIR": str(VAR),
        "DJANGO_SETTINGS_MODULE": "samen.settings",
        "SAMEN_ENV": "development",
    }
    values.pop("DATABASE_URL", None)
    if DATABASE_URL:
        values["DATABASE_URL"] = DATABASE_URL
    return values


def psql(url: str, *commands: str) -> None:
    for command in commands:
        subprocess.run(["psql", "-q", url, "-c", command], check=True, capture_output=True)


def samen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "samen", *args],
        env={**env(), "PYTHONPATH": str(TREE)},
        cwd=TREE,
        capture_output=True,
        text=True,
        check=False,
    )


def prepare() -> None:
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    if DATABASE_URL:
        base, name = DATABASE_URL.rsplit("/", 1)
        psql(f"{base}/postgres", f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    # 400 more neighbourhoods, so a million rows need no more than some 800 yearly periods.
    areas = VAR / "areas.csv"
    districts = ["hasselt-centrum", "kermt", "kuringen", "stevoort", "stokrooie", "spalbeek", "wimmertingen"]
    with areas.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name", "kind", "parent"])
        for n in range(400):
            writer.writerow([f"bench-{n}", f"Bench {n}", "neighbourhood", districts[n % len(districts)]])
    for step in (("migrate", "-v0"), ("demo",), ("load_areas", str(areas))):
        done = samen(*step)
        if done.returncode:
            raise SystemExit(done.stderr)
    if DATABASE_URL:
        # As autovacuum would on a live database: loading 400 areas bumps every indicator's data version once per
        # area (7,000 dead versions of 18 rows), and until they are vacuumed each foreign-key check of an imported
        # value against its indicator walks them (1,069 ms instead of 33 ms per 10,000 rows, EXPLAIN ANALYZE). A
        # copy made from a template (bench.import_ab) has no statistics, so autovacuum would never come.
        psql(DATABASE_URL, "VACUUM ANALYZE")


def write_file(rows: int) -> Path:
    """Valid rows: 2 indicators × every area × (total, women, men) × enough yearly periods."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(env())
    import django

    django.setup()
    from samen.network.models import Area

    areas = list(Area.objects.values_list("code", flat=True))
    path = VAR / "measurements.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["indicator", "area", "period_start", "period_end", "value", "numerator", "denominator", "dim:sex"]
        )
        written = 0
        year = 1000
        while written < rows:
            for area in areas:
                for sex in ("", "f", "m"):
                    if written >= rows:
                        break
                    writer.writerow(
                        ["eld-visit-weekly", area, f"{year}-01-01", f"{year}-12-31", "", (written % 40) + 5, 400, sex]
                    )
                    written += 1
            year += 1
    return path


# `samen` in a process that reports its own peak memory as it ends (its children's would include `samen demo`).
MEASURED = (
    "import atexit, resource, runpy, sys; "
    "atexit.register(lambda: sys.stderr.write(f'MAXRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')); "
    "sys.argv = ['samen', *sys.argv[1:]]; runpy.run_module('samen', run_name='__main__')"
)


def run(path: Path, *flags: str) -> tuple[float, int, str]:
    """Seconds, peak memory (kB) and output of `samen import-measurements` on the file."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "import-measurements", str(path), "--quiet", *flags],
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    peak = re.search(r"MAXRSS (\d+)", done.stderr)
    return seconds, int(peak.group(1)) if peak else 0, done.stdout.strip()


def raw_import(path: Path) -> float:
    """The same CSV into a bare table of a fresh SQLite file with the sqlite3 shell (PostgreSQL: `\\copy` into
    a bare table of text columns): the floor."""
    if DATABASE_URL:
        psql(DATABASE_URL, "DROP TABLE IF EXISTS bench_raw")
        columns = ", ".join(f"c{n} text" for n in range(8))
        psql(DATABASE_URL, f"CREATE TABLE bench_raw ({columns})")
        started = time.perf_counter()
        psql(DATABASE_URL, f"\\copy bench_raw FROM '{path}' WITH (FORMAT csv, HEADER true)")
        return time.perf_counter() - started
    target = VAR / "raw.sqlite3"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(target)], input=f".mode csv\n.import {path} raw\n", text=True, check=True)
    return time.perf_counter() - started


WRITER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE IF NOT EXISTS bench_probe (at real)")
waits = []
while True:
    started = time.perf_counter()
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO bench_probe VALUES (?)", (started,))
        db.execute("COMMIT")
    except sqlite3.OperationalError:  # waited the whole busy timeout: the site would answer 500 here
        pass
    waits.append(time.perf_counter() - started)
    print(f"{waits[-1]:.4f}", flush=True)
    time.sleep(0.05)
"""

WRITER_PG = """
import sys, time
import psycopg
db = psycopg.connect(sys.argv[1], autocommit=True)
db.execute("CREATE TABLE IF NOT EXISTS bench_probe (at double precision)")
db.execute("SET statement_timeout = '30s'")
while True:
    started = time.perf_counter()
    try:
        with db.transaction():
            db.execute("INSERT INTO bench_probe VALUES (%s)", (started,))
    except psycopg.errors.QueryCanceled:  # waited 30 s: the site would answer 500 here
        pass
    print(f"{time.perf_counter() - started:.4f}", flush=True)
    time.sleep(0.05)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="", help="postgres://…/NAME: dropped and made anew")
    args = parser.parse_args()
    global DATABASE_URL
    DATABASE_URL = args.database_url
    prepare()
    path = write_file(args.rows)
    size = path.stat().st_size / 1e6
    print(f"{args.rows:,} rows, {size:.0f} MB CSV, {'PostgreSQL' if DATABASE_URL else 'SQLite'}")
    raw = raw_import(path)
    floor = "raw psql \\copy" if DATABASE_URL else "raw sqlite3 .import"
    print(f"{floor:<30} {raw:6.1f} s wall, {args.rows / raw:>9,.0f} rows/s")
    for label, flags in (("dry run (check and count)", ("--dry-run",)), ("import (check, count, store)", ())):
        writer = None
        if not flags:
            probe = [WRITER_PG, DATABASE_URL] if DATABASE_URL else [WRITER, str(VAR / "samen.sqlite3")]
            writer = subprocess.Popen([sys.executable, "-c", *probe], stdout=subprocess.PIPE, text=True)
            time.sleep(1)
        seconds, peak_kb, out = run(path, *flags)
        if writer:
            writer.terminate()
            waits = [float(line) for line in writer.communicate()[0].split()]
            slow = sum(1 for wait in waits if wait > 1)
            print(
                f"{'  a site write during it':<30} longest wait {max(waits):.2f} s over {len(waits)} writes"
                f" ({slow} waited more than 1 s)"
            )
        reported = re.search(r"\(([\d.]+) s", out)
        told = float(reported.group(1)) if reported else seconds
        print(
            f"{label:<30} {seconds:6.1f} s wall, {args.rows / seconds:>9,.0f} rows/s; the command's own timer "
            f"{told:.1f} s, {args.rows / told:,.0f} rows/s, {told / raw:.1f}× the raw import; "
            f"peak RSS {peak_kb / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
