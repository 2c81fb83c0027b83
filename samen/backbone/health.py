"""Signals of the collaboration's health computed from the platform itself, each with its
definition and its trend per quarter over the last two years (as the signal stood at the end of each
quarter; the current quarter as it stands today). A fixed number of queries whatever the size of
the network."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samen.agenda.models import Proposal
from samen.backbone import compute
from samen.backbone.models import CashPosition, Expense, GrantPayment
from samen.backbone.selectors import runway_now
from samen.measurement.compute import STALE_AFTER_DAYS
from samen.measurement.models import Indicator, Measurement, visible
from samen.network import ties
from samen.network.models import Organisation, Sector
from samen.network.selectors import map as map_selectors
from samen.network.selectors.growth import growth_view

ANSWER_WITHIN_DAYS = 30


@dataclass
class Signal:
    key: str
    title: str
    definition: str
    value: str
    trend: list[tuple[str, str]] = field(default_factory=list)  # (period, value as shown), oldest first
    details: list[str] = field(default_factory=list)
    warning: bool = False
    available: bool = True
    series: list[tuple[str, float | None]] = field(default_factory=list)  # the trend as numbers, for the chart
    per: str = "quarter"  # the trend's period: "quarter", or "year" where the data has only years


def _quarters(today: datetime.date) -> list[tuple[compute.Quarter, datetime.date]]:
    """The last eight quarters, each with the day the signal is read at: its last day, or today."""
    return [(q, min(q.end, today)) for q in compute.quarters_until(today)]


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def sector_coverage(today: datetime.date | None = None) -> Signal:
    today = today or timezone.localdate()
    sectors = list(Sector.objects.annotate(n=Count("organisations")).order_by("order", "name"))
    covered = [s for s in sectors if s.n]
    missing = [s.name for s in sectors if not s.n]
    # The day each sector got its first partner: the coverage on any day follows from it.
    first = dict(
        Organisation.objects.values_list("sector_id").annotate(d=Min("joined_on")).values_list("sector_id", "d")
    )
    points = [(q.label, sum(1 for d in first.values() if d <= day)) for q, day in _quarters(today)]
    return Signal(
        "sectors",
        _("Sector coverage"),
        _("Sectors with at least one partner organisation, out of all sectors the initiative counts."),
        f"{len(covered)}/{len(sectors)}",
        [(label, f"{n}/{len(sectors)}") for label, n in points],
        [_("Missing: %(sectors)s") % {"sectors": ", ".join(missing)}] if missing else [],
        warning=bool(missing),
        series=[(label, float(n)) for label, n in points],
    )


def cross_sector_ties() -> Signal:
    measures = map_selectors.map_measures(version=ties.data_version())
    return Signal(
        "ties",
        _("Cross-sector ties"),
        _(
            "Pairs of organisations from different sectors that work together in at least one activity. The trend is per year: an activity has a year, not a date."
        ),
        str(measures.cross_sector_ties),
        [(str(year), str(total)) for year, _new, total in measures.by_year],
        [_("%(share)s of all ties cross sectors.") % {"share": _percent(measures.cross_sector_ties, measures.ties)}],
        series=[(str(year), float(total)) for year, _new, total in measures.by_year],
        per="year",
    )


def stewards_on_time(today: datetime.date) -> Signal:
    """An indicator is on time when its newest value is for a period that ended recently enough for
    its frequency (the same window after which the dashboard says "no recent data"). The trend asks
    the same at the end of each quarter, of the values for periods that had ended by then."""
    rows = list(
        Indicator.objects.filter(is_published=True)
        .annotate(
            newest=Max(
                "measurements__period_end",
                filter=Q(measurements__status=Measurement.Status.APPROVED) & visible("measurements__"),
            )
        )
        .values_list("pk", "frequency", "newest")
    )
    on_time = sum(1 for _pk, freq, newest in rows if newest and (today - newest).days <= STALE_AFTER_DAYS[freq])
    ends: dict[int, list[datetime.date]] = defaultdict(list)
    for indicator_id, end in (
        Measurement.objects.filter(indicator__is_published=True, status=Measurement.Status.APPROVED)
        .values_list("indicator_id", "period_end")
        .distinct()
        .order_by("indicator_id", "period_end")
    ):
        ends[indicator_id].append(end)

    def on_time_at(day: datetime.date) -> int:
        count = 0
        for pk, freq, _newest in rows:
            before = ends.get(pk, [])[: bisect_right(ends.get(pk, []), day)]
            count += bool(before) and (day - before[-1]).days <= STALE_AFTER_DAYS[freq]
        return count

    points = [(q.label, _share(on_time_at(day), len(rows))) for q, day in _quarters(today)]
    return Signal(
        "stewards",
        _("Stewards delivering on time"),
        _(
            "Published indicators whose newest approved value is recent enough for their reporting frequency; the trend asks the same at the end of each quarter."
        ),
        _percent(on_time, len(rows)),
        [(label, f"{round(v)}%" if v is not None else "–") for label, v in points],
        warning=bool(rows) and on_time / len(rows) < 0.5,
        series=points,
    )


def proposals_answered(today: datetime.date) -> Signal:
    """Of the proposals at least 30 days old, the share answered within 30 days; the trend by the
    quarter the proposals were made in."""
    cutoff = today - datetime.timedelta(days=ANSWER_WITHIN_DAYS)
    in_time = Q(
        answered_at__isnull=False, answered_at__lte=F("created_at") + datetime.timedelta(days=ANSWER_WITHIN_DAYS)
    )
    old_enough = Proposal.objects.filter(created_at__date__lte=cutoff)
    total = old_enough.aggregate(answered=Count("pk", filter=in_time), made=Count("pk"))
    quarters = _quarters(today)
    per_quarter = {
        timezone.localtime(q).date() if isinstance(q, datetime.datetime) else q: (answered, made)
        for q, answered, made in old_enough.filter(created_at__date__gte=quarters[0][0].start)
        .annotate(q=TruncQuarter("created_at"))
        .values_list("q")
        .annotate(answered=Count("pk", filter=in_time), made=Count("pk"))
        .values_list("q", "answered", "made")
    }
    points = [(q.label, _share(*per_quarter.get(q.start, (0, 0)))) for q, _day in quarters]
    return Signal(
        "proposals",
        _("Proposals answered within 30 days"),
        _(
            "Of the ideas and proposals made at least 30 days ago, the share the backbone answered within 30 days; the trend by the quarter they were made in."
        ),
        _percent(total["answered"], total["made"]),
        [(label, f"{round(v)}%" if v is not None else "–") for label, v in points],
        warning=bool(total["made"]) and total["answered"] / total["made"] < 0.8,
        series=points,
    )


def meeting_attendance(today: datetime.date | None = None) -> Signal:
    """Of the meetings a working group held, the share each of its organisations came to. Read
    through the app registry: communication sits beside the backbone, neither imports the other."""
    today = today or timezone.localdate()
    title = _("Meeting attendance by organisation")
    definition = _(
        "Of the meetings held by the working groups an organisation belongs to, from the first one it registered for, the share it came to; the trend is all organisations together, by the quarter of the meetings."
    )
    if not apps.is_installed("samen.communication"):
        return Signal("meetings", title, definition, _("not measured yet"), available=False)
    meeting = apps.get_model("communication", "Meeting")
    attendance = apps.get_model("communication", "MeetingAttendance")
    held = meeting.objects.filter(starts_at__date__lte=today)
    # The working groups' membership has no dates: an organisation counts from the first meeting of
    # the group it registered for (an organisation added later is not absent from earlier meetings).
    since: dict[tuple[int, int], datetime.datetime] = {}
    for group_id, org_id, starts in attendance.objects.filter(meeting__in=held).values_list(
        "meeting__group_id", "organisation_id", "meeting__starts_at"
    ):
        since[(group_id, org_id)] = min(starts, since.get((group_id, org_id), starts))
    members = list(
        held.filter(group__organisations__isnull=False).values_list(
            "pk", "group_id", "group__organisations", "starts_at"
        )
    )
    expected = [(m, o, starts) for m, g, o, starts in members if (g, o) in since and starts >= since[(g, o)]]
    never = {o for _m, g, o, _s in members if (g, o) not in since}
    came = set(
        attendance.objects.filter(attended=True, meeting__in=held)
        .values_list("meeting_id", "organisation_id")
        .distinct()
    )
    if not expected:
        return Signal("meetings", title, definition, _("no meetings yet"), available=False)
    per_org: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_quarter: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for meeting_id, org_id, starts in expected:
        hit = int((meeting_id, org_id) in came)
        per_org[org_id][0] += hit
        per_org[org_id][1] += 1
        day = timezone.localtime(starts).date()
        quarter = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        per_quarter[quarter][0] += hit
        per_quarter[quarter][1] += 1
    never -= set(per_org)
    names = dict(Organisation.objects.filter(pk__in=[*per_org, *never]).values_list("pk", "name"))
    rows = sorted(per_org.items(), key=lambda kv: (kv[1][0] / kv[1][1], names.get(kv[0], "")))
    points = [(q.label, _share(*per_quarter.get(q.start, [0, 0]))) for q, _day in _quarters(today)]
    everyone = [sum(v[0] for v in per_org.values()), sum(v[1] for v in per_org.values())]
    details = [
        _("%(organisation)s: %(share)s of %(meetings)s meetings")
        % {"organisation": names.get(pk, "?"), "share": _percent(*v), "meetings": v[1]}
        for pk, v in rows[:10]
    ]
    if never:
        details.append(
            _("Not registered for a meeting of their group yet: %(organisations)s")
            % {"organisations": ", ".join(sorted(names.get(o, "?") for o in never))}
        )
    return Signal(
        "meetings",
        title,
        definition,
        _percent(*everyone),
        [(label, f"{round(v)}%" if v is not None else "–") for label, v in points],
        details=details,
        warning=everyone[0] / everyone[1] < 0.5,
        series=points,
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
    months = [p.month for p in view.members]
    points = []
    for q, day in _quarters(today):
        at = bisect_right(months, day) - 1  # the month the quarter ends in (or today's)
        points.append((q.label, float(view.members[at].total) if at >= 0 else 0.0))
    return Signal(
        "growth",
        _("Network growth against the X5000 ambition"),
        _(
            "Active members now, against the largest milestone of the ambition; the trend is the members at the end of each quarter."
        ),
        f"{view.member_total}/{target}" if target else str(view.member_total),
        [(label, str(round(n or 0))) for label, n in points],
        details,
        warning=outlook.on_track is False,
        series=points,
    )


def runway_history(today: datetime.date) -> list[tuple[str, float | None]]:
    """The runway as it stood at the end of each quarter: the latest cash position of a day by then,
    the payments not yet in that cash, and the spending of the three whole months before. None for a
    quarter without a cash position yet. The grants are those registered now: Samen does not know
    when a grant was promised."""
    quarters = _quarters(today)
    positions = list(CashPosition.objects.filter(on__lte=today).order_by("on").values_list("on", "amount"))
    payments = list(GrantPayment.objects.filter(grant__currency="EUR").values_list("amount", "received_on"))
    since = compute.last_months(quarters[0][1] + datetime.timedelta(days=1))[0]
    spending = dict(
        Expense.objects.filter(month__gte=since)
        .annotate(m=TruncMonth("month"))
        .values_list("m")
        .annotate(s=Sum("amount"))
        .values_list("m", "s")
    )
    days = [on for on, _amount in positions]
    points: list[tuple[str, float | None]] = []
    for q, day in quarters:
        at = bisect_right(days, day) - 1
        if at < 0:
            points.append((q.label, None))
            continue
        counted_on, cash = positions[at]
        to_come = sum(
            (a for a, received in payments if received is None or received > counted_on),
            Decimal(0),
        )
        reading = day if day == today else day + datetime.timedelta(days=1)
        points.append((q.label, compute.runway(cash=cash, to_come=to_come, spending=spending, today=reading).months))
    return points


def runway_signal(today: datetime.date) -> Signal:
    runway = runway_now(today)
    value = (
        ngettext("%(months)s month", "%(months)s months", round(runway.months)) % {"months": f"{runway.months:.0f}"}
        if runway.months is not None
        else "–"
    )
    points = runway_history(today)
    return Signal(
        "runway",
        _("Runway"),
        _(
            "Months of work left: (cash + committed grants still to come) ÷ average monthly spending of the last three months, against the success factor “resources for 3–5 years”; the trend as it stood at the end of each quarter."
        ),
        value,
        [(label, f"{v:.0f}" if v is not None else "–") for label, v in points],
        warning=runway.warning or not runway.meets_goal,
        details=[_("Warning: less than six months of work left.")] if runway.warning else [],
        series=points,
    )


def platform_signals(today: datetime.date) -> list[Signal]:
    return [
        sector_coverage(today),
        cross_sector_ties(),
        stewards_on_time(today),
        proposals_answered(today),
        meeting_attendance(today),
        network_growth(today),
        runway_signal(today),
    ]
