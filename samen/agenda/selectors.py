"""Reads of the common agenda that pages share."""

from typing import Any

from django.db.models import BooleanField, Count, F, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from samen.agenda.models import ActionDomain, Challenge, Comment, Goal, Initiative, Proposal, Report, Story, Support


def initiative_get() -> Initiative | None:
    return Initiative.objects.prefetch_related("milestones").first()


def domains_with_goals() -> QuerySet[ActionDomain]:
    return ActionDomain.objects.prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("order", "deadline")))


def published_challenges() -> QuerySet[Challenge]:
    return (
        Challenge.objects.filter(status=Challenge.Status.PUBLISHED).select_related("domain").order_by("order", "title")
    )


def challenge_for_page(slug: str, *, user: Any) -> Challenge:
    """A published challenge; the backbone also sees drafts (to check them before publishing)."""
    challenges = Challenge.objects.select_related("domain").prefetch_related("goals")
    if not user.has_perm("agenda.curate_challenge"):
        challenges = challenges.filter(status=Challenge.Status.PUBLISHED)
    return challenges.get(slug=slug)


def _author_shown() -> Coalesce:
    # A name appears only when its owner chose so in their profile (Member.show_publicly, by its
    # relation name: the agenda does not import the network); without a profile, no name.
    return Coalesce(F("author__member__show_publicly"), Value(False), output_field=BooleanField())


def _counted(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    # Subqueries, not joins: two Counts over joins would multiply each other.
    supports = Support.objects.filter(proposal=OuterRef("pk")).values("proposal").annotate(n=Count("pk")).values("n")
    comments = (
        Comment.objects.filter(proposal=OuterRef("pk"), is_hidden=False)
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return proposals.annotate(
        support_count=Coalesce(Subquery(supports), 0),
        comment_count=Coalesce(Subquery(comments), 0),
        author_shown=_author_shown(),
    )


def proposals_for_list(
    *, challenge: Challenge | None = None, status: str = "", kind: str = "", user: Any = None
) -> QuerySet[Proposal]:
    """Visible proposals, newest first, with their number of supports and comments; the backbone
    also sees hidden ones (to undo a mistake)."""
    proposals = Proposal.objects.select_related("author", "challenge")
    if user is None or not user.has_perm("agenda.moderate"):
        proposals = proposals.filter(is_hidden=False)
    if challenge is not None:
        proposals = proposals.filter(challenge=challenge)
    if status:
        proposals = proposals.filter(status=status)
    if kind:
        proposals = proposals.filter(kind=kind)
    return _counted(proposals).order_by("-created_at", "-pk")


def proposal_for_page(pk: int, *, user: Any) -> Proposal:
    """A proposal with its visible comments; hidden ones only for the backbone."""
    moderator = user.has_perm("agenda.moderate")
    comments = (
        Comment.objects.select_related("author").annotate(author_shown=_author_shown()).order_by("created_at", "pk")
    )
    if not moderator:
        comments = comments.filter(is_hidden=False)
    proposals = proposals_for_list(user=user).select_related("answered_by", "challenge__domain")
    return proposals.prefetch_related(Prefetch("comments", queryset=comments)).get(pk=pk)


def supported_ids(user: Any, proposals: Any) -> set[int]:
    """Which of these proposals the person supports already, in one query."""
    if not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(member=user, proposal__in=[p.pk for p in proposals]).values_list(
            "proposal_id", flat=True
        )
    )


def already_reported(*, reporter: Any, proposal: Proposal | None = None, comment: Comment | None = None) -> bool:
    return Report.objects.filter(reporter=reporter, proposal=proposal, comment=comment).exists()


def stories_published(challenge: Challenge) -> QuerySet[Story]:
    return challenge.stories.filter(status=Story.Status.PUBLISHED).order_by("-published_at", "-pk")


def stories_to_review() -> QuerySet[Story]:
    return (
        Story.objects.filter(status=Story.Status.SUBMITTED).select_related("challenge", "author").order_by("created_at")
    )


def open_reports() -> list[tuple[Any, list[Report]]]:
    """Reported proposals and comments that wait for the backbone, each with its reports."""
    reports = (
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("proposal", "comment__proposal", "reporter")
        .order_by("created_at", "pk")
    )
    grouped: dict[Any, list[Report]] = {}
    for report in reports:
        grouped.setdefault(report.proposal or report.comment, []).append(report)
    return list(grouped.items())
