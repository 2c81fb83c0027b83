"""The backbone of the Hasselt demo: the KBS grant over six partners and two other funders (about three
years of runway), results under every goal, two health-check rounds a year apart, and the 2025
report card published. Everything goes through the same services (and expense import) as the pages."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from samen.agenda.models import ActionDomain, Goal
from samen.backbone import report
from samen.backbone.compute import last_months, quarters_until
from samen.backbone.importer import import_expenses
from samen.backbone.instrument import install as install_instrument
from samen.backbone.models import (
    CashPosition,
    Expense,
    Funder,
    GrantPayment,
    Instrument,
    Item,
    Result,
    Section,
    SurveyRound,
)
from samen.backbone.services import grant_save, report_publish, result_update, survey_answer
from samen.measurement.models import Indicator
from samen.network.models import Organisation, User

KBS_PARTNERS = [
    "wijkzorg-runkst",
    "zorgnetwerk-herkvallei",
    "buurtwerk-sint-hubertus",
    "ontmoetingshuis-terhilst",
    "dienstencentrum-kiewitheide",
    "seniorenvereniging-zilvergrijs",
]
MONTHLY_SPENDING = Decimal(12000)
RUNWAY_MONTHS = 36
REPORT_YEAR = 2025

# Per action domain: (what partners promise, [sub-results]) — owners are partners working in the domain.
PROMISES = [
    ("Een aanspreekpunt in elke wijk", ["Runkst en Kiewit", "Kermt en Sint-Lambrechts-Herk"]),
    ("Jaarlijkse campagne met partners", []),
]


def load(*, today: datetime.date) -> str:
    if Funder.objects.filter(name="Koning Boudewijnstichting").exists():
        return "backbone: already loaded"
    coordinator = User.objects.filter(groups__name="backbone-coordinators").order_by("pk").first()
    grants = _funding(today, coordinator)
    results = _results(today, coordinator)
    answers = _rounds(today)
    published = _publish(today, coordinator)
    return f"backbone: {grants} grants, {results} results, {answers} health-check answers, {published}"


def _funding(today: datetime.date, actor) -> int:
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[*KBS_PARTNERS, "stad-hasselt"])}
    kbs = Funder.objects.create(name="Koning Boudewijnstichting", website="https://kbs-frb.be")
    city = Funder.objects.create(name="Stad Hasselt", website="https://www.hasselt.be")
    fund = Funder.objects.create(name="Fonds Zorgzame Buurten (fictief)")
    share = Decimal("3333.33")
    shares = {orgs[s]: share for s in KBS_PARTNERS if s in orgs}
    if shares:
        last = list(shares)[-1]
        shares[last] = Decimal(20000) - share * (len(shares) - 1)
    domains = {d.slug: d for d in ActionDomain.objects.all()}
    start = datetime.date(REPORT_YEAR, 1, 1)
    grant_save(
        actor=actor,
        funder=kbs,
        title="Buurtnetwerken tegen eenzaamheid",
        amount=Decimal(20000),
        start=start,
        end=datetime.date(REPORT_YEAR + 1, 6, 30),
        restrictions="Enkel voor de werking van buurtnetwerken: vrijwilligers, ontmoeting, vorming.",
        domain=domains.get("zorgzame-buurten"),
        shares=shares,
        payments=[(start, Decimal(16000)), (datetime.date(REPORT_YEAR + 1, 9, 30), Decimal(4000))],
        reports_due=[
            (datetime.date(REPORT_YEAR, 12, 15), "Tussentijds verslag"),
            (datetime.date(REPORT_YEAR + 1, 9, 15), "Eindverslag en financieel verslag"),
        ],
    )
    # The city funds the backbone's work for four years, paid each January.
    years = range(today.year - 1, today.year + 3)
    grant_save(
        actor=actor,
        funder=city,
        title="Werking van de trekker",
        amount=Decimal(100000) * len(years),
        start=datetime.date(years[0], 1, 1),
        end=datetime.date(years[-1], 12, 31),
        payments=[(datetime.date(y, 1, 15), Decimal(100000)) for y in years],
        reports_due=[(datetime.date(y, 3, 31), f"Jaarverslag {y - 1}") for y in years[1:]],
    )
    grant_save(
        actor=actor,
        funder=fund,
        title="Week van de Veerkracht",
        amount=Decimal(24000),
        start=datetime.date(today.year - 1, 9, 1),
        end=datetime.date(today.year + 1, 8, 31),
        domain=domains.get("gezondheidsvaardige-stad"),
        payments=[
            (datetime.date(today.year - 1, 9, 1), Decimal(12000)),
            (datetime.date(today.year, 9, 1), Decimal(12000)),
        ],
    )
    # Paid is what is due by today; what is due later is committed money still to come.
    GrantPayment.objects.filter(due_on__lte=today).update(received_on=F("due_on"))
    to_come = sum(GrantPayment.objects.filter(received_on__isnull=True).values_list("amount", flat=True), Decimal(0))
    _expenses(today)
    # Cash such that the runway is about three years: the success factor's lower edge.
    cash = max(Decimal(0), MONTHLY_SPENDING * RUNWAY_MONTHS - to_come)
    CashPosition.objects.create(on=today, amount=cash)
    _past_cash(today, cash)
    return 3


def _past_cash(today: datetime.date, cash: Decimal) -> None:
    """The bank balance at the end of each earlier quarter, as the books give it back from today's:
    add what was spent since, take off what was received since. The runway's trend reads them."""
    spent = list(Expense.objects.values_list("month", "amount"))
    received = list(GrantPayment.objects.filter(received_on__isnull=False).values_list("received_on", "amount"))
    for quarter in quarters_until(today)[:-1]:
        day = quarter.end
        back = sum((a for month, a in spent if month > day), Decimal(0))
        back -= sum((a for on, a in received if day < on <= today), Decimal(0))
        if cash + back >= 0:
            CashPosition.objects.create(on=day, amount=cash + back)


