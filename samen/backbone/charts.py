"""The backbone's charts, drawn to SVG by samen.core.charts; every one stands next to its table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import altair as alt
from django.utils.translation import gettext as _

from samen.backbone.selectors import FundingTable, RoundScores
from samen.core.charts import ACCENT, MUTED, configured, svg


def funding_chart(table: FundingTable, *, totals_only: bool = False) -> str:
    values = [
        {"year": str(row.year), "domain": label, "amount": float(row.by_domain.get(key, 0))}
        for row in table.years
        for key, label in table.domains
        if row.by_domain.get(key)
    ]
    if totals_only:
        values = [{"year": str(row.year), "domain": _("Total"), "amount": float(row.total)} for row in table.years]
    if not values:
        return ""
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("year:N", title=None),
            y=alt.Y("amount:Q", title=_("Funding (€)"), stack="zero"),
            color=alt.Color("domain:N", title=_("Action domain"), scale=alt.Scale(scheme="tableau10")),
        )
        .properties(width=520, height=240)
    )
    return svg(configured(chart))


def spending_chart(rows: list[tuple[datetime.date, Decimal]]) -> str:
    if not rows:
        return ""
    values = [{"month": f"{m:%Y-%m}", "amount": float(a)} for m, a in rows]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=ACCENT)
        .encode(x=alt.X("month:O", title=None), y=alt.Y("amount:Q", title=_("Spent (€)")))
        .properties(width=560, height=200)
    )
    return svg(configured(chart))


def scores_chart(scores: RoundScores) -> str:
    values = []
    for row in scores.sections:
        if row.score:
            values.append({"section": row.section.title, "round": scores.survey.title, "mean": row.score.mean})
        if row.before and scores.previous:
            values.append({"section": row.section.title, "round": scores.previous.title, "mean": row.before.mean})
    if not values:
        return ""
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("section:N", title=None, sort=None),
            yOffset=alt.YOffset("round:N"),
            x=alt.X("mean:Q", title=_("Average score (1–5)"), scale=alt.Scale(domain=[1, 5])),
            color=alt.Color("round:N", title=_("Round"), scale=alt.Scale(range=[ACCENT, MUTED])),
        )
        .properties(width=420, height=alt.Step(14))
    )
    return svg(configured(chart))


def funding_per_year_chart(amounts: list[list], *, year: int) -> str:
    """The report card's small bar chart of funding per year, the report's year in the accent colour."""
    if not amounts:
        return ""
    values = [{"year": str(y), "amount": a, "this": y == year} for y, a in amounts]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("amount:Q", title=_("Funding (€)")),
            color=alt.Color("this:N", legend=None, scale=alt.Scale(domain=[True, False], range=[ACCENT, MUTED])),
        )
        .properties(width=300, height=90)
    )
    return svg(configured(chart))


def trend_chart(series: list[tuple[str, float | None]], *, unit: str = "") -> str:
    """A signal's trend: a small line with its points, periods oldest first (the table beside it
    holds the same numbers). A period without a value is a gap in the line."""
    values = [{"period": label, "value": v} for label, v in series if v is not None]
    if len(values) < 2:
        return ""
    order = [label for label, _v in series]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(color=ACCENT, point=alt.OverlayMarkDef(color=ACCENT, size=30))
        .encode(
            x=alt.X("period:O", title=None, sort=order, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("value:Q", title=unit or None, scale=alt.Scale(zero=True)),
        )
        .properties(width=260, height=120)
    )
    return svg(configured(chart))
