"""The reads behind the backbone's pages: a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from samen.agenda.models import ActionDomain, Goal
from samen.backbone import compute
from samen.backbone.models import (
    CashPosition,
    Expense,
    Funder,
    Grant,
    GrantPayment,
    GrantShare,
    Participation,
    ReportingDue,
    Result,
    ResultUpdate,
    Section,
    SurveyRound,
    Tally,
)
from samen.measurement import compute as measurement_compute
from samen.measurement import selectors as measurement_selectors
from samen.network.models import Membership
from samen.network.selectors import standing_memberships

# --- Funding -------------------------------------------------------------------------------------


def runway_now(today: datetime.date) -> compute.Runway:
    cash_row = CashPosition.objects.filter(on__lte=today).order_by("-on").first()
    cash = cash_row.amount if cash_row else Decimal(0)
    # Money still to come: not received yet, or received after the cash was counted (not in it yet).
    pending = Q(received_on__isnull=True) | Q(received_on__gt=cash_row.on) if cash_row else Q(received_on__isnull=True)
    # The runway is in euro: a grant in another currency is not added to it (the form says so).
    to_come = GrantPayment.objects.filter(pending, grant__currency="EUR").aggregate(s=Sum("amount"))["s"] or Decimal(0)
    months = compute.last_months(today)
    end = today.replace(day=1)
    spending = dict(
        Expense.objects.filter(month__gte=months[0], month__lt=end)
        .annotate(m=TruncMonth("month"))
        .values_list("m")
        .annotate(s=Sum("amount"))
        .values_list("m", "s")
    )
    return compute.runway(cash=cash, to_come=to_come, spending=spending, today=today)


@dataclass
class YearRow:
    year: int
    by_domain: dict[str, Decimal]
    total: Decimal
    cells: list[Decimal | None] = field(default_factory=list)  # in the order of the table's domains


@dataclass
class FundingTable:
    domains: list[tuple[str, str]]  # (key, label); "" is the whole initiative
    years: list[YearRow]

    @property
    def total(self) -> Decimal:
        return sum((y.total for y in self.years), Decimal(0))


def funding_by_domain_and_year(grants: list[Grant] | None = None) -> FundingTable:
    """Each grant's amount spread over the years of its period, per action domain."""
    if grants is None:
        grants = list(Grant.objects.select_related("domain"))
    grants = [g for g in grants if g.currency == "EUR"]  # totals in euro only: no sum across currencies
    cells: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    labels: dict[str, str] = {}
    for grant in grants:
        key = grant.domain.slug if grant.domain else ""
        labels[key] = grant.domain.name if grant.domain else _("The whole initiative")
        for year, amount in compute.spread_over_years(grant.amount, grant.start, grant.end).items():
            cells[year][key] += amount
    domains = sorted(labels.items(), key=lambda kv: (kv[0] == "", kv[1]))
    years = [
        YearRow(y, dict(cells[y]), sum(cells[y].values(), Decimal(0)), [cells[y].get(k) for k, _label in domains])
        for y in sorted(cells)
    ]
    return FundingTable(domains, years)


def grants_for_backbone_query() -> QuerySet[Grant]:
    return Grant.objects.select_related("funder", "domain").prefetch_related(
        Prefetch("shares", queryset=GrantShare.objects.select_related("organisation")),
        "payments",
        "reports_due",
    )


def grants_for_backbone() -> list[Grant]:
    """Every grant with its shares, payments and reporting dates; `shared` is what its partners get
    together, so the page can say what stays with the backbone."""
    grants = list(grants_for_backbone_query())
    for grant in grants:
        grant.shared = sum((s.amount for s in grant.shares.all()), Decimal(0))  # type: ignore[attr-defined]
        grant.unshared = grant.amount - grant.shared  # type: ignore[attr-defined]
    return grants


def funders_with_grants() -> list[Funder]:
    """Every funder with how many grants and how much in euro, in one query."""
    return list(
        Funder.objects.annotate(
            grant_count=Count("grants"), euro=Sum("grants__amount", filter=Q(grants__currency="EUR"))
        ).order_by("name")
    )


