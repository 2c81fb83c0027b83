"""News and working-group meetings, read-only: what is public of continuous communication."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from samen.api.measurement import ProblemsOut
from samen.api.pagination import Paging
from samen.communication.models import ActionItem, Meeting, NewsItem
from samen.communication.selectors import published_news
from samen.core.mail import absolute_url

router = Router(tags=["communication"])


def _text(item: NewsItem) -> dict[str, str]:
    return item.in_language(translation.get_language() or "nl")


class NewsOut(Schema):
    slug: str
    language: str = Field(..., description="The language of title, summary and body: the asked one when it has text.")
    title: str
    summary: str
    body: str = Field(..., description="Sanitised HTML.")
    organisation: str | None = Field(None, description="Slug of the organisation; null for the backbone's news.")
    action_domains: list[str]
    published_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_language(obj: NewsItem) -> str:
        return _text(obj)["language"]

    @staticmethod
    def resolve_title(obj: NewsItem) -> str:
        return _text(obj)["title"]

    @staticmethod
    def resolve_summary(obj: NewsItem) -> str:
        return _text(obj)["summary"]

    @staticmethod
    def resolve_body(obj: NewsItem) -> str:
        return _text(obj)["body"]

    @staticmethod
    def resolve_organisation(obj: NewsItem) -> str | None:
        return obj.organisation.slug if obj.organisation else None

    @staticmethod
    def resolve_action_domains(obj: NewsItem) -> list[str]:
        return [d.slug for d in obj.action_domains.all()]

    @staticmethod
    def resolve_url(obj: NewsItem) -> str:
        return absolute_url(obj.get_absolute_url())


class ActionItemOut(Schema):
    text: str
    organisation: str = Field(..., description="Slug of the organisation that owns the action item.")
    due_on: datetime.date
    done: bool


class MeetingOut(Schema):
    id: int
    group: str = Field(..., description="Slug of the working group.")
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime = Field(..., description="Two hours after the start when no end was given.")
    place: str
    agenda: str = Field(..., description="Sanitised HTML.")
    minutes: str = Field(..., description="Sanitised HTML; empty unless the minutes are public.")
    decisions: list[str] = Field(..., description="Empty unless the minutes are public.")
    action_items: list[ActionItemOut] = Field(
        ..., description="Empty unless the minutes are public; the owning person is never named."
    )
    url: str

    @staticmethod
    def resolve_ends_at(obj: Meeting) -> datetime.datetime:
        return obj.ends

    @staticmethod
    def resolve_action_items(obj: Meeting) -> list[dict[str, object]]:
        if not obj.minutes_public:
            return []
        return [
            {
                "text": item.text,
                "organisation": item.owner_organisation.slug,
                "due_on": item.due_on,
                "done": item.done_at is not None,
            }
            for item in obj.action_items.all()
        ]

    @staticmethod
    def resolve_group(obj: Meeting) -> str:
        return obj.group.slug

    @staticmethod
    def resolve_minutes(obj: Meeting) -> str:
        return obj.minutes if obj.minutes_public else ""

    @staticmethod
    def resolve_decisions(obj: Meeting) -> list[str]:
        return [d.text for d in obj.decisions.all()] if obj.minutes_public else []

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return absolute_url(obj.get_absolute_url())


@router.get("/news", response={200: list[NewsOut], 422: ProblemsOut}, summary="Published news, newest first")
@paginate(Paging)
def news(request: HttpRequest, domain: str = "", organisation: str = "") -> QuerySet[NewsItem]:
    """Texts are in the language of the Accept-Language header when the item has it, else in the other one."""
    return published_news(domain=domain[:100], organisation=organisation[:100])


@router.get("/meetings", response={200: list[MeetingOut], 422: ProblemsOut}, summary="Meetings of the working groups")
@paginate(Paging)
def meetings(request: HttpRequest) -> QuerySet[Meeting]:
    """Group-only minutes and decisions are never in the API."""
    return (
        Meeting.objects.select_related("group")
        .prefetch_related(
            Prefetch("decisions"),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner_organisation")),
        )
        .order_by("-starts_at", "pk")
    )
