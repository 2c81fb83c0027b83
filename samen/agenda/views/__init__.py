from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from samen.agenda import selectors


def agenda(request: HttpRequest) -> HttpResponse:
    return render(request, "agenda/agenda.html", {"domains": selectors.domains_with_goals()})


def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    domain = get_object_or_404(selectors.domains_with_goals(), slug=slug)
    organisations = domain.organisations.select_related("sector").order_by("name")
    return render(request, "agenda/domain_detail.html", {"domain": domain, "organisations": organisations})
