"""The growth of the network against the ambition: a public summary and the backbone's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samen.network import charts, ties
from samen.network.page_cache import no_tables, visitor_page
from samen.network.selectors.growth import GrowthView, growth_view


def _context(view: GrowthView, *, full: bool) -> dict:
    """The page's figures and charts; the charts are cached with the figures they draw."""
    key = f"samen:network:growth-page:v2:{view.version}:{view.today}:{int(full)}:{translation.get_language()}"
    context = cache.get(key)
    if context is None:
        context = _build_context(view, full=full)
        cache.set(key, context, 3600)
    return context


def _build_context(view: GrowthView, *, full: bool) -> dict:
    sectors = [(s.name, s.organisations) for s in view.sectors]
    areas = [(a.name, a.members) for a in view.areas if not a.hidden]
    years = [(str(r.period.year), r.average) for r in view.by_year if r.average is not None]
    return {
        "view": view,
        "full": full,
        "growth_svg": charts.growth_chart(view),
        "sectors_svg": charts.bar_chart(sectors, title=_("Partner organisations")),
        "areas_svg": charts.bar_chart(areas, title=_("Members")),
        "reproduction_svg": charts.reproduction_chart(years),
        "monthly_percent": view.forecast.monthly_rate * 100 if view.forecast else None,
    }


# Keyed like its figures: the network's data version and the day.
@visitor_page(no_tables, others=[ties.VERSION_NAME], parts=lambda request: timezone.localdate())
def growth_public(request: HttpRequest) -> HttpResponse:
    view = growth_view(today=timezone.localdate(), public=True)
    return render(request, "network/growth.html", _context(view, full=False))


@login_required
def growth_dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("network.view_growth"):
        raise PermissionDenied
    view = growth_view(today=timezone.localdate(), public=False)
    return render(request, "network/growth.html", _context(view, full=True))
