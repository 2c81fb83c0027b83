"""Benchmark: the dashboard and an indicator page with 1,000,000 approved measurements, on SQLite.

    .venv/bin/python -m bench.import_measurements      # builds var/bench-import/ with a million values
    .venv/bin/python -m bench.dashboard                # then this

Approves every value in that database, then times the pages with Django's test client: cold
(cache emptied before each request: the figures are computed from the database) and warm
(computed figures from the cache, as after the first visitor), with their query counts.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-import"
PAGES = ["/nl/account/login/", "/nl/dashboard/", "/nl/indicators/eld-visit-weekly/", "/api/v1/indicators"]


def main() -> None:
    if not (VAR / "samen.sqlite3").exists():
        raise SystemExit("Run .venv/bin/python -m bench.import_measurements first.")
    os.environ.update(SAMEN_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="samen.settings", SAMEN_ENV="development")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from samen.measurement.models import Measurement
    from samen.measurement.services import published_data_changed

    call_command("collectstatic", verbosity=0, interactive=False)
    Measurement.objects.filter(status="submitted").update(status="approved")
    published_data_changed(Measurement.objects.values_list("indicator_id", flat=True).distinct())
    total = Measurement.objects.filter(status="approved").count()
    client = Client()
    print(f"{total:,} approved measurements, SQLite")
    print(f"{'page':<36} {'cold p50 ms':>12} {'warm p50 ms':>12} {'warm p95 ms':>12} {'queries':>8}")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for url in PAGES:
            cold = []
            for _ in range(3):
                cache.clear()
                started = time.perf_counter()
                assert client.get(url).status_code == 200, url
                cold.append((time.perf_counter() - started) * 1000)
            warm = []
            for _ in range(50):
                started = time.perf_counter()
                client.get(url)
                warm.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(
                f"{url:<36} {statistics.median(cold):>12.0f} {statistics.median(warm):>12.1f} "
                f"{statistics.quantiles(warm, n=20)[18]:>12.1f} {len(queries):>8}"
            )


if __name__ == "__main__":
    main()
