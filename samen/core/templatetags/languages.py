"""`{% other_languages as links %}`: the current page in each other language, as plain links.

Plain links, not a POST form, so a page holds no CSRF token of its visitor and can be served to every
visitor from one copy (`network.page_cache`). The page's language comes from its /nl/ or /en/ prefix,
so the link itself is the switch; the language cookie only matters for an address without a prefix."""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.conf import settings
from django.template.context import Context
from django.urls import translate_url
from django.utils import translation
from django.utils.text import capfirst

register = template.Library()


class LanguageLink(NamedTuple):
    code: str
    name: str  # in its own language ("Nederlands", "English")
    url: str


def other_language_url(path: str, code: str) -> str:
    """The page at `path` (query string kept) in the language `code`. A page Django cannot reverse (a
    404, a view without a name) keeps its address with the language prefix swapped."""
    found = translate_url(path, code)
    if found != path:
        return found
    current = translation.get_language_from_path(path)
    if current:
        return f"/{code}/" + path[len(current) + 2 :]
    return path


@register.simple_tag(takes_context=True)
def other_languages(context: Context) -> list[LanguageLink]:
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    active = translation.get_language()
    return [
        LanguageLink(code, capfirst(translation.get_language_info(code)["name_local"]), other_language_url(path, code))
        for code, _name in settings.LANGUAGES
        if code != active
    ]
