"""Reads of the common agenda that pages share."""

from django.db.models import Prefetch, QuerySet

from samen.agenda.models import ActionDomain, Goal, Initiative


def initiative_get() -> Initiative | None:
    return Initiative.objects.prefetch_related("milestones").first()


def domains_with_goals() -> QuerySet[ActionDomain]:
    return ActionDomain.objects.prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("order", "deadline")))
