"""`{% public_cache "name" [seconds] %}…{% endpublic_cache %}`: a part of a public page, rendered once
for every visitor who is not signed in, per language and per `public_version` (the versions of the
data the part shows, which the view puts in the context: `network.table_versions.public_version`).

Signed-in people, and pages whose view gave no version, always get the part rendered for them: a
public cache must never hold what one person sees. The part must hold nothing of the visitor's
own (no form with a CSRF token): the page around it is rendered for each request."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()
SECONDS = 600  # also bounds how long a part that depends on the clock ("upcoming") can lag


class PublicCacheNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, seconds: FilterExpression | None) -> None:
        self.nodelist = nodelist
        self.name = name
        self.seconds = seconds

    def render(self, context: Context) -> str:
        version = context.get("public_version")
        request = context.get("request")
        user = getattr(request, "user", None)
        if not version or user is None or user.is_authenticated:
            return self.nodelist.render(context)
        key = f"samen:public:{self.name.resolve(context)}:{translation.get_language()}:{version}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, str(html), int(self.seconds.resolve(context)) if self.seconds else SECONDS)
        return mark_safe(html)  # noqa: S308 (what the template rendered, escaped there)


@register.tag("public_cache")
def public_cache(parser: Parser, token: Token) -> PublicCacheNode:
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError('Use {% public_cache "name" [seconds] %}')
    nodelist = parser.parse(("endpublic_cache",))
    parser.delete_first_token()
    return PublicCacheNode(
        nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]) if len(bits) == 3 else None
    )
