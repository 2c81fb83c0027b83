"""The pages that compose every part: the home page, and the challenges with the figures, activities,
events and ideas that go with them (agenda, measurement and activities together)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samen.activities.events.selectors import upcoming_events_for_challenge
from samen.activities.models import Activity, Event
from samen.agenda import selectors as agenda
from samen.agenda import services as agenda_services
from samen.agenda.forms import ChallengeSiteForm
from samen.agenda.models import Challenge, Comment, Support
from samen.front import selectors
from samen.front.forms import IndicatorsForm
from samen.measurement.models import ImportPreview
from samen.measurement.services import challenge_indicators_set
from samen.network.models import Area, AreaPopulation, JoinInvitation, Organisation, PartnerProposal
from samen.network.page_cache import visitor_page
from samen.network.selectors import network_figures, sectors_with_organisations
from samen.network.table_versions import public_version, tables_of

PEOPLE_ON_HOME = 3
CHALLENGES_ON_HOME = 3
PROPOSALS_ON_PAGE = 5
STORIES_ON_PAGE = 6
EVENTS_ON_PAGE = 4


def _home_tables() -> list[str]:
    """What the home page shows: the agenda, the network and the figures, and the activities counted
    on the challenges' cards; not the supports, comments and invitations written beside them."""
    return tables_of(
        Activity,
        apps_=["agenda", "network", "measurement"],
        leave_out=[Support, Comment, JoinInvitation, PartnerProposal, ImportPreview],
    )


@visitor_page(_home_tables)
def home(request: HttpRequest) -> HttpResponse:
    # Lazy: read only when the public part is not in the cache (or for a signed-in person).
    return render(
        request,
        "front/home.html",
        {
            "public_version": public_version(request, _home_tables()),
            "initiative": SimpleLazyObject(agenda.initiative_get),
            "domains": SimpleLazyObject(lambda: list(agenda.domains_with_goals())),
            "sectors": SimpleLazyObject(lambda: list(sectors_with_organisations())),
            "figures": SimpleLazyObject(network_figures),
            "people": SimpleLazyObject(lambda: selectors.statistics_become_people(limit=PEOPLE_ON_HOME)),
            "challenges": SimpleLazyObject(lambda: selectors.challenge_cards(limit=CHALLENGES_ON_HOME)),
        },
    )


def challenge_list(request: HttpRequest) -> HttpResponse:
    return render(request, "front/challenges/challenge_list.html", {"cards": selectors.challenge_cards()})


def _challenge(request: HttpRequest, slug: str) -> Challenge:
    try:
        return agenda.challenge_for_page(slug, user=request.user)
    except Challenge.DoesNotExist:
        raise Http404 from None


def _challenge_tables(*, supports: bool = True) -> list[str]:
    """What a challenge's page shows: the agenda (ideas with their support and comments, stories), its
    figures, and the activities and events that work on it; without `supports`, what the page shows
    above its ideas (a support or a comment, written all the time, then rebuilds only the ideas)."""
    return tables_of(
        Activity,
        Event,
        Organisation,
        Area,
        AreaPopulation,
        apps_=["agenda", "measurement"],
        leave_out=[ImportPreview] if supports else [ImportPreview, Support, Comment],
    )


@visitor_page(_challenge_tables)
def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge(request, slug)

    def proposals() -> list:
        found = agenda.proposals_for_list(challenge=challenge, user=request.user)
        return list(found[: PROPOSALS_ON_PAGE + 1])  # one more says whether there are more, without a count

    shown = SimpleLazyObject(proposals)  # lazy: read only when the public part is not cached
    return render(
        request,
        "front/challenges/challenge_detail.html",
        {
            "public_version": public_version(request, _challenge_tables(supports=False), challenge.pk),
            "ideas_version": public_version(request, _challenge_tables(), challenge.pk),
            "challenge": challenge,
            "figures": SimpleLazyObject(lambda: selectors.challenge_figures(challenge)),
            "activities": SimpleLazyObject(lambda: list(selectors.challenge_activities(challenge))),
            "proposals": SimpleLazyObject(lambda: shown[:PROPOSALS_ON_PAGE]),
            "more_proposals": SimpleLazyObject(lambda: len(shown) > PROPOSALS_ON_PAGE),
            "supported": SimpleLazyObject(lambda: agenda.supported_ids(request.user, shown)),
            "stories": SimpleLazyObject(lambda: list(agenda.stories_published(challenge)[:STORIES_ON_PAGE])),
            "events": SimpleLazyObject(lambda: list(upcoming_events_for_challenge(challenge)[:EVENTS_ON_PAGE])),
            "can_curate": request.user.has_perm("agenda.curate_challenge"),
        },
    )


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
    return render(request, "front/challenges/challenge_indicators.html", {"challenge": challenge, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The backbone writes a challenge on the site (the admin has the same form, rules and service)."""
    if not request.user.has_perm("agenda.curate_challenge"):
        raise PermissionDenied
    challenge = _challenge(request, slug) if slug else Challenge()
    initial = selectors.challenge_start_from_proposal(request.GET.get("from", ""))
    form = ChallengeSiteForm(request.POST or None, request.FILES or None, instance=challenge, initial=initial)
    if request.method == "POST" and form.is_valid():
        challenge = agenda_services.challenge_save(form=form, actor=request.user)
        messages.success(request, _("The challenge is saved."))
        return redirect(challenge)
    return render(request, "front/challenges/challenge_form.html", {"challenge": challenge, "form": form})
