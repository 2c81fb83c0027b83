"""Text people type as titles and names: without the invisible characters that hide or reorder it."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Bidi embeddings, overrides and isolates (U+202A–E, U+2066–9), marks (U+200E/F, U+061C), zero-width
# spaces and joiners (U+200B–D, U+2060), the byte-order mark and soft hyphen: all invisible on a page,
# all usable to make "Stad Hasselt" look like something else or to pass as a duplicate.
# Beyond the list, every format character (category Cf: also tags, U+180E, U+FFF9–B), line and paragraph
# separators, the combining grapheme joiner, variation selectors and the Hangul fillers that show blank.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064"
    "\u2066-\u2069\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_REMOVED_CATEGORIES = {"Cf", "Zl", "Zp"}
# The fields that hold a title or a name, wherever a form has them.
TITLE_AND_NAME_FIELDS = ("title", "name", "first_name", "last_name")


def visible_text(value: str) -> str:
    """The text without invisible formatting characters, trimmed."""
    value = INVISIBLE.sub("", value)
    return "".join(c for c in value if unicodedata.category(c) not in _REMOVED_CATEGORIES).strip()


class VisibleTitlesMixin:
    """For forms: the title and name fields come out of `clean()` without invisible characters."""

    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for field in TITLE_AND_NAME_FIELDS:
            if isinstance(data.get(field), str):
                data[field] = visible_text(data[field])
                # Only invisible characters: as empty as nothing, so a required field says so.
                form_field = self.fields.get(field)  # type: ignore[attr-defined]
                if not data[field] and form_field is not None and form_field.required:
                    self.add_error(field, form_field.error_messages["required"])  # type: ignore[attr-defined]
        return data
