"""A person's proposals, supports, comments, reports and stories: in their data download, and what
stays when they delete their account.

`agenda` sits below `network`, so it answers network's `personal_data_export` signal and listens for
the user's deletion rather than being called. What stays is other people's: a proposal that was
answered, or that others supported or commented on, keeps its place (and their comments) with its
author shown as "a former member"; the person's own comments and unanswered, unshared proposals go."""

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from samen.agenda.models import Comment, Proposal, Report, Story, Support
from samen.core.signals import personal_data_export


def _moment(value: Any) -> str | None:
    return value.isoformat() if value else None


@receiver(personal_data_export, dispatch_uid="samen.agenda.privacy.export")
def export_agenda(sender: Any, user: Any, **kwargs: Any) -> dict[str, Any]:
    return {
        "proposals": [
            {
                "title": p.title,
                "body": p.body,
                "kind": p.kind,
                "challenge": p.challenge.title if p.challenge else None,
                "status": p.status,
                "answer": p.answer,
                "created_at": _moment(p.created_at),
            }
            for p in Proposal.objects.filter(author=user).select_related("challenge").order_by("created_at", "pk")
        ],
        "supports": [
            {"proposal": s.proposal.title, "at": _moment(s.created_at)}
            for s in Support.objects.filter(member=user).select_related("proposal").order_by("pk")
        ],
        "comments": [
            {"proposal": c.proposal.title, "body": c.body, "hidden": c.is_hidden, "at": _moment(c.created_at)}
            for c in Comment.objects.filter(author=user).select_related("proposal").order_by("created_at", "pk")
        ],
        "reports": [{"reason": r.reason, "at": _moment(r.created_at)} for r in Report.objects.filter(reporter=user)],
        "stories": [
            {"title": s.title, "body": s.body, "challenge": s.challenge.title, "status": s.status}
            for s in Story.objects.filter(author=user).select_related("challenge").order_by("pk")
        ],
    }


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="samen.agenda.privacy.erase")
def erase_contributions(sender: Any, instance: Any, **kwargs: Any) -> None:
    others_support = Support.objects.filter(proposal=OuterRef("pk")).exclude(member=instance)
    others_comment = Comment.objects.filter(proposal=OuterRef("pk")).exclude(author=instance)
    Comment.objects.filter(author=instance).delete()
    (
        Proposal.objects.filter(author=instance, status=Proposal.Status.OPEN)
        .exclude(Q(Exists(others_support)) | Q(Exists(others_comment)))
        .delete()
    )
    # The rest stays; the foreign key's SET_NULL leaves it without an author ("a former member").
