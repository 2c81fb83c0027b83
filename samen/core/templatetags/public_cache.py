"""`{% public_cache "name" [seconds [version]] %}…{% endpublic_cache %}`: a part of a public page,
rendered once for every visitor who is not signed in, per language and per version of the data the
part shows (`public_version` in the context, which the view sets with
`network.table_versions.public_version`; a page whose parts show different tables passes another
variable as `version`).

Signed-in people, and pages whose view gave no version, always get the part rendered for them: a
public cache must never hold what one person sees. The exception is a version that starts with
`EVERYONE` (`public_version(..., everyone=True)`): the view has decided that the part is the same for
the person signed in as for a visitor (the calendar's events for a member who manages no campaign),
and they share the visitors' copy. The part must hold nothing of the visitor's own (no form with a
CSRF token): the page around it is rendered for each request. A request marked `NOT_SHAREABLE` (a
filter value its page does not offer) gets every part rendered and none stored."""

from __future__ import annotations

import time

from django import template
from django.core.cache import cache
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()
SECONDS = 600  # also bounds how long a part that depends on the clock ("upcoming") can lag
# The longest others are served the last copy while one request builds the new one: also how long a
# withdrawal (an indicator unpublished, a story taken down) can still show to visitors.
BUILDING_SECONDS = 15
# Set on a request that was served a last copy: its whole page must not be stored under the new version
# (network.page_cache), or the copy of a moment ago would outlive the build.
SERVED_LAST_COPY = "_samen_served_last_copy"
# The least time any part of this request's page has left in the cache (seconds): the whole page is
# stored no longer (network.page_cache), so what depends on the clock lags at most `seconds`, not twice.
PARTS_LEFT = "_samen_parts_seconds_left"
# Set on a request that asked for a value its page does not offer (network.page_cache: `?campaign=junk`,
# a page number past the last, a search): its parts and its whole page are rendered and not stored, or
# anyone could fill the cache with one entry per made-up value.
NOT_SHAREABLE = "_samen_not_shareable"
EVERYONE = "everyone:"  # the start of a version under which signed-in people share the part too


class PublicCacheNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        name: FilterExpression,
        seconds: FilterExpression | None,
        version: FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.seconds = seconds
        self.version = version

    def render(self, context: Context) -> str:
        version = self.version.resolve(context) if self.version else context.get("public_version")
        request = context.get("request")
        user = getattr(request, "user", None)
        if (
            not version
            or user is None
            or (user.is_authenticated and not str(version).startswith(EVERYONE))
            or getattr(request, NOT_SHAREABLE, False)
        ):
            return self.nodelist.render(context)
        place = f"samen:public:{self.name.resolve(context)}:{translation.get_language()}"
        key = f"{place}:{str(version).removeprefix(EVERYONE)}"  # the same copy as the visitors'
        html = _html(request, cache.get(key))
        if html is not None:
            return mark_safe(html)  # noqa: S308 (what the template rendered, escaped there)
        # After a change, one request builds the new copy; the others meanwhile get the last one made
        # for the same request parts (the data of a moment ago), so that visitors arriving during a
        # slow build do not all build it at once. Without a last copy, each builds its own.
        request_parts = str(version).rpartition(":")[2]
        last = f"{place}:last:{request_parts}"
        if not cache.add(f"{key}:building", 1, BUILDING_SECONDS):
            html = _html(request, cache.get(last))
            if html is not None:
                setattr(request, SERVED_LAST_COPY, True)
                return mark_safe(html)  # noqa: S308
        try:
            html = str(self.nodelist.render(context))
            if getattr(request, NOT_SHAREABLE, False):  # found while rendering: a page number past the last
                return mark_safe(html)  # noqa: S308
            seconds = int(self.seconds.resolve(context)) if self.seconds else SECONDS
            cache.set_many({key: (html, time.time() + seconds), last: (html, time.time() + seconds)}, seconds)
            _note_left(request, seconds)
        finally:
            cache.delete(f"{key}:building")  # a failed build does not keep the others on the last copy
        return mark_safe(html)  # noqa: S308


def _html(request: object, stored: object) -> str | None:
    """A stored part is (html, the moment it expires); anything else (an older form) is no copy."""
    if not isinstance(stored, tuple):
        return None
    html, until = stored
    _note_left(request, until - time.time())
    return str(html)


def _note_left(request: object, seconds: float) -> None:
    if request is not None:
        setattr(request, PARTS_LEFT, min(getattr(request, PARTS_LEFT, seconds), seconds))


@register.tag("public_cache")
def public_cache(parser: Parser, token: Token) -> PublicCacheNode:
    bits = token.split_contents()
    if len(bits) not in (2, 3, 4):
        raise template.TemplateSyntaxError('Use {% public_cache "name" [seconds [version]] %}')
    nodelist = parser.parse(("endpublic_cache",))
    parser.delete_first_token()
    compiled = [parser.compile_filter(bit) for bit in bits[1:]] + [None, None]
    return PublicCacheNode(nodelist, compiled[0], compiled[1], compiled[2])
