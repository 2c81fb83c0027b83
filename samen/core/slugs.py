"""One way to give an object an address: its slugified name, numbered when taken."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Model, QuerySet
from django.utils.text import slugify


def unique_slug(
    taken: type[Model] | QuerySet,
    text: str,
    *,
    fallback: str,
    max_length: int = 100,
    reserved: Collection[str] = (),
) -> str:
    """`text` slugified, or `fallback`; then "-2", "-3", ... while the slug is taken or reserved for a page."""
    queryset = taken if isinstance(taken, QuerySet) else taken._default_manager.all()
    base = slugify(text)[:max_length] or fallback
    slug, number = base, 2
    while slug in reserved or queryset.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
