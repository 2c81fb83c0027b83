"""Benchmark: two versions of the importer, alternating, on copies of one prepared database (CPU time as well as wall).

    .venv/bin/python -m bench.import_ab --before /tmp/old-tree [--rounds 2] [--rows 200000]
    .venv/bin/python -m bench.import_ab --before /tmp/old-tree --database-url postgres://postgres@127.0.0.1:5432/NAME

On a shared machine the wall time of an import follows the load more than the code; so this prepares
the database of `bench.import_measurements` once (demo, 400 more areas, a CSV of `--rows` new rows),
keeps a copy of it (SQLite: the file; PostgreSQL: a template database NAME_tpl), and then, for each
round, restores the copy, migrates it to the tree's schema (the database is built by `--before`, a tree
holding an older `samen` package, so a schema change is part of the comparison; on PostgreSQL the copy is
vacuumed and analysed then, as autovacuum would) and imports the file in one process with the code of
`--before` and with this tree's, one after the other. It prints the wall time,
the import process's CPU time and, on PostgreSQL, the server backend's CPU time (from /proc: the
server must run on this machine). NAME and NAME_tpl are dropped and made anew.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench import import_measurements as bench

# Run with PYTHONPATH set to the tree under test: import the file in-process and report the times.
MEASURE = """
import os, sys, time
import django
django.setup()
from django.db import connection
from samen.measurement.importer import import_measurements

def backend_cpu():
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

server, cpu, wall = backend_cpu(), time.process_time(), time.perf_counter()
with open(sys.argv[1], "rb") as source:
    result = import_measurements(source, name="bench.csv", actor=None, commit=True)
wall, cpu, server = time.perf_counter() - wall, time.process_time() - cpu, backend_cpu() - server
assert result.committed and result.new == result.rows, result.problems[:3]
print(f"{result.rows} {wall:.2f} {cpu:.2f} {server:.2f}")
"""


def snapshot(name: str) -> None:
    if bench.DATABASE_URL:
        from django.db import connections

        connections.close_all()  # write_file's connection: a template database must have none
        base, db = bench.DATABASE_URL.rsplit("/", 1)
        bench.psql(f"{base}/postgres", f"DROP DATABASE IF EXISTS {db}_tpl", f"CREATE DATABASE {db}_tpl TEMPLATE {db}")
    else:
        shutil.copy(bench.VAR / "samen.sqlite3", bench.VAR / name)


def restore(name: str) -> None:
    if bench.DATABASE_URL:
        base, db = bench.DATABASE_URL.rsplit("/", 1)
        bench.psql(
            f"{base}/postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", f"CREATE DATABASE {db} TEMPLATE {db}_tpl"
        )
        return
    for suffix in ("-wal", "-shm"):
        (bench.VAR / f"samen.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copy(bench.VAR / name, bench.VAR / "samen.sqlite3")


def migrate(tree: Path) -> None:
    """The copy (built with the older tree's schema) brought to the tree's own, outside the timing."""
    done = subprocess.run(
        [sys.executable, "-m", "samen", "migrate", "-v0"],
        env={**bench.env(), "PYTHONPATH": str(tree)},
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    if bench.DATABASE_URL:
        bench.psql(bench.DATABASE_URL, "VACUUM ANALYZE")  # a copy has no statistics: as autovacuum would


def measure(tree: Path, path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        env={**bench.env(), "PYTHONPATH": str(tree)},
        cwd=tree,  # `python -c` puts the working directory first on the path, before PYTHONPATH
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    rows, wall, cpu, server = done.stdout.split()
    load = os.getloadavg()[0]
    return (
        f"{int(rows) / float(wall):>8,.0f} rows/s; wall {wall} s, CPU {cpu} s, server CPU {server} s (load {load:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="a tree holding the older samen package")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database-url", default="", help="postgres://…/NAME: NAME and NAME_tpl are made anew")
    args = parser.parse_args()
    bench.DATABASE_URL = args.database_url
    bench.TREE = args.before.resolve()  # the older schema; each round migrates its copy to the tree under test
    bench.prepare()
    path = bench.write_file(args.rows)
    snapshot("prepared.sqlite3")
    for round_ in range(1, args.rounds + 1):
        for label, tree in (("before", args.before.resolve()), ("after", bench.ROOT)):
            restore("prepared.sqlite3")
            migrate(tree)
            print(f"round {round_} {label:<7} {measure(tree, path)}", flush=True)


if __name__ == "__main__":
    main()
