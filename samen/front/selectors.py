"""Reads of the pages that compose every part: challenges with their figures, and the home page's people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from samen.activities.models import Activity
from samen.agenda import selectors as agenda
from samen.agenda.models import Challenge, Proposal
from samen.measurement.models import Indicator
from samen.measurement.selectors import IndicatorView, indicator_views, published_indicators, published_indicators_query


@dataclass
class ChallengeCard:
    challenge: Challenge
    people: list[IndicatorView] = field(default_factory=list)
    proposal_count: int = 0
    activity_count: int = 0


def challenge_cards(limit: int | None = None) -> list[ChallengeCard]:
    """Published challenges with the first figure that says how many people they are about."""
    ideas = (
        Proposal.objects.filter(challenge=OuterRef("pk"), is_hidden=False)
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # django-stubs types the through model of a relation to another app's model as Never: a model it is.
    links = cast("type[Model]", Activity.challenges.through)
    active = (
        links._default_manager.filter(challenge=OuterRef("pk"), activity__is_published=True)
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    challenges = agenda.published_challenges().annotate(
        proposal_count=Coalesce(Subquery(ideas), 0), activity_count=Coalesce(Subquery(active), 0)
    )
    challenges = challenges.prefetch_related(Prefetch("indicators", queryset=published_indicators_query()))
    chosen = list(challenges[:limit] if limit else challenges)
    indicators = list({i.pk: i for c in chosen for i in _indicators_of(c)}.values())
    views = indicator_views(indicators)
    return [
        ChallengeCard(
            challenge=c,
            people=_most_people([views[i.pk] for i in _indicators_of(c)]),
            proposal_count=c.proposal_count,
            activity_count=c.activity_count,
        )
        for c in chosen
    ]


def _indicators_of(challenge: Challenge) -> list[Indicator]:
    """A challenge's prefetched published indicators. `indicators` is measurement's reverse relation, which
    django-stubs does not add to agenda's model (the relation is declared in a higher app)."""
    indicators: list[Indicator] = list(cast(Any, challenge).indicators.all())
    return indicators


def _most_people(views: list[IndicatorView]) -> list[IndicatorView]:
    """The figure about the most people, as the card's headline: the size of the challenge."""
    with_people = [v for v in views if v.people_sentence and v.latest and v.latest.figure.people is not None]
    return sorted(with_people, key=lambda v: -(v.latest.figure.people or 0) if v.latest else 0)[:1]


def challenge_figures(challenge: Challenge) -> list[IndicatorView]:
    """The live figures of the indicators that show a challenge."""
    indicators = list(published_indicators_query().filter(challenges=challenge))
    views = indicator_views(indicators)
    return [views[i.pk] for i in indicators]


def challenge_activities(challenge: Challenge) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(is_published=True, challenges=challenge)
        .select_related("lead_organisation")
        .order_by("title")
    )


def statistics_become_people(limit: int) -> list[IndicatorView]:
    """A few published figures that say how many people they are: the platform's front door."""
    indicators = published_indicators()
    views = indicator_views(indicators)
    return [views[i.pk] for i in indicators if views[i.pk].people_sentence][:limit]


def challenge_start_from_proposal(proposal_id: str) -> dict[str, str]:
    """A proposal for a new challenge, accepted: its words start the challenge, in their language."""
    if not proposal_id.isdigit():
        return {}
    proposal = Proposal.objects.filter(pk=proposal_id, kind=Proposal.Kind.CHALLENGE).first()
    if proposal is None:
        return {}
    return {f"title_{proposal.language}": proposal.title, f"story_{proposal.language}": proposal.body}
