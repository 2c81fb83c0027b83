"""Charts of the network's growth, drawn to SVG on the server (samen.core.charts); each page
shows the same numbers in a table next to the chart."""

from __future__ import annotations

import altair as alt
from django.utils.translation import gettext as _

from samen.core.charts import ACCENT, FORECAST, MUTED, TARGET, configured, drawn_twice
from samen.network.selectors.growth import GrowthView


def growth_chart(view: GrowthView) -> str:
    """Members and partner organisations per month, the forecast and the milestones, on a log scale."""
    if not view.members:
        return ""
    members, orgs, forecast, milestones = _("Members"), _("Partner organisations"), _("Forecast"), _("Milestones")
    rows = [{"month": p.month.isoformat(), "n": p.total, "series": members} for p in view.members if p.total > 0]
    rows += [{"month": p.month.isoformat(), "n": p.total, "series": orgs} for p in view.organisations if p.total > 0]
    if view.forecast:
        rows += [{"month": p.month.isoformat(), "n": p.total, "series": forecast} for p in view.forecast.points]
    y = alt.Y("n:Q", title=_("Number (logarithmic scale)"), scale=alt.Scale(type="log"))
    x = alt.X("month:T", title=None)
    colours = alt.Scale(domain=[members, orgs, forecast], range=[ACCENT, MUTED, FORECAST])
    lines = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color("series:N", scale=colours, title=None, legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[members, orgs, forecast], range=[[1, 0], [1, 0], [6, 4]]),
                legend=None,
            ),
        )
    )
    marks = [
        {"month": m.date.isoformat(), "n": m.members, "label": m.label, "series": milestones} for m in view.milestones
    ]
    points = (
        alt.Chart(alt.Data(values=marks))
        .mark_point(shape="cross", size=160, color=TARGET, filled=True)
        .encode(x=x, y=y)
    )
    labels = (
        alt.Chart(alt.Data(values=marks))
        .mark_text(align="left", dx=8, dy=-8, color=TARGET, fontSize=11)
        .encode(x=x, y=y, text="label:N")
    )
    return drawn_twice(lambda width: configured(alt.layer(lines, points, labels).properties(width=width, height=300)))


def bar_chart(rows: list[tuple[str, float]], *, title: str) -> str:
    """Horizontal bars of (label, value); used for sectors and neighbourhoods."""
    values = [{"part": label, "value": value} for label, value in rows]
    if not values:
        return ""
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=ACCENT)
        .encode(x=alt.X("value:Q", title=title), y=alt.Y("part:N", title=None, sort=None))
    )
    return drawn_twice(lambda width: configured(chart.properties(width=min(width, 420), height=24 * len(values))))


def reproduction_chart(rows: list[tuple[str, float]]) -> str:
    """People brought per member, by the year the bringers joined."""
    values = [{"period": label, "value": round(value, 2)} for label, value in rows]
    if not values:
        return ""
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=MUTED)
        .encode(x=alt.X("period:O", title=None), y=alt.Y("value:Q", title=_("People brought per member")))
    )
    return drawn_twice(lambda width: configured(chart.properties(width=min(width, 420), height=200)))
