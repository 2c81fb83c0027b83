"""`samen send-digests [--dry-run]`: run the digest job by hand (the periodic job does the same)."""

from typing import Any

from django.core.management.base import BaseCommand

from samen.communication.digests import digests_send
from samen.communication.models import DigestKind


class Command(BaseCommand):
    help = "Send the daily and weekly digests that are due; --dry-run only counts them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count the digests that would go out; send none.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        for kind in DigestKind.values:
            count = digests_send(kind, dry_run=dry_run)
            verb = "would send" if dry_run else "sent"
            self.stdout.write(f"{kind}: {verb} {count} digests")
