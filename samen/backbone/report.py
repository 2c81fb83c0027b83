"""The annual report card: its figures for a year (as plain, JSON-ready data), its page and its PDF.

The figures are read once into a dict of strings and numbers as they are shown; the page and the
PDF are both drawn from that dict, and a published report card stores the dict with them, so the
web page, the PDF and the open data say exactly the same."""

from __future__ import annotations

import datetime
import logging
import time
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samen.activities.events import selectors as events_selectors
from samen.activities.events.models import Campaign, Event, Registration
from samen.agenda.models import ActionDomain, Initiative
from samen.backbone.models import Grant, PublishedReport, Result
from samen.backbone.selectors import funding_by_domain_and_year, results_by_domain
from samen.core.disclosure import group_rule, protect
from samen.measurement import selectors as measurement_selectors
from samen.measurement.models import Indicator
from samen.measurement.selectors import Figure, IndicatorView, format_value
from samen.network.models import Member, Organisation, Sector
from samen.network.selectors import growth as growth_selectors

# WeasyPrint announces each rendering step at INFO; the demo and the server need only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def euro(amount: Decimal | float) -> str:
    return f"€ {number_format(round(amount), force_grouping=True)}"


def _figure_text(indicator: Indicator, figure: Figure | None) -> str:
    if figure is None or figure.cell is None or figure.cell.value is None:
        return "–"
    if figure.hidden:
        return f"< {indicator.disclosure_threshold}" if figure.small and not indicator.is_ratio else _("hidden")
    return format_value(indicator, figure.cell.value)


def _people(indicator: Indicator, figure: Figure | None) -> str:
    """The count of people behind a percentage: “15 of 240”."""
    if figure is None or not figure.shown or not indicator.is_ratio or figure.cell.denominator is None:
        return ""
    return _("%(numerator)s of %(denominator)s") % {
        "numerator": number_format(round(figure.cell.numerator), force_grouping=True),
        "denominator": number_format(round(figure.cell.denominator), force_grouping=True),
    }


def _indicator_row(view: IndicatorView, year: int) -> dict[str, Any]:
    indicator = view.indicator
    end_of_year = datetime.date(year, 12, 31)
    shown = [p for p in view.series if p.figure.shown and p.end <= end_of_year]
    latest = shown[-1] if shown else None
    previous = shown[-2] if len(shown) > 1 else None
    trend = ""
    if latest and previous:
        delta = latest.figure.cell.value - previous.figure.cell.value
        trend = "up" if delta > 0 else "down" if delta < 0 else "flat"
    better = None
    if trend in ("up", "down"):
        better = (trend == "up") == (indicator.direction == Indicator.Direction.UP)
    targets = [t for t in view.targets if t.date.year >= year] or view.targets
    target = targets[0] if targets else None
    gap = ""
    if latest is None:
        gap = _("no value yet")
    elif latest.end.year < year:
        gap = _("no value since %(year)s") % {"year": latest.end.year}
    disparity = None
    if latest is not None and view.latest is not None and view.latest.end == latest.end:
        # Neighbourhood figures of the same period, protected like every public figure.
        areas = [a for a in view.areas if a.kind == "neighbourhood" and a.figure.shown]
        low = min(areas, key=lambda a: a.figure.cell.value, default=None)
        high = max(areas, key=lambda a: a.figure.cell.value, default=None)
        if low and high and high.figure.cell.value > low.figure.cell.value:
            disparity = {
                "lowest": [low.name, format_value(indicator, low.figure.cell.value)],
                "highest": [high.name, format_value(indicator, high.figure.cell.value)],
            }
    return {
        "code": indicator.code,
        "name": indicator.name,
        "baseline": format_value(indicator, view.baseline.value) if view.baseline else "–",
        "baseline_year": view.baseline.date.year if view.baseline else None,
        "latest": _figure_text(indicator, latest.figure) if latest else "–",
        "latest_period": latest.label if latest else "",
        "people": _people(indicator, latest.figure if latest else None),
        "target": format_value(indicator, target.value) if target else "–",
        "target_year": target.date.year if target else None,
        "trend": trend,
        "better": better,
        "gap": gap,
        "disparity": disparity,
    }


