"""`samen import-measurements FILE [--dry-run]`: the web import, for files of any size."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from samen.measurement.importer import ImportRefused, import_measurements


class Command(BaseCommand):
    help = "Check and import measurements from a CSV or XLSX file, all or nothing; streaming, so any size will do."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and count, store nothing.")
        parser.add_argument("--user", help="Email address of the person the history names (default: nobody).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, path: Path, dry_run: bool, user: str | None, quiet: bool, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(email=user).first()
            if actor is None:
                raise CommandError(f"No user with the email address {user}")
        bar = tqdm(unit=" rows", unit_scale=True, disable=quiet, desc="checking", file=self.stderr._out)
        last = [0]

        def progress(rows: int) -> None:
            bar.update(rows - last[0])
            last[0] = rows

        started = time.perf_counter()
        try:
            with path.open("rb") as source:
                result = import_measurements(source, name=path.name, actor=actor, commit=not dry_run, progress=progress)
        except ImportRefused as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        finally:
            bar.close()
        seconds = time.perf_counter() - started
        if not result.ok:
            for p in result.problems:
                self.stderr.write(f"line {p.line}, {p.column}: {p.message}")
            more = result.problem_count - len(result.problems)
            raise CommandError(
                f"Nothing was imported: {result.problem_count} problem(s)" + (f", {more} not listed" if more else "")
            )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.rows} rows: {result.new} new, {result.changed} changed, {result.unchanged} unchanged "
                f"({seconds:.1f} s, {result.rows / seconds:,.0f} rows/s)."
            )
        )
