"""Signals of the collaboration's health computed from the platform itself, each with its
definition and its trend per year. A fixed number of queries whatever the size of the network."""

from __future__ import annotations

import datetime
import importlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samen.agenda.models import Proposal
from samen.backbone.selectors import runway_now
from samen.measurement.compute import STALE_AFTER_DAYS
from samen.measurement.models import Indicator, Measurement
from samen.network import map_selectors, ties
from samen.network.growth_selectors import growth_view
from samen.network.models import Organisation, Sector

ANSWER_WITHIN_DAYS = 30


@dataclass
class Signal:
    key: str
    title: str
    definition: str
    value: str
    trend: list[tuple[str, str]] = field(default_factory=list)  # (period, value), oldest first
    details: list[str] = field(default_factory=list)
    warning: bool = False
    available: bool = True


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def sector_coverage() -> Signal:
    sectors = list(Sector.objects.annotate(n=Count("organisations")).order_by("order", "name"))
    covered = [s for s in sectors if s.n]
    missing = [s.name for s in sectors if not s.n]
    by_year: dict[int, set[int]] = defaultdict(set)
    for sector_id, day in Organisation.objects.values_list("sector_id", "joined_on").order_by():
        by_year[day.year].add(sector_id)
    trend, seen = [], set()
    for year in sorted(by_year):
        seen |= by_year[year]
        trend.append((str(year), f"{len(seen)}/{len(sectors)}"))
    return Signal(
        "sectors",
        _("Sector coverage"),
        _("Sectors with at least one partner organisation, out of all sectors the initiative counts."),
        f"{len(covered)}/{len(sectors)}",
        trend,
        [_("Missing: %(sectors)s") % {"sectors": ", ".join(missing)}] if missing else [],
        warning=bool(missing),
    )


def cross_sector_ties() -> Signal:
    measures = map_selectors.map_measures(version=ties.data_version())
    return Signal(
        "ties",
        _("Cross-sector ties"),
        _("Pairs of organisations from different sectors that work together in at least one activity."),
        str(measures.cross_sector_ties),
        [(str(year), str(total)) for year, _new, total in measures.by_year],
        [_("%(share)s of all ties cross sectors.") % {"share": _percent(measures.cross_sector_ties, measures.ties)}],
    )


def stewards_on_time(today: datetime.date) -> Signal:
    """An indicator is on time when its newest value is for a period that ended recently enough for
    its frequency (the same window after which the dashboard says "no recent data")."""
    rows = list(
        Indicator.objects.filter(is_published=True)
        .annotate(newest=Max("measurements__period_end", filter=Q(measurements__status=Measurement.Status.APPROVED)))
        .values_list("frequency", "newest")
    )
    on_time = sum(1 for freq, newest in rows if newest and (today - newest).days <= STALE_AFTER_DAYS[freq])
    delivered = defaultdict(set)
    for indicator_id, end in (
        Measurement.objects.filter(indicator__is_published=True, status=Measurement.Status.APPROVED)
        .values_list("indicator_id", "period_end")
        .distinct()
        .order_by()
    ):
        delivered[end.year].add(indicator_id)
    trend = [(str(y), _percent(len(delivered[y]), len(rows))) for y in sorted(delivered) if y >= today.year - 5]
    return Signal(
        "stewards",
        _("Stewards delivering on time"),
        _(
            "Published indicators whose newest value is recent enough for their reporting frequency; the trend is the share with an approved value for a period ending in each year."
        ),
        _percent(on_time, len(rows)),
        trend,
        warning=bool(rows) and on_time / len(rows) < 0.5,
    )


def proposals_answered(today: datetime.date) -> Signal:
    """Of the proposals at least 30 days old, the share answered within 30 days."""
    cutoff = today - datetime.timedelta(days=ANSWER_WITHIN_DAYS)
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for created, answered in Proposal.objects.filter(created_at__date__lte=cutoff).values_list(
        "created_at", "answered_at"
    ):
        row = per_year[created.year]
        row[1] += 1
        if answered is not None and (answered - created).days <= ANSWER_WITHIN_DAYS:
            row[0] += 1
    total = [sum(r[0] for r in per_year.values()), sum(r[1] for r in per_year.values())]
    return Signal(
        "proposals",
        _("Proposals answered within 30 days"),
        _("Of the ideas and proposals made at least 30 days ago, the share the backbone answered within 30 days."),
        _percent(*total),
        [(str(y), _percent(*per_year[y])) for y in sorted(per_year)],
        warning=bool(total[1]) and total[0] / total[1] < 0.8,
    )


def meeting_attendance() -> Signal:
    """Read from the communication app when it is installed and offers attendance by organisation."""
    title = _("Meeting attendance by organisation")
    definition = _("Share of the meetings of working groups that each organisation attended.")
    provider = None
    if apps.is_installed("samen.communication"):
        try:
            provider = getattr(
                importlib.import_module("samen.communication.selectors"), "attendance_by_organisation", None
            )
        except ImportError:
            provider = None
    if provider is None:
        return Signal("meetings", title, definition, _("not measured yet"), available=False)
    rows = list(provider())
    return Signal(
        "meetings",
        title,
        definition,
        str(len(rows)),
        details=[f"{name}: {share}" for name, share in rows[:20]],
    )


def network_growth(today: datetime.date) -> Signal:
    view = growth_view(today=today, public=False)
    target = max((m.members for m in view.milestones), default=None)
    outlook = view.outlook
    details = []
    if outlook.next_milestone:
        details.append(
            _("Next milestone: %(members)s members by %(date)s.")
            % {
                "members": outlook.next_milestone.members,
                "date": date_format(outlook.next_milestone.date, "DATE_FORMAT"),
            }
        )
        if outlook.reached_on:
            details.append(_("At the current pace reached in %(month)s.") % {"month": f"{outlook.reached_on:%Y-%m}"})
    years: dict[int, int] = {}
    for point in view.members:
        years[point.month.year] = point.total
    return Signal(
        "growth",
        _("Network growth against the X5000 ambition"),
        _("Active members now, against the largest milestone of the ambition."),
        f"{view.member_total}/{target}" if target else str(view.member_total),
        [(str(y), str(n)) for y, n in sorted(years.items())][-6:],
        details,
        warning=outlook.on_track is False,
    )


def runway_signal(today: datetime.date) -> Signal:
    runway = runway_now(today)
    value = (
        ngettext("%(months)s month", "%(months)s months", round(runway.months)) % {"months": f"{runway.months:.0f}"}
        if runway.months is not None
        else "–"
    )
    return Signal(
        "runway",
        _("Runway"),
        _(
            "Months of work left: (cash + committed grants still to come) ÷ average monthly spending of the last three months, against the success factor “resources for 3–5 years”."
        ),
        value,
        warning=runway.warning or not runway.meets_goal,
        details=[_("Warning: less than six months of work left.")] if runway.warning else [],
    )


def platform_signals(today: datetime.date) -> list[Signal]:
    return [
        sector_coverage(),
        cross_sector_ties(),
        stewards_on_time(today),
        proposals_answered(today),
        meeting_attendance(),
        network_growth(today),
        runway_signal(today),
    ]