def public_funders() -> list[Funder]:
    return list(Funder.objects.filter(grants__isnull=False).distinct().order_by("name"))


def monthly_spending(*, months: int = 24, today: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    first = compute.last_months(today, months)[0]
    return list(
        Expense.objects.filter(month__gte=first)
        .annotate(m=TruncMonth("month"))
        .values_list("m")
        .annotate(s=Sum("amount"))
        .order_by("m")
        .values_list("m", "s")
    )


def reports_due(today: datetime.date) -> list[ReportingDue]:
    return list(
        ReportingDue.objects.filter(submitted_on__isnull=True).select_related("grant__funder").order_by("due_on")[:50]
    )


# --- Results -------------------------------------------------------------------------------------


@dataclass
class ResultRow:
    result: Result
    depth: int
    progress: float | None
    from_indicator: bool = False

    @property
    def latest_update(self) -> ResultUpdate | None:
        updates = list(self.result.updates.all())  # prefetched, in date order
        return updates[-1] if updates else None


@dataclass
class GoalResults:
    goal: Goal
    rows: list[ResultRow] = field(default_factory=list)


def results_by_domain(*, domain: ActionDomain | None = None) -> list[tuple[ActionDomain, list[GoalResults]]]:
    """Every goal's results as a tree, each with its progress (children's weighted average)."""
    goals = Goal.objects.select_related("domain").order_by("domain__order", "domain__slug", "order", "pk")
    query = Result.objects.select_related("owner").prefetch_related("updates").order_by("order", "pk")
    if domain is not None:
        goals = goals.filter(domain=domain)
        query = query.filter(goal__domain=domain)
    results = list(query)
    indicator_progress = _indicator_progress({r.indicator_id for r in results if r.indicator_id})
    children: dict[int | None, list[Result]] = defaultdict(list)
    for r in results:
        children[r.parent_id].append(r)

    def node(r: Result) -> compute.Node:
        own = indicator_progress.get(r.indicator_id) if r.indicator_id else r.progress
        return compute.Node(r.pk, r.weight, own, tuple(node(c) for c in children.get(r.pk, [])))

    by_goal: dict[int, list[ResultRow]] = defaultdict(list)

    def walk(r: Result, depth: int) -> None:
        by_goal[r.goal_id].append(
            ResultRow(
                r,
                depth,
                compute.weighted_progress(node(r)),
                bool(r.indicator_id in indicator_progress and not children.get(r.pk)),
            )
        )
        for c in children.get(r.pk, []):
            walk(c, depth + 1)

    for r in children.get(None, []):
        walk(r, 0)
    domains: dict[int, tuple[ActionDomain, list[GoalResults]]] = {}
    for goal in goals:
        domains.setdefault(goal.domain_id, (goal.domain, []))[1].append(GoalResults(goal, by_goal.get(goal.pk, [])))
    return list(domains.values())


def _indicator_progress(ids: set[int]) -> dict[int, float | None]:
    """Progress from the linked indicators that are published (a draft's values are nobody's to
    see yet), read with everything their views need in a fixed number of queries."""
    if not ids:
        return {}
    indicators = list(measurement_selectors.published_indicators_query().filter(pk__in=ids))
    views = measurement_selectors.indicator_views(indicators)
    return {pk: view.progress for pk, view in views.items()}


# --- Health check --------------------------------------------------------------------------------


@dataclass
class SectionScore:
    section: Section
    score: compute.Score | None
    before: compute.Score | None

    @property
    def change(self) -> float | None:
        return compute.change(self.score, self.before)


@dataclass
class RoundScores:
    survey: SurveyRound
    respondents: dict[str, int]
    shown: set[str]
    sections: list[SectionScore]
    previous: SurveyRound | None
    closed: bool

    @property
    def enough(self) -> bool:
        return "all" in self.shown


def round_respondents(survey: SurveyRound) -> dict[str, int]:
    counts = dict(
        Participation.objects.filter(round=survey).values_list("group").annotate(n=Sum(1)).values_list("group", "n")
    )
    counts = {g: int(counts.get(g, 0)) for g in Participation.Group.values}
    counts["all"] = sum(counts.values())
    return counts


def _section_scores(survey: SurveyRound, group: str | None) -> dict[int, compute.Score | None]:
    tallies = Tally.objects.filter(round=survey)
    if group:
        tallies = tallies.filter(group=group)
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for section, value, n in (
        tallies.values_list("item__section_id", "score")
        .annotate(n=Sum("count"))
        .values_list("item__section_id", "score", "n")
    ):
        counts[section][value] += n
    return {section: compute.score(c) for section, c in counts.items()}


def round_scores(survey: SurveyRound, *, now: datetime.datetime, group: str | None = None) -> RoundScores:
    """Scores per section, only for a closed round with at least five respondents in the group
    shown, compared with the previous closed round of the same instrument and audience."""
    respondents = round_respondents(survey)
    shown = compute.shown_groups(respondents)
    closed = survey.closes_at <= now
    key = group or "all"
    # The same organisation's rounds, or the whole network's (no organisation: IS NULL, as `=None` reads).
    same_organisation = (
        Q(organisation__isnull=True) if survey.organisation_id is None else Q(organisation_id=survey.organisation_id)
    )
    previous = (
        SurveyRound.objects.filter(
            same_organisation,
            instrument_id=survey.instrument_id,
            closes_at__lt=survey.opens_at,
        )
        .order_by("-closes_at")
        .first()
    )
    sections = list(Section.objects.filter(instrument_id=survey.instrument_id).order_by("order"))
    now_scores = _section_scores(survey, group) if closed and key in shown else {}
    before_scores: dict[int, compute.Score | None] = {}
    if previous is not None and key in compute.shown_groups(round_respondents(previous)):
        before_scores = _section_scores(previous, group)
    return RoundScores(
        survey,
        respondents,
        shown if closed else set(),
        [SectionScore(s, now_scores.get(s.pk), before_scores.get(s.pk)) for s in sections],
        previous,
        closed,
    )


def open_rounds_for(user: Any, now: datetime.datetime) -> list[SurveyRound]:
    rounds = SurveyRound.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("organisation")
    answered = (
        set(Participation.objects.filter(user=user).values_list("round_id", flat=True))
        if user.is_authenticated
        else set()
    )
    # The organisations this person may answer for, read once for every private round.
    own = set(
        standing_memberships().filter(member__user=user).values_list("organisation_id", flat=True)
        if user.is_authenticated
        else []
    )
    return [
        r
        for r in rounds
        if r.pk not in answered and user.is_authenticated and (r.organisation_id is None or r.organisation_id in own)
    ]


def status_label(status: str) -> str:
    return str(Result.Status(status).label)


def arrow(change: float | None) -> str:
    if change is None:
        return ""
    return "↑" if change > 0 else "↓" if change < 0 else "→"


def on_track_label(status: str) -> str:
    return {
        measurement_compute.ON_TRACK: _("on track"),
        measurement_compute.OFF_TRACK: _("off track"),
        measurement_compute.NO_RECENT_DATA: _("no recent data"),
        measurement_compute.NO_TARGET: _("no target set"),
    }[status]


# --- Health check --------------------------------------------------------------------------------


def survey_group(user: Any) -> str:
    """Partners answer as partners (a confirmed role at an organisation), everyone else as a member."""
    has_role = Membership.objects.filter(member__user=user, is_confirmed=True).exists()
    return Participation.Group.PARTNER if has_role else Participation.Group.MEMBER


def may_answer(user: Any, survey: SurveyRound) -> bool:
    """A signed-in person, for a round of one organisation only someone that organisation stands behind."""
    if not user.is_authenticated:
        return False
    if survey.organisation_id is None:
        return True
    # Only a role the organisation stands behind (confirmed, or its editor): anyone can claim a
    # role at any organisation on their profile.
    return standing_memberships().filter(member__user=user, organisation_id=survey.organisation_id).exists()