def _expenses(today: datetime.date) -> None:
    """Two years of bookkeeping, imported as the backbone would: one CSV, all or nothing."""
    rng = random.Random(13)
    lines = ["month;amount;description"]
    for month in last_months(today, 24):
        wages = MONTHLY_SPENDING * Decimal("0.75")
        rest = MONTHLY_SPENDING - wages
        lines.append(f"{month:%Y-%m};{wages:.2f};Loon coördinator en communicatie")
        part = Decimal(rng.randint(30, 70)) / 100
        lines.append(f"{month:%Y-%m};{rest * part:.2f};Zaalhuur en ontmoetingen")
        lines.append(f"{month:%Y-%m};{rest - rest * part:.2f};Drukwerk en vorming vrijwilligers")
    result = import_expenses(
        io.BytesIO("\n".join(lines).encode()), name="boekhouding-demo.csv", actor=None, commit=True
    )
    assert result.committed, result.problems


def _results(today: datetime.date, actor) -> int:
    rng = random.Random(7)
    made = 0
    goals = list(Goal.objects.select_related("domain").order_by("domain__order", "order"))
    indicators = {}
    for indicator in Indicator.objects.filter(is_published=True).prefetch_related("goals"):
        for goal in indicator.goals.all():
            indicators.setdefault(goal.pk, indicator)
    for goal in goals:
        owners = list(Organisation.objects.filter(action_domains=goal.domain).order_by("slug")[:6])
        if not owners:
            continue
        for order, (title, parts) in enumerate(PROMISES):
            owner = owners[(goal.pk + order) % len(owners)]
            parent = Result.objects.create(
                goal=goal, owner=owner, title=f"{title}: {goal.title}"[:200], weight=2 - order, order=order
            )
            made += 1
            if parts:
                for i, part in enumerate(parts):
                    child = Result.objects.create(
                        goal=goal,
                        parent=parent,
                        owner=owners[(goal.pk + i + 1) % len(owners)],
                        title=part,
                        weight=1 + i,
                    )
                    made += 1
                    _timeline(child, today, actor, rng)
            else:
                _timeline(parent, today, actor, rng)
        indicator = indicators.get(goal.pk)
        if indicator is not None:
            Result.objects.create(
                goal=goal,
                owner=indicator.steward,
                title=f"{indicator.name} naar de streefwaarde"[:200],
                indicator=indicator,
                order=len(PROMISES),
            )
            made += 1
    return made


def _timeline(result: Result, today: datetime.date, actor, rng: random.Random) -> None:
    progress = 0
    day = today - datetime.timedelta(days=300)
    for status in ("on_track", rng.choice(["on_track", "at_risk", "delayed"]), rng.choice(["on_track", "done"])):
        progress = min(100, progress + rng.randint(15, 40)) if status != "done" else 100
        result_update(actor=actor, result=result, status=status, progress=progress, on=day, note="")
        day += datetime.timedelta(days=rng.randint(60, 120))


def _rounds(today: datetime.date) -> int:
    # The migration installs it; a test database flushed after a transactional test has lost it.
    instrument = install_instrument(Instrument, Section, Item)
    items = list(Item.objects.filter(section__instrument=instrument).values_list("pk", "section__slug"))
    people = list(User.objects.filter(member__isnull=False, is_active=True).order_by("pk")[:60])
    now = timezone.now()
    answered = 0
    for year_back, lift, title in ((1, 0.0, "Gezondheidscheck vorig jaar"), (0, 0.4, "Gezondheidscheck dit jaar")):
        closes = now - datetime.timedelta(days=10 + 365 * year_back)
        survey = SurveyRound.objects.create(
            instrument=instrument,
            title=title,
            opens_at=closes - datetime.timedelta(days=30),
            closes_at=closes,
        )
        rng = random.Random(year_back)
        for person in people[: 24 + 6 * (1 - year_back)]:
            scores = {}
            for pk, section in items:
                base = 3.6 if section in ("trust", "common-agenda", "urgency") else 2.9
                if section == "resources":
                    base = 2.4 + lift
                scores[pk] = max(1, min(5, round(rng.gauss(base + lift, 0.8))))
            survey_answer(user=person, survey=survey, scores=scores, now=closes - datetime.timedelta(days=5))
            answered += 1
    return answered


def _publish(today: datetime.date, actor) -> str:
    if actor is None or today.year <= REPORT_YEAR:
        return "no report card published"
    seconds = 0.0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            figures, html, pdf, took = report.build(REPORT_YEAR)
            report_publish(
                actor=actor, year=REPORT_YEAR, language=language, html=html, pdf=pdf, figures=figures, seconds=took
            )
            seconds += took
    return f"report card {REPORT_YEAR} published ({seconds:.1f} s)"