def _network(year: int) -> dict[str, Any]:
    end = datetime.date(year, 12, 31)
    members = Member.objects.filter(user__is_active=True)
    per_year = {
        y: (joined, brought)
        for y, joined, brought in members.annotate(y=ExtractYear("joined_on"))
        .values_list("y")
        .annotate(n=Count("pk"), b=Count("pk", filter=Q(brought_by__isnull=False)))
        .values_list("y", "n", "b")
    }
    organisations = Organisation.objects.aggregate(
        total=Count("pk", filter=Q(joined_on__lte=end)), joined=Count("pk", filter=Q(joined_on__year=year))
    )
    sectors = [
        [name, n]
        for name, n in Sector.objects.annotate(
            n=Count("organisations", filter=Q(organisations__joined_on__lte=end))
        ).values_list("name", "n")
    ]
    # The longest chain of "brought in by": one query for the whole tree.
    parent = dict(members.filter(joined_on__lte=end).values_list("pk", "brought_by_id"))
    depth: dict[int, int] = {}

    def chain(pk: int) -> int:
        seen = []
        while pk is not None and pk not in depth and pk not in seen:
            seen.append(pk)
            pk = parent.get(pk)
        base = depth.get(pk, 0) if pk is not None else 0
        for n in reversed(seen):
            base += 1
            depth[n] = base
        return depth.get(seen[0], base) if seen else base

    longest = max((chain(pk) for pk in parent), default=0)
    # What earlier cards published is what the reader holds, whatever changed since (people leave).
    published = {
        y: {k: figures.get("network", {}).get(k) for k in ("members", "joined", "brought_in")}
        for y, figures in PublishedReport.objects.filter(year__lt=year)
        .order_by("year", "language")
        .values_list("year", "figures")
    }
    # And what the public growth page shows right now: a reader who saved it lays it beside this card.
    page = growth_selectors.members_shown_by_year(today=timezone.localdate())
    label = member_labels(per_year, year, published, page)
    return {
        "members": label[("total", year)],
        "joined": label[("joined", year)],
        "brought_in": label[("brought", year)],
        "longest_chain": longest,
        "organisations": organisations["total"],
        "organisations_joined": organisations["joined"],
        "sectors": sectors,
        "sectors_missing": [name for name, n in sectors if not n],
    }


