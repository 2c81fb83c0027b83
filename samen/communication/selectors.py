"""Reads of communication that pages, feeds and the API share, with their joins chosen once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from samen.agenda.models import ActionDomain
from samen.communication.models import (
    FOLLOW_MODELS,
    FOLLOW_PUBLIC,
    ActionItem,
    Channel,
    Follow,
    FollowKind,
    Frequency,
    Meeting,
    NewsItem,
    Preference,
    Topic,
    WorkingGroup,
    follow_public,
)
from samen.network.models import Area
from samen.network.rules import edits_organisation

# How often a topic reaches a person by default; their grid overrides it cell by cell.
DEFAULTS: dict[tuple[str, str], str] = {
    **{(topic, Channel.SITE): Frequency.IMMEDIATELY for topic in Topic.values},
    (Topic.NEWS, Channel.EMAIL): Frequency.DAILY,
    (Topic.EVENTS, Channel.EMAIL): Frequency.DAILY,
    (Topic.PROGRESS, Channel.EMAIL): Frequency.WEEKLY,
    # The agenda mails the answer to a proposal and activities mail an invitation to a role themselves:
    # by default these reach people by mail once, from there, and in the site from here.
    (Topic.PROPOSALS, Channel.EMAIL): Frequency.OFF,
    (Topic.ROLES, Channel.EMAIL): Frequency.OFF,
    (Topic.NETWORK, Channel.EMAIL): Frequency.DAILY,
    (Topic.WORK, Channel.EMAIL): Frequency.DAILY,
    (Topic.MEETINGS, Channel.EMAIL): Frequency.IMMEDIATELY,
}


def preferences_for(user_ids: Iterable[int]) -> dict[int, dict[tuple[str, str], str]]:
    """Each person's whole grid (defaults filled in), in one query for any number of people."""
    ids = list(user_ids)
    grids: dict[int, dict[tuple[str, str], str]] = {pk: dict(DEFAULTS) for pk in ids}
    for user_id, topic, channel, frequency in Preference.objects.filter(user_id__in=ids).values_list(
        "user_id", "topic", "channel", "frequency"
    ):
        grids[user_id][(topic, channel)] = frequency
    return grids


def published_news(*, domain: str = "", organisation: str = "", area: str = "", query: str = "") -> QuerySet[NewsItem]:
    """Published news, newest first, with what the list shows fetched in a fixed number of queries."""
    if any("\x00" in text for text in (domain, organisation, area, query)):
        return NewsItem.objects.none()
    items = (
        NewsItem.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())
        .select_related("organisation")
        .prefetch_related(Prefetch("action_domains", queryset=ActionDomain.objects.order_by("order", "pk")))
        .order_by("-published_at", "-pk")
    )
    if domain:
        items = items.filter(action_domains__slug=domain)
    if organisation:
        items = items.filter(organisation__slug=organisation)
    if area:
        found = Area.objects.filter(code=area).values_list("path", flat=True).first()
        items = items.filter(areas__path__startswith=found) if found else items.none()
    if query:
        items = items.filter(
            Q(title_nl__icontains=query)
            | Q(title_en__icontains=query)
            | Q(summary_nl__icontains=query)
            | Q(summary_en__icontains=query)
        )
    return items.distinct() if (domain or area) else items


def news_for_writer(user: Any) -> QuerySet[NewsItem]:
    """Drafts and scheduled items this person may edit."""
    from samen.core.permissions import is_backbone
    from samen.network.selectors import editable_organisations

    items = NewsItem.objects.filter(published_at__isnull=True).select_related("organisation")
    if not is_backbone(user):
        items = items.filter(organisation__in=editable_organisations(user))
    return items.order_by("-updated_at")


def follows_of(user: Any) -> set[tuple[str, int]]:
    return set(Follow.objects.filter(user=user).values_list("kind", "object_id"))


def action_items_board(*, organisation_ids: list[int] | None = None) -> dict[str, list[ActionItem]]:
    """Open, overdue and done action items (all, or of some organisations), in one query."""
    items = ActionItem.objects.select_related("owner_organisation", "owner", "meeting__group").order_by("due_on", "pk")
    if organisation_ids is not None:
        items = items.filter(owner_organisation_id__in=organisation_ids)
    today = timezone.localdate()
    board: dict[str, list[ActionItem]] = {"overdue": [], "open": [], "done": []}
    for item in items:
        if item.done_at:
            board["done"].append(item)
        elif item.due_on < today:
            board["overdue"].append(item)
        else:
            board["open"].append(item)
    return board


