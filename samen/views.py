"""The home page: it shows every part of the platform, so it lives above the apps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samen.agenda.selectors import domains_with_goals, initiative_get
from samen.network.selectors import network_figures, sectors_with_organisations


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "initiative": initiative_get(),
            "domains": domains_with_goals(),
            "sectors": sectors_with_organisations(),
            "figures": network_figures(),
        },
    )