def member_labels(
    per_year: dict[int, tuple[int, int]],
    year: int,
    published: dict[int, dict[str, Any]] | None = None,
    page: dict[int, dict[str, int]] | None = None,
) -> dict[tuple[str, int], Any]:
    """The member figures of a year's report card as the public may read them.

    Each year's card shows the members at the end of the year, who joined that year and how many
    of them were brought in by a member. A reader who lays two years' cards side by side can
    subtract: this year's total minus last year's is who joined, less who left since; those who
    joined minus those brought in are the rest. So every year up to this one takes part in the one
    rule for a public count (core.disclosure), year by year as each card was made: what an earlier
    card showed is known to the reader for good (`fixed`), and only this year's figures may be hidden
    to protect. An earlier card that was published counts with the numbers it published (`published`:
    year → its "members", "joined", "brought_in"), so people who left since are a cell of their own.
    What the public growth page shows now (`page`: year → "members", "joined" of today's members,
    network.selectors.growth.members_shown_by_year) is known too: a figure equal to the card's
    cell is that cell; one below an earlier card's printed figure is a cell of its own, and those
    who left since the difference."""
    published = published or {}
    page = page or {}
    known: set[tuple[str, int]] = set()  # shown on the growth page now
    now_total = 0
    threshold = settings.SAMEN_DISCLOSURE_THRESHOLD
    first = min((y for y in per_year if y <= year), default=year)
    counts: dict[tuple[str, int], int] = {}
    relations: list[tuple[tuple[str, int], list[tuple[str, int]]]] = []
    hidden: set[tuple[str, int]] = set()
    printed: dict[tuple[str, int], bool] = {}  # an earlier published card: shown there or not
    total = 0
    for y in range(first, year + 1):
        joined, brought = per_year.get(y, (0, 0))
        total += joined
        now_total += joined
        counts.update({("total", y): total, ("joined", y): joined, ("brought", y): brought})
        card = published.get(y, {})
        for name, key in (("total", "members"), ("joined", "joined"), ("brought", "brought_in")):
            if key in card:
                printed[(name, y)] = isinstance(card[key], int)
                if isinstance(card[key], int):
                    counts[(name, y)] = card[key]
        counts[("other", y)] = max(0, counts[("joined", y)] - counts[("brought", y)])  # not shown, but derived
        relations.append((("joined", y), [("brought", y), ("other", y)]))
        _page_cells(page.get(y, {}), y, {"total": now_total, "joined": joined}, counts, relations, known)
        if y == year and ("total now", y - 1) in counts:
            # The page counts today's members, as this card does: its last year end plus this year's
            # newcomers is exactly this year's total, nobody "left since" in between.
            relations.append((("total", y), [("total now", y - 1), ("joined", y)]))
        if y > first:
            # Last year's members plus who joined are this year's members plus who left since.
            before = counts[("total", y - 1)] + counts[("joined", y)]
            counts[("ever", y)] = before
            counts[("left", y)] = max(0, before - counts[("total", y)])
            relations += [(("ever", y), [("total", y - 1), ("joined", y)]), (("ever", y), [("total", y), ("left", y)])]
        else:
            relations.append((("total", y), [("joined", y)]))
        if y == year:
            hidden |= _later_cells(per_year, year, page, counts, relations, known)
        shown = {k for k in counts if k[1] < y and k not in hidden and printed.get(k, True)}
        hidden |= {k for k, was_shown in printed.items() if not was_shown}
        hidden -= known
        # The latest total shown before this year is a constant to the reader: it cuts the chain,
        # so only the years after it need solving again (fast, whatever the number of years).
        anchor = max((z for z in range(first, y) if ("total", z) in shown), default=first - 1)
        block = {k for k in counts if k[1] > anchor}
        block |= {k for k in (("total", anchor), ("total now", anchor)) if k in counts and anchor >= first}
        values = {k: float(counts[k]) for k in block}
        near = [(t, p) for t, p in relations if t[1] > anchor]
        # A year nobody joined (or left) shows 0: no person stands behind a zero (as on the growth page).
        start = {k for k in block if 0 < counts[k] < threshold} | (hidden & block)
        # Nobody leaving is what a reader assumes: a zero "left" counts as known, never as a cover.
        fixed = ((shown | known) & block) | {k for k in block if k[0] == "left" and counts[k] == 0}
        first_pass = group_rule(values, near, start, fixed)
        hidden |= protect([values], near, threshold=threshold, hidden=first_pass, fixed=fixed)
    small = {k for k, n in counts.items() if 0 < n < threshold}
    return {key: f"< {threshold}" if key in small else _("hidden") if key in hidden else n for key, n in counts.items()}


def _later_cells(
    per_year: dict[int, tuple[int, int]],
    year: int,
    page: dict[int, dict[str, int]],
    counts: dict[tuple[str, int], int],
    relations: list[tuple[tuple[str, int], list[tuple[str, int]]]],
    known: set[tuple[str, int]],
) -> set[tuple[str, int]]:
    """Adds the years after the card's that the growth page shows now: its later year ends are this
    card's total plus who joined since, so a small cohort since must not be pinned by this card's
    total. Returns the later cells the page does not show (hidden to the reader)."""
    unseen: set[tuple[str, int]] = set()
    total = counts[("total", year)]
    for y in range(year + 1, max(page, default=year) + 1):
        joined = per_year.get(y, (0, 0))[0]
        total += joined
        counts.update({("total", y): total, ("joined", y): joined})
        relations.append((("total", y), [("total", y - 1), ("joined", y)]))
        for name, key in (("total", "members"), ("joined", "joined")):
            (known if page.get(y, {}).get(key) == counts[(name, y)] else unseen).add((name, y))
    return unseen


