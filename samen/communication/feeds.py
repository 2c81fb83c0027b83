"""Atom feeds of the news (Django's syndication framework): all, and per action domain, organisation and area."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from samen.agenda.models import ActionDomain
from samen.communication.models import NewsItem
from samen.communication.selectors import published_news
from samen.core.mail import absolute_url
from samen.network.models import Area, Organisation

FEED_SIZE = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed

    # One Feed instance serves every request: the language is read per call, never kept on self.
    @staticmethod
    def language() -> str:
        return translation.get_language() or "nl"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def title(self, obj: Any) -> str:
        return _("Samen news") if obj is None else _("Samen news: %(name)s") % {"name": obj}

    def link(self, obj: Any) -> str:
        return absolute_url("/" + self.language() + "/news/")

    def subtitle(self, obj: Any) -> str:
        return _("News of the partners and the backbone")

    def filters(self, obj: Any) -> dict[str, str]:
        return {}

    def items(self, obj: Any) -> list[NewsItem]:
        return list(published_news(**self.filters(obj))[:FEED_SIZE])

    def item_title(self, item: NewsItem) -> str:
        return item.in_language(self.language())["title"]

    def item_description(self, item: NewsItem) -> str:
        text = item.in_language(self.language())
        return text["summary"] or text["body"]

    def item_link(self, item: NewsItem) -> str:
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return item.updated_at


class DomainNewsFeed(NewsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> ActionDomain:
        return get_object_or_404(ActionDomain, slug=slug)

    def filters(self, obj: ActionDomain) -> dict[str, str]:
        return {"domain": obj.slug}


class OrganisationNewsFeed(NewsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return get_object_or_404(Organisation, slug=slug)

    def filters(self, obj: Organisation) -> dict[str, str]:
        return {"organisation": obj.slug}


class AreaNewsFeed(NewsFeed):
    def get_object(self, request: HttpRequest, code: str) -> Area:
        return get_object_or_404(Area, code=code)

    def filters(self, obj: Area) -> dict[str, str]:
        return {"area": obj.code}
