"""`samen periodic`: run due periodic jobs (once, or in a loop beside the web server)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from samen.core.periodic import jobs, run_due


class Command(BaseCommand):
    help = "Start the periodic jobs that are due (digests, reminders, escalations); --loop keeps doing so."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="check every --interval seconds until stopped")
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--list", action="store_true", help="list the jobs and how often they run")

    def handle(self, *args, loop: bool, interval: int, list: bool, **options):  # noqa: A002
        if list:
            for job in jobs():
                self.stdout.write(f"{job.name}\tevery {job.every}")
            return
        while True:
            started = run_due()
            if not loop:
                self.stdout.write(f"{len(started)} job(s) started" + (f": {', '.join(started)}" if started else ""))
                return
            time.sleep(interval)