def _page_cells(
    page: dict[str, int],
    y: int,
    now: dict[str, int],
    counts: dict[tuple[str, int], int],
    relations: list[tuple[tuple[str, int], list[tuple[str, int]]]],
    known: set[tuple[str, int]],
) -> None:
    """Adds year y's figures the growth page shows now (`page`) to the card's table, as known cells."""
    for name, key in (("total", "members"), ("joined", "joined")):
        if page.get(key) != now[name]:
            continue  # hidden on the page, or not the same people
        if counts[(name, y)] == now[name]:
            known.add((name, y))
        elif counts[(name, y)] > now[name]:
            # An earlier card printed more: the page's figure is a cell of its own, those who left
            # since are the difference.
            counts[(f"{name} now", y)] = now[name]
            counts[(f"{name} left", y)] = counts[(name, y)] - now[name]
            relations.append(((name, y), [(f"{name} now", y), (f"{name} left", y)]))
            known.add((f"{name} now", y))


def _campaigns(year: int) -> dict[str, Any]:
    events = Event.objects.filter(is_published=True, starts_at__year=year)
    per_campaign = {
        row["campaign"]: row
        for row in events.filter(campaign__isnull=False, campaign_status=Event.CampaignStatus.ACCEPTED)
        .values("campaign")
        .annotate(events=Count("pk"), walk_ins=Sum("walk_ins", default=0))
    }
    checked_in = Registration.objects.filter(
        event__in=events, status=Registration.Status.CONFIRMED, checked_in_at__isnull=False
    )
    accepted = Q(event__campaign__isnull=False, event__campaign_status=Event.CampaignStatus.ACCEPTED)
    registrations = dict(
        checked_in.filter(accepted)
        .values_list("event__campaign")
        .annotate(n=Count("pk"))
        .values_list("event__campaign", "n")
    )
    campaigns = list(Campaign.objects.filter(pk__in=list(per_campaign)).order_by("starts_on"))
    totals = events.aggregate(n=Count("pk"), walk_ins=Sum("walk_ins", default=0))
    total = checked_in.count() + totals["walk_ins"]
    if not totals["n"]:
        return {"events": 0, "attendance": 0, "campaigns": []}
    # One table with the activity, campaign and event pages (and earlier cards): the year's total
    # and each campaign's in the year are sums of the events those pages show.
    hidden, small = events_selectors.attendance_protection(years=[year])

    def label(key: Any, n: int) -> Any:
        return events_selectors.attendance_label(key, hidden, small) or n

    return {
        "events": totals["n"],
        "attendance": label(("year", year), total),
        "campaigns": [
            {
                "campaign": c.pk,  # so later cards and the events pages know which campaign it was
                "title": c.title,
                "events": per_campaign[c.pk]["events"],
                "attendance": label(
                    ("campaign", c.pk, year), registrations.get(c.pk, 0) + per_campaign[c.pk]["walk_ins"]
                ),
            }
            for c in campaigns
        ],
    }


def published_members() -> dict[int, dict[str, Any]]:
    """What the published report cards showed of the members ({year: {"members", "joined"}}, an int
    when shown): the growth page protects around it (network.selectors.growth.members_published_by)."""
    return {
        year: {k: (figures.get("network") or {}).get(k) for k in ("members", "joined")}
        for year, figures in PublishedReport.objects.order_by("year", "language").values_list("year", "figures")
    }


