"""The public challenge pages: the agenda's challenges with the figures and activities that go with them.

They compose agenda (challenges, proposals, stories), measurement (live indicator figures) and
activities (who works on it), so they live above the apps, like the home page."""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samen.activities.events.selectors import upcoming_events_for_challenge
from samen.activities.models import Activity
from samen.agenda import selectors as agenda
from samen.agenda import services as agenda_services
from samen.agenda.forms import ChallengeSiteForm
from samen.agenda.models import Challenge, Proposal
from samen.measurement.models import Indicator
from samen.measurement.selectors import IndicatorView, indicator_views
from samen.measurement.services import challenge_indicators_set

PROPOSALS_ON_PAGE = 5
STORIES_ON_PAGE = 6
EVENTS_ON_PAGE = 4


def _published_indicators() -> QuerySet[Indicator]:
    # The same prefetches as measurement's published_indicators(): what its views read.
    return (
        Indicator.objects.filter(is_published=True)
        .select_related("steward")
        .prefetch_related("targets", "dimensions__values", "goals__domain")
        .order_by("code")
    )


def _activities() -> QuerySet[Activity]:
    return Activity.objects.filter(is_published=True).select_related("lead_organisation").order_by("title")


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
    active = (
        Activity.challenges.through.objects.filter(challenge=OuterRef("pk"), activity__is_published=True)
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    challenges = agenda.published_challenges().annotate(
        proposal_count=Coalesce(Subquery(ideas), 0), activity_count=Coalesce(Subquery(active), 0)
    )
    challenges = challenges.prefetch_related(Prefetch("indicators", queryset=_published_indicators()))
    chosen = list(challenges[:limit] if limit else challenges)
    indicators = list({i.pk: i for c in chosen for i in c.indicators.all()}.values())
    views = indicator_views(indicators)
    return [
        ChallengeCard(
            challenge=c,
            people=_most_people([views[i.pk] for i in c.indicators.all()]),
            proposal_count=c.proposal_count,
            activity_count=c.activity_count,
        )
        for c in chosen
    ]


def _most_people(views: list[IndicatorView]) -> list[IndicatorView]:
    """The figure about the most people, as the card's headline: the size of the challenge."""
    with_people = [v for v in views if v.people_sentence and v.latest and v.latest.figure.people is not None]
    return sorted(with_people, key=lambda v: -(v.latest.figure.people or 0))[:1]


def challenge_list(request: HttpRequest) -> HttpResponse:
    return render(request, "challenges/challenge_list.html", {"cards": challenge_cards()})


def _challenge(request: HttpRequest, slug: str) -> Challenge:
    try:
        return agenda.challenge_for_page(slug, user=request.user)
    except Challenge.DoesNotExist:
        raise Http404 from None


def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge(request, slug)
    indicators = list(_published_indicators().filter(challenges=challenge))
    views = indicator_views(indicators)
    activities = list(_activities().filter(challenges=challenge))
    proposals = agenda.proposals_for_list(challenge=challenge, user=request.user)
    shown = list(proposals[: PROPOSALS_ON_PAGE + 1])  # one more says whether there are more, without a count
    return render(
        request,
        "challenges/challenge_detail.html",
        {
            "challenge": challenge,
            "figures": [views[i.pk] for i in indicators],
            "activities": activities,
            "proposals": shown[:PROPOSALS_ON_PAGE],
            "more_proposals": len(shown) > PROPOSALS_ON_PAGE,
            "supported": agenda.supported_ids(request.user, shown),
            "stories": list(agenda.stories_published(challenge)[:STORIES_ON_PAGE]),
            "events": list(upcoming_events_for_challenge(challenge)[:EVENTS_ON_PAGE]),
            "can_curate": request.user.has_perm("agenda.curate_challenge"),
        },
    )


class IndicatorsForm(forms.Form):
    indicators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Indicators that show this challenge"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Their latest public figures, with the people behind them, appear on the challenge page."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def challenge_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.has_perm("agenda.curate_challenge"):
        raise PermissionDenied
    challenge = _challenge(request, slug)
    form = IndicatorsForm(request.POST or None, initial={"indicators": list(challenge.indicators.all())})
    if request.method == "POST" and form.is_valid():
        challenge_indicators_set(challenge=challenge, indicators=form.cleaned_data["indicators"], actor=request.user)
        messages.success(request, _("The indicators of this challenge are saved."))
        return redirect(challenge)
    return render(request, "challenges/challenge_indicators.html", {"challenge": challenge, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The backbone writes a challenge on the site (the admin has the same form and rules)."""
    if not request.user.has_perm("agenda.curate_challenge"):
        raise PermissionDenied
    challenge = _challenge(request, slug) if slug else Challenge()
    before = agenda_services.challenge_snapshot(challenge)
    form = ChallengeSiteForm(
        request.POST or None, request.FILES or None, instance=challenge, initial=_from_proposal(request)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            challenge = form.save()
            agenda_services.challenge_saved(challenge=challenge, actor=request.user, before=before)
        messages.success(request, _("The challenge is saved."))
        return redirect(challenge)
    return render(request, "challenges/challenge_form.html", {"challenge": challenge, "form": form})


def _from_proposal(request: HttpRequest) -> dict:
    """A proposal for a new challenge, accepted: its words start the challenge, in their language."""
    proposal = Proposal.objects.filter(
        pk=request.GET.get("from", "") if request.GET.get("from", "").isdigit() else None,
        kind=Proposal.Kind.CHALLENGE,
    ).first()
    if proposal is None:
        return {}
    return {f"title_{proposal.language}": proposal.title, f"story_{proposal.language}": proposal.body}


app_name = "challenges"
urlpatterns = [
    path("challenges/", challenge_list, name="list"),
    path("challenges/new/", challenge_edit, name="new"),
    path("challenges/<slug:slug>/", challenge_detail, name="challenge"),
    path("challenges/<slug:slug>/edit/", challenge_edit, name="edit"),
    path("challenges/<slug:slug>/indicators/", challenge_indicators, name="indicators"),
]
