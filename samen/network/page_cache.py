"""Whole pages for visitors: `@visitor_page(tables)` serves a public page to a visitor who is not
signed in from one shared-cache copy, keyed by the address (path and the query parameters the view
reads, sorted), host, language and the versions of the tables the page shows (`table_versions`), so a
change shows on the next request. A request with any other query parameter (`?utm_source=…`) gets the
page rendered and not stored: one junk parameter must not make a new whole-page entry.

A page is only stored when nothing in it was the visitor's own: it answered 200, used no CSRF token,
set no cookie, changed no session and showed no message. Signed-in people, requests other than GET
and visitors with a message pending always get the page rendered for them. On a hit the view does not
run: one query reads the versions (the same read then serves the page parts on a miss) and one cache
read gives the page; the middleware around the view (session, language, security headers) runs as for
any page, so the headers stay what they are."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.http import urlencode

from samen.core.templatetags.public_cache import PARTS_LEFT, SERVED_LAST_COPY
from samen.network import table_versions

# As long as the page parts' copies (`{% public_cache %}`). A page is stored no longer than its parts
# have left (PARTS_LEFT), so what depends on the clock (upcoming events) lags at most this long, as the
# parts alone would.
SECONDS = 600
LONGEST_QUERY = 300  # a longer query string is a page nobody shares: not stored
View = Callable[..., HttpResponse]


def no_tables() -> tuple[str, ...]:
    """For a page that shows no table of its own, only `others` version rows (growth: "network")."""
    return ()


def visitor_page(
    tables: Callable[[], Iterable[str]],
    *,
    seconds: int = SECONDS,
    others: Iterable[str] = (),
    parts: Callable[[HttpRequest], object] | None = None,
    query: Iterable[str] = (),
) -> Callable[[View], View]:
    """The page shows the rows of `tables` (a function: the apps must be loaded to name them) and of the
    `others` version rows (the network map's "network"); `parts` gives what else of the request or the
    moment it depends on (e.g. today's date); `query` names the query parameters the view reads. The
    frame's initiative is added to every page."""
    known = frozenset(query)

    @functools.cache
    def shown() -> tuple[str, ...]:
        from samen.agenda.models import Initiative

        return tuple(sorted({*tables(), *table_versions.tables_of(Initiative)}))

    def decorate(view: View) -> View:
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _for_every_visitor(request) or not known.issuperset(request.GET):
                return view(request, *args, **kwargs)
            version = table_versions.versions_key(shown(), request, others)
            key = _key(request, name, version, parts(request) if parts else None)
            stored = cache.get(key)
            if stored is not None:
                status, headers, content = stored
                return HttpResponse(content, status=status, headers=headers)
            response = view(request, *args, **kwargs)
            # No longer than its parts have left: a part of 50 s ago must not live on for `seconds` more.
            timeout = int(min(seconds, getattr(request, PARTS_LEFT, seconds)))
            if timeout > 0 and _storable(request, response):
                cache.set(key, (response.status_code, dict(response.items()), response.content), timeout)
            return response

        return wrapped

    return decorate


def _for_every_visitor(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and len(request.META.get("QUERY_STRING", "")) <= LONGEST_QUERY
        and not len(get_messages(request))  # a message pending is shown on this page: the visitor's own
    )


def _key(request: HttpRequest, view: str, version: str, parts: object) -> str:
    place = (
        request.scheme,
        request.get_host(),
        get_script_prefix(),
        request.path,
        urlencode(sorted((name, request.GET[name]) for name in request.GET)),  # as the view reads it: the last
        translation.get_language(),
        settings.SAMEN_DISCLOSURE_THRESHOLD,
        parts,
    )
    return f"samen:page:{view}:{version}:{hashlib.sha256(repr(place).encode()).hexdigest()[:32]}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Nothing of the visitor's own went into the answer."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form's token: get_token() was called
        and not (session is not None and session.modified)
        and not len(get_messages(request))  # shown, or added by the view
        and not request.user.is_authenticated
        and not getattr(request, SERVED_LAST_COPY, False)  # a part of a moment ago, while another builds it
    )
