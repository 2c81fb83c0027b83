"""`samen care-rotate-keys`: re-encrypt every encrypted value of care with the first key of SAMEN_CARE_KEYS."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from samen.care.crypto import PREFIX, EncryptedTextField, rotate

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt residents' data with the first key in SAMEN_CARE_KEYS (put a new key first, run this, then drop the old one)."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_app_config("care").get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            total += self._rotate(model, fields)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} values with the first key."))

    def _rotate(self, model, fields) -> int:
        # Raw column values: the tokens are rotated without ever holding the plain text in a model.
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        columns = [connection.ops.quote_name(f.column) for f in fields]
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {', '.join(columns)} FROM {table}")  # noqa: S608 (names from the models)
            rows = cursor.fetchall()
            for row in rows:
                for column, token in zip(columns, row[1:], strict=True):
                    if token is None or not token.startswith(PREFIX):
                        continue
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [rotate(token), row[0]])  # noqa: S608
                    count += 1
        return count