def _printed(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def published_attendance() -> dict[int, dict[tuple[Any, ...], int | None]]:
    """What the published report cards showed of attendance ({year: {cell: number or None}}): the events
    pages protect around it (activities.events.selectors.attendance_published_by)."""
    titles: dict[str, int] | None = None
    years: dict[int, dict[tuple[Any, ...], int | None]] = {}
    for year, figures in PublishedReport.objects.order_by("year", "language").values_list("year", "figures"):
        events = figures.get("events") or {}
        cells = years.setdefault(year, {})
        cells[("year", year)] = _printed(events.get("attendance"))
        for row in events.get("campaigns", []):
            pk = row.get("campaign")
            if pk is None:  # a card from before the campaign's id was stored: found by its title
                if titles is None:
                    titles = dict(Campaign.objects.values_list("title", "pk"))
                pk = titles.get(row.get("title"))
            if pk is not None:
                cells[("campaign", pk, year)] = _printed(row.get("attendance"))
    return years


def _results() -> dict[str, Any]:
    counts = Counter(Result.objects.filter(parent__isnull=True).values_list("status", flat=True))
    domains = []
    for domain, goals in results_by_domain():
        rows = [row for g in goals for row in g.rows if row.depth == 0]
        known = [r.progress for r in rows if r.progress is not None]
        domains.append(
            {
                "slug": domain.slug,
                "results": len(rows),
                "progress": f"{round(sum(known) / len(known))}%" if known else "–",
                "items": [
                    {
                        "goal": g.goal.title,
                        "title": r.result.title,
                        "owner": r.result.owner.name,
                        "status": str(r.result.get_status_display()),
                        "progress": f"{round(r.progress)}%" if r.progress is not None else "–",
                    }
                    for g in goals
                    for r in g.rows
                    if r.depth == 0
                ],
            }
        )
    return {
        "total": sum(counts.values()),
        "by_status": [[str(label), counts.get(value, 0)] for value, label in Result.Status.choices],
        "domains": domains,
    }


def _funding(year: int) -> dict[str, Any]:
    grants = list(Grant.objects.select_related("domain", "funder"))
    table = funding_by_domain_and_year(grants)
    this_year = next((y for y in table.years if y.year == year), None)
    funders = sorted(
        {g.funder.name for g in grants if g.start.year <= year <= g.end.year},
    )
    return {
        "total": euro(this_year.total if this_year else 0),
        "by_year": [[y.year, euro(y.total)] for y in table.years],
        "by_year_amounts": [[y.year, float(y.total)] for y in table.years],
        "funders": funders,
    }


def report_figures(year: int) -> dict[str, Any]:
    """Everything the report card of a year shows, in the active language, as plain data."""
    initiative = Initiative.objects.first()
    indicators = measurement_selectors.published_indicators()
    views = measurement_selectors.indicator_views(indicators)
    by_goal: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        for goal in indicator.goals.all():
            by_goal[goal.pk].append(indicator)
    results = _results()
    results_by_slug = {d["slug"]: d for d in results["domains"]}
    domains = []
    for domain in ActionDomain.objects.prefetch_related("goals").order_by("order", "slug"):
        goals = []
        for goal in domain.goals.all():
            goals.append(
                {
                    "title": goal.title,
                    "indicators": [_indicator_row(views[i.pk], year) for i in by_goal.get(goal.pk, [])],
                }
            )
        domain_results = results_by_slug.get(domain.slug, {})
        domains.append(
            {
                "slug": domain.slug,
                "name": domain.name,
                "goals": goals,
                "results": domain_results.get("items", []),
                "results_progress": domain_results.get("progress", "–"),
            }
        )
    return {
        "year": year,
        "language": translation.get_language(),
        "initiative": initiative.name if initiative else "Samen",
        "generated_on": timezone.localdate().isoformat(),
        "domains": domains,
        "network": _network(year),
        "events": _campaigns(year),
        "results": {k: v for k, v in results.items() if k != "domains"},
        "funding": _funding(year),
    }


def render_html(figures: dict[str, Any], *, published: bool, for_pdf: bool = False) -> str:
    from samen.backbone.charts import funding_per_year_chart

    chart = funding_per_year_chart(figures["funding"].get("by_year_amounts", []), year=figures["year"])
    return render_to_string(
        "backbone/report_card_body.html",
        {"r": figures, "published": published, "for_pdf": for_pdf, "funding_chart": chart},
    )


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"the report card fetches nothing: {url}")


def render_pdf(figures: dict[str, Any]) -> bytes:
    """The PDF, from the same figures: one page per action domain after a summary page."""
    from weasyprint import HTML

    document = render_to_string(
        "backbone/report_card_pdf.html", {"r": figures, "body": render_html(figures, published=True, for_pdf=True)}
    )
    # Everything is in the document (fonts from the system): nothing is fetched, not even a local file.
    return HTML(string=document, url_fetcher=_no_fetching).write_pdf()


def build(year: int) -> tuple[dict[str, Any], str, bytes, float]:
    """Figures, page body and PDF of a year, and how long they took to make (seconds)."""
    started = time.perf_counter()
    figures = report_figures(year)
    html = render_html(figures, published=True)
    pdf = render_pdf(figures)
    return figures, html, pdf, time.perf_counter() - started
