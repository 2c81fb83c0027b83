"""Where an import's time goes: each SQL statement of `import_measurements` timed, in-process.

    PYTHONPATH=$PWD .venv/bin/python -m bench.import_steps FILE.csv   # DATABASE_URL / SAMEN_VAR_DIR as usual

Run on a prepared database (e.g. a copy of `bench.import_ab`'s NAME_tpl, or its prepared.sqlite3 with
SAMEN_VAR_DIR pointing at it). Statements are grouped by their first words (the table they write); per
group: count, wall time and, on PostgreSQL, the server backend's CPU time (from /proc: the server must run
on this machine). The rest of the import's wall time is Python (reading and checking the file).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path


def _backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _group(sql: str) -> str:
    words = re.sub(r"\s+", " ", sql.strip())
    if words.startswith("INSERT INTO"):
        table = words.split()[2]
        shape = "upsert" if "ON CONFLICT" in words else ("join" if " JOIN " in words else "plain")
        return f"INSERT {table} ({shape})"
    return " ".join(words.split()[:3])[:60]


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.settings")
    django.setup()
    from django.db import connection

    from samen.measurement.importer import import_measurements

    connection.ensure_connection()
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    spent: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])

    def timed(execute, sql, params, many, context):
        server, cpu, wall = _backend_cpu(pid), time.process_time(), time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            row = spent[_group(sql)]
            row[0] += 1
            row[1] += time.perf_counter() - wall
            row[2] += time.process_time() - cpu
            row[3] += _backend_cpu(pid) - server

    # Commits are no statements: on PostgreSQL the deferred foreign-key checks run in them.
    commit = connection.commit

    def timed_commit():
        return timed(lambda *args: commit(), "COMMIT", None, False, None)

    connection.commit = timed_commit
    server, cpu, wall = _backend_cpu(pid), time.process_time(), time.perf_counter()
    with connection.execute_wrapper(timed), open(sys.argv[1], "rb") as source:
        result = import_measurements(source, name="bench.csv", actor=None, commit=True)
    wall, cpu, server = time.perf_counter() - wall, time.process_time() - cpu, _backend_cpu(pid) - server
    assert result.committed and result.new == result.rows, result.problems[:3]
    print(f"{result.rows} rows: wall {wall:.2f} s, import CPU {cpu:.2f} s, server CPU {server:.2f} s")
    print(f"{'statement':<62} {'n':>4} {'wall s':>7} {'CPU s':>6} {'server s':>8}")
    for name, (count, w, c, s) in sorted(spent.items(), key=lambda item: -item[1][1]):
        if w >= 0.01:
            print(f"{name:<62} {count:>4} {w:7.2f} {c:6.2f} {s:8.2f}")


if __name__ == "__main__":
    main()
