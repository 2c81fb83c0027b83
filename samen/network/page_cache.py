"""Whole pages for visitors: `@visitor_page(tables)` serves a public page to a visitor who is not
signed in from one shared-cache copy, keyed by the address (path and the query parameters the view
reads, sorted), host, language and the versions of the tables the page shows (`table_versions`), so a
change shows on the next request. A request with any other query parameter (`?utm_source=…`) gets the
page rendered and not stored: one junk parameter must not make a new whole-page entry. Nor does a junk
value of a parameter the page reads: `query=` names each parameter with what the page offers for it (the
slugs of a model's rows, a fixed set, a page number, or a free-text search, of which only the empty value
is stored), and a request asking for anything else (`?campaign=junk`, `?page=99999`, `?q=zorg`) gets the
page rendered and neither it nor its parts stored (`NOT_SHAREABLE`). This is checked on a miss only (a
stored page was offered when it was stored), with one cache read: the values a filter offers are kept
per version of their table.

A page is only stored when nothing in it was the visitor's own: it answered 200, used no CSRF token,
set no cookie, changed no session and showed no message. Signed-in people, requests other than GET
and visitors with a message pending always get the page rendered for them. On a hit the view does not
run: one query reads the versions (the same read then serves the page parts on a miss) and one cache
read gives the page; the middleware around the view (session, language, security headers) runs as for
any page, so the headers stay what they are."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.http import urlencode

from samen.core.templatetags.public_cache import NOT_SHAREABLE, PARTS_LEFT, SERVED_LAST_COPY
from samen.network import table_versions

# As long as the page parts' copies (`{% public_cache %}`). A page is stored no longer than its parts
# have left (PARTS_LEFT), so what depends on the clock (upcoming events) lags at most this long, as the
# parts alone would.
SECONDS = 600
LONGEST_QUERY = 300  # a longer query string is a page nobody shares: not stored
View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Values:
    """What a filter offers: the values of `field` of the model's rows (a slug, an area's code)."""

    model: type[Model]
    field: str

    def read(self) -> frozenset[str]:
        return frozenset(str(v) for v in self.model._default_manager.values_list(self.field, flat=True))


class PageNumber:
    """A page number: offered when it is written as the page shown (`paginate`), `1` to the last."""


PAGE = PageNumber()
SEARCH: frozenset[str] = frozenset()  # free text: only the empty value is stored, never a search
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,11}")  # as the page links write it: no "01", "+1", " 1", "1_0"
Offered = Values | PageNumber | Collection[str]


def no_tables() -> tuple[str, ...]:
    """For a page that shows no table of its own, only `others` version rows (growth: "network")."""
    return ()


def visitor_page(
    tables: Callable[[], Iterable[str]],
    *,
    seconds: int = SECONDS,
    others: Iterable[str] = (),
    parts: Callable[[HttpRequest], object] | None = None,
    query: Mapping[str, Offered] | None = None,
) -> Callable[[View], View]:
    """The page shows the rows of `tables` (a function: the apps must be loaded to name them) and of the
    `others` version rows (the network map's "network"); `parts` gives what else of the request or the
    moment it depends on (e.g. today's date); `query` names the query parameters the view reads, each
    with what the page offers for it (a view with a `PAGE` paginates with `paginate`). The frame's
    initiative is added to every page."""
    offers = dict(query or {})
    known = frozenset(offers)

    @functools.cache
    def shown() -> tuple[str, ...]:
        from samen.agenda.models import Initiative

        # The tables of the filters' choices too: a stored page was offered under their versions.
        choices = [offered.model for offered in offers.values() if isinstance(offered, Values)]
        return tuple(sorted({*tables(), *table_versions.tables_of(Initiative, *choices)}))

    def decorate(view: View) -> View:
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = None
            if _for_every_visitor(request) and known.issuperset(request.GET):
                version = table_versions.versions_key(shown(), request, others)
                key = _key(request, name, version, parts(request) if parts else None, offers)
                stored = cache.get(key)
                if stored is not None:  # stored only when its values were offered: a hit checks nothing
                    status, headers, content = stored
                    return HttpResponse(content, status=status, headers=headers)
            if not _offered(request, offers):
                setattr(request, NOT_SHAREABLE, True)  # nor its parts, for anyone
            response = view(request, *args, **kwargs)
            # No longer than its parts have left: a part of 50 s ago must not live on for `seconds` more.
            timeout = int(min(seconds, getattr(request, PARTS_LEFT, seconds)))
            if key is not None and timeout > 0 and _storable(request, response):
                cache.set(key, (response.status_code, dict(response.items()), response.content), timeout)
            return response

        return wrapped

    return decorate


def paginate(request: HttpRequest, objects: Any, per_page: int) -> Page:
    """`Paginator.get_page` of the number asked (`?page=`). One it does not show as asked (past the
    last: it shows the last) marks the request `NOT_SHAREABLE`: neither the page nor its parts are
    stored. Read when a part is built; a part taken from the cache was stored for a number that was
    shown, under the same versions."""
    asked = request.GET.get("page", "")
    page = Paginator(objects, per_page).get_page(asked[:12])
    if asked not in ("", str(page.number)):
        setattr(request, NOT_SHAREABLE, True)
    return page


def _offered(request: HttpRequest, offers: Mapping[str, Offered]) -> bool:
    """Whether the value of each parameter the page reads is empty or one the page offers, given once.
    A name given twice is not: the view reads the last value, but the language links keep the query as
    written (`?q=any text&q=` would put that text in the page every visitor gets)."""
    if any(len(values) > 1 for _name, values in request.GET.lists()):
        return False
    rows: dict[Values, set[str]] = {}
    for name, offered in offers.items():
        value = request.GET.get(name, "")
        if not value:
            continue
        if isinstance(offered, Values):
            rows.setdefault(offered, set()).add(value)
        elif isinstance(offered, PageNumber):
            if not PAGE_NUMBER.fullmatch(value):
                return False
        elif value not in offered:
            return False
    return all(asked <= found for asked, found in zip(rows.values(), _read_values(request, rows), strict=True))


def _read_values(request: HttpRequest, wanted: Iterable[Values]) -> list[frozenset[str]]:
    """The values of each, kept in the shared cache per version of its table: the request has read the
    versions already (one query for all), so a miss costs one cache read and no query, until a write."""
    keys = {
        values: f"samen:offered:{values.model._meta.label}.{values.field}:"
        + table_versions.versions_key([values.model._meta.db_table], request)
        for values in wanted
    }
    found = cache.get_many(list(keys.values()))
    missing = {key: values.read() for values, key in keys.items() if key not in found}
    if missing:
        cache.set_many(missing, SECONDS)
    return [found[key] if key in found else missing[key] for key in keys.values()]


def _for_every_visitor(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and len(request.META.get("QUERY_STRING", "")) <= LONGEST_QUERY
        and not len(get_messages(request))  # a message pending is shown on this page: the visitor's own
    )


def _key(request: HttpRequest, view: str, version: str, parts: object, offers: Mapping[str, Offered]) -> str:
    place = (
        request.scheme,
        request.get_host(),
        get_script_prefix(),
        request.path,
        urlencode(sorted(_asked(request, offers).items())),
        translation.get_language(),
        settings.SAMEN_DISCLOSURE_THRESHOLD,
        parts,
    )
    return f"samen:page:{view}:{version}:{hashlib.sha256(repr(place).encode()).hexdigest()[:32]}"


def _asked(request: HttpRequest, offers: Mapping[str, Offered]) -> dict[str, str]:
    """The query as the view reads it (the last value of each name), less what it reads as nothing: an
    empty value (the filter form sends every field) and the first page. `?sector=&page=1` is the page
    without a query, not one more copy of it."""
    return {
        name: value
        for name in request.GET
        if (value := request.GET[name]) and not (isinstance(offers.get(name), PageNumber) and value == "1")
    }


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
        and not getattr(request, NOT_SHAREABLE, False)  # a value the page does not offer, a page past the last
    )
