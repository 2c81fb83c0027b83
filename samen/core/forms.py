"""How every form on the site is drawn: one field template and one form template, through Django's
form renderer (settings.FORM_RENDERER), so a page writes `{{ form }}` instead of a loop of its own."""

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


def _options(choices: list[tuple[Any, Any]], chosen: frozenset[str]) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((str(v), mark_safe(" selected") if str(v) in chosen else "", label) for v, label in choices),
    )


class DrawnChoices(BaseChoiceIterator):
    """A long list of plain (value, label) choices that many forms share (every organisation), kept by a
    process under the data's version: `LongSelect` draws its options once per selection and keeps them
    here, so a page does not escape and join 5,000 options on every request. Django takes an iterator of
    choices as it is (it copies and checks every pair of a list, twice per field)."""

    KEEP = 8  # selections drawn and kept besides nothing chosen: others (a form sent back) drawn each time

    def __init__(self, choices: Any) -> None:
        self.choices = list(choices)
        self._drawn: dict[frozenset[str], SafeString] = {}

    def __iter__(self) -> Any:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def options(self, chosen: frozenset[str]) -> SafeString:
        drawn = self._drawn.get(chosen)
        if drawn is None:
            drawn = _options(self.choices, chosen)
            # Nothing chosen (every page's empty row) is always kept; other selections while there is room.
            if len(self._drawn) < self.KEEP or chosen <= {""}:
                self._drawn[chosen] = drawn
        return drawn

    def __getstate__(self) -> dict[str, Any]:
        return {"choices": self.choices, "_drawn": {}}  # through the shared cache: the list, not the drawings


class LongSelect(forms.Select):
    """A select for long lists (every organisation: 5,000 at X50000), drawn in Python. Django's select
    builds a dictionary and renders a template for each option, which for thousands of options was
    most of a page's CPU; this writes the same elements (kept when the choices are `DrawnChoices`).
    Choices in groups go Django's way."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = frozenset(str(v) for v in self.format_value(value))
        if isinstance(self.choices, DrawnChoices):
            options = self.choices.options(chosen)
        else:
            choices = list(self.choices)
            if any(isinstance(label, (list, tuple)) for _value, label in choices):
                return super().render(name, value, attrs, renderer)
            options = _options(choices, chosen)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )
