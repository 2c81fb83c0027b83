"""The home page: it shows every part of the platform, so it lives above the apps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samen.agenda.selectors import domains_with_goals, initiative_get
from samen.challenge_views import challenge_cards
from samen.measurement.selectors import indicator_views, published_indicators
from samen.network.selectors import network_figures, sectors_with_organisations

PEOPLE_ON_HOME = 3
CHALLENGES_ON_HOME = 3


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "initiative": initiative_get(),
            "domains": domains_with_goals(),
            "sectors": sectors_with_organisations(),
            "figures": network_figures(),
            "people": _statistics_become_people(),
            "challenges": challenge_cards(limit=CHALLENGES_ON_HOME),
        },
    )


def _statistics_become_people() -> list:
    """A few published figures that say how many people they are: the platform's front door."""
    indicators = published_indicators()
    views = indicator_views(indicators)
    with_people = [views[i.pk] for i in indicators if views[i.pk].people_sentence]
    return with_people[:PEOPLE_ON_HOME]
