"""`samen care-rotate-keys`: re-encrypt every encrypted value (care's, the call campaigns' notes) with
the first key of SAMEN_CARE_KEYS."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samen.core.crypto import reencrypt_all


class Command(BaseCommand):
    help = "Re-encrypt residents' data with the first key in SAMEN_CARE_KEYS (put a new key first, run this, then drop the old one)."

    def handle(self, *args, **options):
        total = reencrypt_all()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} values with the first key."))