def groups_with_meetings() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.select_related("action_domain").prefetch_related(
        "organisations", Prefetch("meetings", queryset=Meeting.objects.order_by("-starts_at"))
    )


def group_record(group: WorkingGroup, *, member: bool) -> dict[str, Any]:
    """A group's decisions and open action items, newest meeting first; group-only minutes only for the group.

    Two queries (and one for the items' goals), whatever the number of meetings."""
    from samen.communication.models import Decision, FollowKind, follow_public

    shown = Q(meeting__group=group) if member else Q(meeting__group=group, meeting__minutes_public=True)
    decisions = Decision.objects.filter(shown).select_related("meeting").order_by("-meeting__starts_at", "pk")
    items = (
        ActionItem.objects.filter(shown, done_at__isnull=True)
        .select_related("owner_organisation", "owner", "meeting")
        .prefetch_related(Prefetch("activities", queryset=follow_public(FollowKind.ACTIVITY)))
        .order_by("due_on", "pk")
    )
    return {"decisions": list(decisions), "open_items": list(items), "today": timezone.localdate()}


def is_group_member(user: Any, group: WorkingGroup) -> bool:
    """A person is in a group through an organisation they belong to (confirmed or editor)."""
    if not user.is_authenticated:
        return False
    from samen.core.permissions import is_backbone
    from samen.network.selectors import standing_memberships

    if is_backbone(user):
        return True
    mine = standing_memberships().filter(member__user=user).values("organisation_id")
    return group.organisations.filter(pk__in=mine).exists()


# --- News and follows ------------------------------------------------------------------------

NEWS_TAGS = ("action_domains", "goals", "challenges", "activities", "campaigns", "areas")
# The kind of follow behind each tag: its followers hear of the news, and only its public rows may be tagged.
NEWS_TAG_KINDS = {
    "action_domains": FollowKind.DOMAIN,
    "goals": FollowKind.GOAL,
    "challenges": FollowKind.CHALLENGE,
    "activities": FollowKind.ACTIVITY,
    "campaigns": FollowKind.CAMPAIGN,
    "areas": FollowKind.AREA,
}


def news_tags_public(item: NewsItem) -> dict[str, list[Any]]:
    """The item's tags that are public now (a tagged activity or campaign can be unpublished later)."""
    return {
        name: list(getattr(item, name).filter(FOLLOW_PUBLIC.get(kind, Q()))) for name, kind in NEWS_TAG_KINDS.items()
    }


def news_may_write(user: Any, organisation: Any) -> bool:
    """The backbone writes any news; a partner editor writes for an organisation they edit (the one rule)."""
    return bool(edits_organisation(user, organisation))


def news_targets(item: NewsItem) -> list[tuple[str, int]]:
    targets: list[tuple[str, int]] = []
    for name, kind in NEWS_TAG_KINDS.items():
        rows = getattr(item, name).filter(FOLLOW_PUBLIC.get(kind, Q()))
        targets += [(kind, pk) for pk in rows.values_list("pk", flat=True)]
    if item.organisation_id:
        targets.append((FollowKind.ORGANISATION, item.organisation_id))
    return targets


def follow_labels(targets: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The names of followed things, one query per kind; what is no longer public has no name ("")."""
    by_kind: dict[str, set[int]] = {}
    for kind, pk in targets:
        if kind in FOLLOW_MODELS:
            by_kind.setdefault(kind, set()).add(pk)
    return {(kind, obj.pk): str(obj) for kind, ids in by_kind.items() for obj in follow_public(kind).filter(pk__in=ids)}


def followers(targets: Iterable[tuple[str, int]]) -> dict[int, tuple[str, int]]:
    """Who follows any of the targets, each with the first target they follow (what the digest groups by)."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk in targets:
        by_kind.setdefault(kind, []).append(pk)
    found: dict[int, tuple[str, int]] = {}
    for kind, ids in by_kind.items():
        for user_id, object_id in (
            Follow.objects.filter(kind=kind, object_id__in=ids, user__is_active=True)
            .order_by("pk")
            .values_list("user_id", "object_id")
        ):
            found.setdefault(user_id, (kind, object_id))
    return found
