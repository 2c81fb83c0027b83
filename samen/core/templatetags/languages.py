"""`{% other_languages as links %}`: the current page in each other language, as plain links.

Plain links, not a POST form, so a page holds no CSRF token of its visitor and can be served to every
visitor from one copy (`network.page_cache`). The page's language comes from its /nl/ or /en/ prefix,
so the link itself is the switch. An address without a prefix (the unsubscribe link of an email, a 404)
takes its language from the cookie: there the link goes through `set_language`, which sets it."""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.context import Context
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.text import capfirst

register = template.Library()


class LanguageLink(NamedTuple):
    code: str
    name: str  # in its own language ("Nederlands", "English")
    url: str


def other_language_url(request: HttpRequest, code: str) -> str:
    """The page of `request` (query string kept) in the language `code`. The handler has resolved the
    address already: only `reverse` runs here. A page Django cannot reverse (a 404, a view without a
    name) keeps its address with the language prefix swapped."""
    path = request.get_full_path()
    query = path.partition("?")[2]
    if translation.get_language_from_path(request.path_info) is None:
        return reverse("set_language") + "?" + urlencode({"language": code, "next": path})
    match = request.resolver_match
    if match is not None:
        try:
            with translation.override(code):
                found = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            pass
        else:
            return f"{found}?{query}" if query else found
    # The prefix as written (/en-gb/ too) is swapped, not the language it stands for.
    rest = request.path_info.lstrip("/").partition("/")[2]
    return f"{get_script_prefix()}{code}/{rest}" + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def other_languages(context: Context) -> list[LanguageLink]:
    request = context.get("request")
    active = translation.get_language()
    return [
        LanguageLink(
            code,
            capfirst(translation.get_language_info(code)["name_local"]),
            other_language_url(request, code) if request is not None else f"/{code}/",
        )
        for code, _name in settings.LANGUAGES
        if code != active
    ]
