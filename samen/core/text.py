"""Text people type as titles and names: without the invisible characters that hide or reorder it."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite

# Bidi embeddings, overrides and isolates (U+202A–E, U+2066–9), marks (U+200E/F, U+061C), zero-width
# spaces and joiners (U+200B–D, U+2060), the byte-order mark and soft hyphen: all invisible on a page,
# all usable to make "Stad Hasselt" look like something else or to pass as a duplicate.
# Beyond the list, every format character (category Cf: also tags, U+180E, U+FFF9–B), line and paragraph
# separators, the combining grapheme joiner, variation selectors and the Hangul fillers that show blank.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064"
    "\u2066-\u2069\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_REMOVED_CATEGORIES = {"Cf", "Zl", "Zp"}
# The zero-width non-joiner and joiner (U+200C/D) are kept only where writing needs them, after the
# rule of IDNA's ContextJ (RFC 5892) and emoji sequences: after a virama (Indic half forms), ZWNJ between
# two letters of a joining script (Persian "mi\u200cxaham"), ZWJ between emoji (a family, a skin tone
# joined to a sign). Elsewhere, and always between Latin letters, they are removed: there they only hide.
JOINERS = re.compile("[\u200c\u200d]")
_JOINING_SCRIPTS = {"ARABIC", "SYRIAC", "NKO", "MANDAIC", "MONGOLIAN"}
_VIRAMA = 9  # the canonical combining class of a virama
# The fields that hold a title or a name: `title`, `name` and every `…_title`/`…_name` (first_name,
# role_title, place_name), each also with a language suffix (modeltranslation's `title_nl`, `name_en`);
# and the other short texts shown as a heading or a line of their own: a newsletter's `subject`, a
# milestone's `label`, a meeting's `place`.
_TITLE_OR_NAME = re.compile(r"(^|_)(title|name|subject|label|place)(_[a-z]{2})?$")


def _joins(before: str, joiner: str, after: str) -> bool:
    """Whether the joiner between these two characters is needed to write them (see JOINERS)."""
    if not before or not after:
        return False
    if unicodedata.combining(before) == _VIRAMA:
        return True
    if joiner == "\u200c":
        return all(unicodedata.name(c, "").split(" ")[0] in _JOINING_SCRIPTS for c in (before, after))
    return unicodedata.category(before) in ("So", "Sk") and unicodedata.category(after) == "So"


def _needed_joiner(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    return match.group() if _joins(text[start - 1 : start], match.group(), text[end : end + 1]) else ""


def visible_text(value: str) -> str:
    """The text without invisible formatting characters, trimmed (joiners kept only where needed)."""
    value = INVISIBLE.sub("", value)
    value = "".join(c for c in value if JOINERS.match(c) or unicodedata.category(c) not in _REMOVED_CATEGORIES)
    return JOINERS.sub(_needed_joiner, value).strip()


def is_title_or_name(field_name: str) -> bool:
    """Whether a field of this name holds a title or a name (language suffixes only of our languages)."""
    match = _TITLE_OR_NAME.search(field_name)
    if match is None:
        return False
    suffix = match.group(3)
    return suffix is None or suffix[1:] in {code for code, _name in settings.LANGUAGES}


def _translated_base_fields(model: type[models.Model]) -> set[str]:
    """modeltranslation's base fields of the model (`name` beside `name_nl`, `name_en`)."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


@cache
def title_and_name_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The model's text columns that hold a title or a name (its encrypted text fields included).
    Never a translated model's base field: its descriptor reads the other language when this one is
    empty and writes into the active language's column, so cleaning through it would copy the Dutch
    title into an empty English one; its `_nl`/`_en` columns are cleaned instead."""
    translated = _translated_base_fields(model)
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, (models.SlugField, models.EmailField, models.URLField))
        and field.attname not in translated
        and is_title_or_name(field.attname)
    )


def clean_titles_before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """pre_save for the project's models: the stored titles and names are visible text, whichever door
    they came through. Cleaning at the model rather than in each form is what makes it hold for the
    admin, the API, the importers and the forms of an app written later alike; only `bulk_create` and
    `QuerySet.update` pass by signals, and no code path writes a title or a name that way.
    A required title of only invisible characters is refused here too, naming the field: a service or
    an importer that validated the raw text (not empty) would otherwise store it empty."""
    for attname in title_and_name_fields(sender):
        value = getattr(instance, attname)
        if isinstance(value, str):
            visible = visible_text(value)
            field = sender._meta.get_field(attname)
            if value and not visible and not field.blank:
                raise ValidationError({field.name: field.error_messages["blank"]}, code="blank")
            setattr(instance, attname, visible)


class VisibleTitlesMixin:
    """For forms: the title and name fields come out of `clean()` without invisible characters, and a
    required one typed with only invisible characters is refused as empty (the model's pre_save would
    otherwise store it empty)."""

    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for field in [name for name in data if is_title_or_name(name)]:
            if isinstance(data[field], str):
                data[field] = visible_text(data[field])
                # Only invisible characters: as empty as nothing, so a required field says so.
                form_field = self.fields.get(field)  # type: ignore[attr-defined]
                if not data[field] and form_field is not None and form_field.required:
                    self.add_error(field, form_field.error_messages["required"])  # type: ignore[attr-defined]
        return data


def with_visible_titles(form: type[BaseForm]) -> type[BaseForm]:
    """The form class, cleaning its titles and names (itself when it already does)."""
    if issubclass(form, VisibleTitlesMixin):
        return form
    return type(form.__name__, (VisibleTitlesMixin, form), {"__module__": form.__module__})


def give_the_admin_visible_titles(site: AdminSite) -> None:
    """The admin's forms clean titles and names as the site's do. Without it the admin validated the raw
    text and pre_save stored the cleaned one: a name of only invisible characters was stored empty, and
    one differing from a taken name only by them passed the unique check and failed at the database (500).
    The admin builds its forms from `form` at each request, so giving each admin (and each inline) a
    cleaning base holds for the admins of an app written later too."""
    for model, model_admin in site._registry.items():
        if model.__module__.startswith("samen."):
            model_admin.form = with_visible_titles(model_admin.form)
            for inline in model_admin.inlines:
                inline.form = with_visible_titles(inline.form)
