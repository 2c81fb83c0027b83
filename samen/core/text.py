"""Text people type as titles and names: without the invisible characters that hide or reorder it."""

from __future__ import annotations

import re
from typing import Any

# Bidi embeddings, overrides and isolates (U+202A–E, U+2066–9), marks (U+200E/F, U+061C), zero-width
# spaces and joiners (U+200B–D, U+2060), the byte-order mark and soft hyphen: all invisible on a page,
# all usable to make "Stad Hasselt" look like something else or to pass as a duplicate.
INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# The fields that hold a title or a name, wherever a form has them.
TITLE_AND_NAME_FIELDS = ("title", "name", "first_name", "last_name")


def visible_text(value: str) -> str:
    """The text without invisible formatting characters, trimmed."""
    return INVISIBLE.sub("", value).strip()


class VisibleTitlesMixin:
    """For forms: the title and name fields come out of `clean()` without invisible characters."""

    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for field in TITLE_AND_NAME_FIELDS:
            if isinstance(data.get(field), str):
                data[field] = visible_text(data[field])
        return data
