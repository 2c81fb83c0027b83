"""The demo's funding: three grants, two years of bookkeeping and the bank balance that gives about three years
of runway (the success factor's lower edge)."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

from django.db.models import F

from samen.agenda.models import ActionDomain
from samen.backbone.compute import last_months, quarters_until
from samen.backbone.importer import import_expenses
from samen.backbone.models import CashPosition, Expense, Funder, GrantPayment
from samen.backbone.services import grant_save
from samen.network.models import Organisation, User


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _in_year(today: datetime.date, years: int, month_day: str) -> datetime.date:
    """A day ("MM-DD") in the year `years` from today's."""
    return _date(f"{today.year + years}-{month_day}")


def _in_report_year(year: int, offset_month_day: str) -> datetime.date:
    """A day given as "+N-MM-DD": in the year N after the report card's year (so the grant it reports on
    moves with `report_year`)."""
    offset, month_day = offset_month_day[1:].split("-", 1)
    return _date(f"{year + int(offset)}-{month_day}")


def load(data: dict, today: datetime.date, actor: User | None) -> int:
    funders = {f["key"]: Funder.objects.create(name=f["name"], website=f["website"]) for f in data["funders"]}
    domains = {d.slug: d for d in ActionDomain.objects.all()}
    _kbs(data["kbs_grant"], data["report_year"], funders, domains, actor)
    _city(data["city_grant"], funders, today, actor)
    _fund(data["fund_grant"], funders, domains, today, actor)
    # Paid is what is due by today; what is due later is committed money still to come.
    GrantPayment.objects.filter(due_on__lte=today).update(received_on=F("due_on"))
    to_come = sum(GrantPayment.objects.filter(received_on__isnull=True).values_list("amount", flat=True), Decimal(0))
    spending = data["spending"]
    _expenses(spending, today)
    # Cash such that the runway is about three years.
    cash = max(Decimal(0), Decimal(spending["monthly"]) * spending["runway_months"] - to_come)
    CashPosition.objects.create(on=today, amount=cash)
    _past_cash(today, cash)
    return len(funders)


def _kbs(spec: dict, year: int, funders: dict, domains: dict, actor: User | None) -> None:
    """The Koning Boudewijnstichting's grant, shared out over the partners of its neighbourhood networks."""
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=spec["partners"])}
    share = Decimal(spec["share"])
    shares = {orgs[s]: share for s in spec["partners"] if s in orgs}
    amount = Decimal(spec["amount"])
    if shares:
        last = list(shares)[-1]
        shares[last] = amount - share * (len(shares) - 1)  # the last takes the cents that do not divide
    grant_save(
        actor=actor,
        funder=funders[spec["funder"]],
        title=spec["title"],
        amount=amount,
        start=_in_report_year(year, spec["start"]),
        end=_in_report_year(year, spec["end"]),
        restrictions=spec["restrictions"],
        domain=domains.get(spec["domain"]),
        shares=shares,
        payments=[(_in_report_year(year, p["on"]), Decimal(p["amount"])) for p in spec["payments"]],
        reports_due=[(_in_report_year(year, r["on"]), r["title"]) for r in spec["reports_due"]],
    )


def _city(spec: dict, funders: dict, today: datetime.date, actor: User | None) -> None:
    """The city funds the backbone's work for some years around today, paid each January."""
    first = today.year + spec["first_year"]
    years = range(first, first + spec["years"])
    per_year = Decimal(spec["per_year"])
    grant_save(
        actor=actor,
        funder=funders[spec["funder"]],
        title=spec["title"],
        amount=per_year * len(years),
        start=datetime.date(years[0], 1, 1),
        end=datetime.date(years[-1], 12, 31),
        payments=[(_date(f"{y}-{spec['paid_on']}"), per_year) for y in years],
        reports_due=[(_date(f"{y}-{spec['report_on']}"), spec["report_title"].format(year=y - 1)) for y in years[1:]],
    )


def _fund(spec: dict, funders: dict, domains: dict, today: datetime.date, actor: User | None) -> None:
    """A fund's grant for the Week van de Veerkracht, from last September to next August."""
    grant_save(
        actor=actor,
        funder=funders[spec["funder"]],
        title=spec["title"],
        amount=Decimal(spec["amount"]),
        start=_in_year(today, spec["start"]["year"], spec["start"]["on"]),
        end=_in_year(today, spec["end"]["year"], spec["end"]["on"]),
        domain=domains.get(spec["domain"]),
        payments=[(_in_year(today, p["year"], p["on"]), Decimal(p["amount"])) for p in spec["payments"]],
    )


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


def _expenses(spec: dict, today: datetime.date) -> None:
    """Two years of bookkeeping, imported as the backbone would: one CSV, all or nothing."""
    rng = random.Random(13)
    monthly = Decimal(spec["monthly"])
    first_rest, second_rest = spec["rest"]
    lines = ["month;amount;description"]
    for month in last_months(today, spec["months"]):
        wages = monthly * Decimal(spec["wages_share"])
        rest = monthly - wages
        lines.append(f"{month:%Y-%m};{wages:.2f};{spec['wages']}")
        part = Decimal(rng.randint(30, 70)) / 100
        lines.append(f"{month:%Y-%m};{rest * part:.2f};{first_rest}")
        lines.append(f"{month:%Y-%m};{rest - rest * part:.2f};{second_rest}")
    result = import_expenses(
        io.BytesIO("\n".join(lines).encode()), name="boekhouding-demo.csv", actor=None, commit=True
    )
    assert result.committed, result.problems
