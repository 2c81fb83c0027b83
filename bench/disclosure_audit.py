"""Benchmark: what the disclosure audit costs when a change is published, and its figures on the demo.

    .venv/bin/python -m bench.disclosure_audit

Loads the Hasselt demo into a fresh SQLite database under var/bench-audit/, then for every
published indicator times computing its public figures (what publishing a change recomputes:
roll-ups, suppression, and since issue 11 the LP audit and secondary suppression) with and
without the audit, and runs the audit report of every table: tables checked, hidden cells,
narrowest range.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-audit"
ROUNDS = 5


def main() -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    os.environ.update(SAMEN_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    from samen.measurement import selectors
    from samen.measurement.models import Indicator

    indicators = list(Indicator.objects.filter(is_published=True))

    def compute_all() -> float:
        started = time.perf_counter()
        ctx = selectors._Context.load(indicators)
        for indicator in indicators:
            selectors._compute(indicator, ctx, small_counts=False)
        return time.perf_counter() - started

    with_audit = statistics.median(compute_all() for _ in range(ROUNDS))
    with mock.patch("samen.measurement.selectors.compute.protect", lambda measures, groups, **kw: kw["hidden"]):
        without = statistics.median(compute_all() for _ in range(ROUNDS))
    reports = [selectors.indicator_audit(i) for i in indicators]
    rows = [r for report in reports for r in report.rows]
    print(f"{len(indicators)} published indicators of the demo")
    print(f"figures of all of them: {with_audit * 1000:.0f} ms with the audit, {without * 1000:.0f} ms without")
    print(f"per indicator (a change publishes one): {(with_audit - without) / len(indicators) * 1000:.1f} ms added")
    print(f"tables checked: {sum(r.tables for r in reports)}")
    print(f"hidden cells protected: {sum(r.cells_protected for r in reports)}")
    narrowest = min((r.width for r in rows), default=None)
    print(f"narrowest range: {narrowest}")
    print(f"every range at least the threshold: {all(r.holds for r in reports)}")


if __name__ == "__main__":
    main()
