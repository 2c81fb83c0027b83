"""Benchmark: making the annual report card of the demo (figures, page and WeasyPrint PDF), cold.

    .venv/bin/python -m bench.report_card [--runs 5] [--year 2025]

Builds a throw-away SQLite database under var/bench-report-card/ with the Hasselt demo, then times
`report.build(year)` in Dutch and English with the cache emptied before each run (every figure is
computed from the database), split into figures, page and PDF, with the PDF's pages and size.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time

from bench.pages import ROOT, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    setup(ROOT / "var" / "bench-report-card")
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation
    from pypdf import PdfReader

    from samen.backbone import report

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"demo loaded in {time.perf_counter() - started:.1f} s (it publishes the {args.year} report card)")
    print(
        f"{'language':<9} {'figures s':>10} {'page s':>8} {'pdf s':>7} {'total p50 s':>12} {'max s':>7} {'queries':>8} {'pages':>6} {'kB':>6}"
    )
    for language in ("nl", "en"):
        with translation.override(language):
            runs, parts = [], []
            for _ in range(args.runs):
                cache.clear()
                t0 = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    figures = report.report_figures(args.year)
                t1 = time.perf_counter()
                report.render_html(figures, published=True)
                t2 = time.perf_counter()
                pdf = report.render_pdf(figures)
                t3 = time.perf_counter()
                runs.append(t3 - t0)
                parts.append((t1 - t0, t2 - t1, t3 - t2))
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            f, h, p = (statistics.median(x) for x in zip(*parts, strict=True))
            print(
                f"{language:<9} {f:>10.2f} {h:>8.3f} {p:>7.2f} {statistics.median(runs):>12.2f} {max(runs):>7.2f}"
                f" {len(queries):>8} {pages:>6} {len(pdf) / 1024:>6.0f}"
            )


if __name__ == "__main__":
    main()
