"""Encryption at rest for personal data (care residents, call notes): Fernet tokens with key rotation.

`SAMEN_CARE_KEYS` holds one or more Fernet keys, comma-separated: the first encrypts, all
decrypt (MultiFernet), so a new key is put in front, `samen care-rotate-keys` re-encrypts every
row with it, and the old key is then removed. The database only ever holds the tokens: a lookup
on an encrypted column cannot match (every token is different), so nothing filters on them."""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SAMEN_CARE_KEYS holds no key: residents' data cannot be encrypted")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SAMEN_CARE_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("an encrypted column holds a value that is not a Fernet token")
    try:
        return fernet().decrypt(token[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A resident's data cannot be decrypted with the keys in SAMEN_CARE_KEYS: was a key removed too early?"
        ) from None


def rotate(token: str) -> str:
    """The same value encrypted with the first key (a no-op for a token that is already)."""
    return PREFIX + fernet().rotate(token[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees the plain text."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else self.from_plain(decrypt(value))

    def get_lookup(self, lookup_name: str) -> Any:
        # Every token differs, so `filter(phone=...)` would silently match nothing (or, negated, all).
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted at rest: it cannot be filtered on ({lookup_name})")
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt(self.to_plain(value))

    def to_plain(self, value: Any) -> str:
        return str(value)

    def from_plain(self, text: str) -> Any:
        return text


class EncryptedDateField(EncryptedTextField):
    """A date stored as an encrypted ISO date; blank stays None."""

    def get_prep_value(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        return encrypt(self.to_plain(value))

    def to_python(self, value: Any) -> Any:
        if value in (None, "") or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(str(value))

    def to_plain(self, value: Any) -> str:
        return self.to_python(value).isoformat()

    def from_plain(self, text: str) -> Any:
        return datetime.date.fromisoformat(text) if text else None

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


def encrypted_columns() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every model with values encrypted at rest (care's, the call campaigns' notes) and those fields."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def reencrypt_all(more_keys: tuple[str, ...] = ()) -> int:
    """Re-encrypt every encrypted value with the first key of SAMEN_CARE_KEYS, in one transaction, and
    return how many. `more_keys` may decrypt too (a restored backup's keys) but never encrypt."""
    from django.db import connection, transaction

    keys = _fernet((*settings.SAMEN_CARE_KEYS, *more_keys))
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for model, fields in encrypted_columns():
            # Raw column values: the tokens are rotated without ever holding the plain text in a model.
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            columns = [connection.ops.quote_name(f.column) for f in fields]
            cursor.execute(f"SELECT {pk}, {', '.join(columns)} FROM {table}")  # noqa: S608 (names from the models)
            for row in cursor.fetchall():
                for column, token in zip(columns, row[1:], strict=True):
                    if token is None or not token.startswith(PREFIX):
                        continue
                    try:
                        rotated = keys.rotate(token[len(PREFIX) :].encode()).decode()
                    except InvalidToken:
                        raise ImproperlyConfigured(
                            f"A value in {model._meta.db_table}.{column} cannot be decrypted with the keys given."
                        ) from None
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [PREFIX + rotated, row[0]])  # noqa: S608
                    count += 1
    return count
