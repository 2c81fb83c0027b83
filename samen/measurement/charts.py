"""Charts of the indicators as Vega-Lite (built with Altair), drawn to SVG by samen.core.charts.

No JavaScript, nothing from a CDN, and CSP-safe: the SVG has no inline styles or scripts.
Every chart stands next to a table of the same data. Drawings are cached by their spec."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from samen.core.charts import ACCENT, FORECAST, MUTED, TARGET, drawn_twice, svg
from samen.core.charts import configured as _config
from samen.measurement.selectors import IndicatorView


def cached_svg(view: IndicatorView, kind: str, build: Callable[[int], alt.TopLevelMixin | None]) -> str:
    """A chart of a view (drawn for a wide and a narrow box), cached with the view's own key: on a
    hit not even its spec is built."""
    key = f"samen:chart:{kind}:{view.cache_key}:{translation.get_language()}"
    drawing = cache.get(key) if view.cache_key else None
    if drawing is None:
        drawing = drawn_twice(build)
        if view.cache_key:
            cache.set(key, drawing, 3600)
    return drawing


def series_chart(view: IndicatorView) -> str:
    """The whole series with baseline, targets, the forecast and where the definition changed."""
    return cached_svg(view, "series", lambda width: _series(view, width=width))


def _series(view: IndicatorView, *, width: int, height: int = 260) -> alt.TopLevelMixin:
    values = [
        {"date": p.middle.isoformat(), "value": p.figure.cell.value, "label": p.label}
        for p in view.series
        if p.figure.shown
    ]
    y = alt.Y("value:Q", title=view.indicator.get_unit_display(), scale=alt.Scale(zero=False))
    x = alt.X("date:T", title=None)
    layers = [
        alt.Chart(alt.Data(values=values))
        .mark_line(color=ACCENT, strokeWidth=3, point=alt.OverlayMarkDef(color=ACCENT, size=50))
        .encode(x=x, y=y)
    ]
    if view.baseline:
        base = [{"date": view.baseline.date.isoformat(), "value": view.baseline.value}]
        layers.append(
            alt.Chart(alt.Data(values=base))
            .mark_point(shape="diamond", size=120, color=MUTED, filled=True)
            .encode(x=x, y=y)
        )
    if view.targets:
        goals = [{"date": t.date.isoformat(), "value": t.value} for t in view.targets]
        layers.append(
            alt.Chart(alt.Data(values=goals))
            .mark_point(shape="cross", size=160, color=TARGET, filled=True)
            .encode(x=x, y=y)
        )
    if view.forecast:
        line = [{"date": p.date.isoformat(), "value": p.value} for p in view.forecast.points]
        layers.append(
            alt.Chart(alt.Data(values=line))
            .mark_line(color=FORECAST, strokeDash=[6, 4], strokeWidth=2)
            .encode(x=x, y=y)
        )
    breaks = [{"date": v.valid_from.isoformat()} for v in view.versions[1:]]
    if breaks:
        layers.append(alt.Chart(alt.Data(values=breaks)).mark_rule(color=MUTED, strokeDash=[2, 2]).encode(x=x))
    return _config(alt.layer(*layers).properties(width=width, height=height))


def sparkline(view: IndicatorView) -> str:
    """The series as a small line; one size, since it is small enough for any screen."""
    key = f"samen:chart:sparkline:{view.cache_key}:{translation.get_language()}"
    drawing = cache.get(key) if view.cache_key else None
    if drawing is None:
        chart = _sparkline(view)
        drawing = svg(chart) if chart is not None else ""
        if view.cache_key:
            cache.set(key, drawing, 3600)
    return drawing


def _sparkline(view: IndicatorView) -> alt.TopLevelMixin | None:
    values = [{"date": p.middle.isoformat(), "value": p.figure.cell.value} for p in view.series if p.figure.shown]
    if len(values) < 2:
        return None
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(color=ACCENT, strokeWidth=2.5, point=alt.OverlayMarkDef(color=ACCENT, size=18))
        .encode(x=alt.X("date:T", axis=None), y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)))
        .properties(width=220, height=56)
    )
    return chart.configure_view(stroke=None).configure(background="white")


def clockwise(geometry: dict) -> dict:
    """d3 (and so Vega) wants exterior rings clockwise, the reverse of GeoJSON's rule; else a small
    polygon is drawn as the whole world minus that polygon."""

    def signed_area(ring: list) -> float:
        return sum(x1 * y2 - x2 * y1 for (x1, y1, *_a), (x2, y2, *_b) in zip(ring, ring[1:], strict=False))

    def fix(polygon: list) -> list:
        return [list(reversed(r)) if (signed_area(r) > 0) == (i == 0) else r for i, r in enumerate(polygon)]

    if geometry.get("type") == "Polygon":
        return {"type": "Polygon", "coordinates": fix(geometry["coordinates"])}
    if geometry.get("type") == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [fix(p) for p in geometry["coordinates"]]}
    return geometry


def area_map(view: IndicatorView, *, kind: str = "neighbourhood") -> str:
    """The areas of one kind shaded by value, from their own geometry: no map tiles, works offline."""
    return cached_svg(view, f"map-{kind}", lambda width: _area_map(view, kind, width=width))


def map_areas(view: IndicatorView, kind: str) -> list:
    """The areas a map of this kind draws, in the order of their numbers on the map and its key."""
    return [a for a in view.areas if a.kind == kind and a.geometry]


def _centre(geometry: dict) -> tuple[float, float]:
    """Where an area's number goes: the middle of the points of its largest ring (good enough for
    the compact, roughly convex areas of a city)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ring = max((polygon[0] for polygon in polygons), key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def _area_map(view: IndicatorView, kind: str, *, width: int) -> alt.TopLevelMixin | None:
    areas = map_areas(view, kind)
    from samen.measurement.templatetags.measurement import figure_value

    features = [
        {
            "type": "Feature",
            "geometry": clockwise(a.geometry),
            "properties": {
                "name": a.name,
                "value": a.figure.cell.value if a.figure.shown else None,
                # The tooltip: the area's number, name and value, as the key beside the map says them.
                "tip": f"{number}. {a.name}: {figure_value(a.figure, view.indicator)}",
            },
        }
        for number, a in enumerate(areas, start=1)
    ]
    if not features:
        return None
    data = alt.Data(values=features)
    # Every area in grey first; those with a shown value coloured on top. (A null in a colour
    # scale would otherwise be drawn as its lowest value, or dropped.)
    # Each shape carries its tip as a description, which samen.core.charts.svg turns into a <title>.
    tip = alt.Description("properties.tip:N")
    grey = alt.Chart(data).mark_geoshape(fill="#d9d9d9", stroke="white", strokeWidth=1.5, aria=True).encode(tip)
    coloured = (
        alt.Chart(data)
        .transform_filter("isValid(datum.properties.value)")
        .mark_geoshape(stroke="white", strokeWidth=1.5, aria=True)
        .encode(
            tip,
            color=alt.Color(
                "properties.value:Q", title=view.indicator.get_unit_display(), scale=alt.Scale(scheme="greens")
            ),
        )
    )
    # Each area carries its number; the key beside the map gives its name and value.
    centres = [
        {"lon": lon, "lat": lat, "n": str(number)}
        for number, (lon, lat) in enumerate((_centre(a.geometry) for a in areas), start=1)
    ]
    halo = (
        alt.Chart(alt.Data(values=centres))
        .mark_text(fontSize=13, fontWeight="bold", color="#1a1a1a", stroke="white", strokeWidth=3, strokeOpacity=0.9)
        .encode(longitude="lon:Q", latitude="lat:Q", text="n:N")
    )
    numbers = (
        alt.Chart(alt.Data(values=centres))
        .mark_text(fontSize=13, fontWeight="bold", color="#1a1a1a")
        .encode(longitude="lon:Q", latitude="lat:Q", text="n:N")
    )
    shapes = (
        alt.layer(grey, coloured, halo, numbers).project(type="mercator").properties(width=width, height=width * 4 // 7)
    )
    return _config(shapes)


def breakdown_chart(view: IndicatorView, index: int, name: str, parts: list) -> str:
    return cached_svg(view, f"breakdown-{index}", lambda width: _breakdown(name, parts, width=width))


def _breakdown(name: str, parts: list, *, width: int) -> alt.TopLevelMixin | None:
    values = [{"part": label, "value": f.cell.value} for label, f in parts if f.shown]
    if not values:
        return None
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=ACCENT)
        .encode(x=alt.X("value:Q", title=None), y=alt.Y("part:N", title=None, sort=None))
        .properties(width=min(width, 420), height=28 * len(values))
    )
    return _config(chart)


def chart_text(view: IndicatorView) -> str:
    """A one-line description of the series chart for screen readers; the table holds the data."""
    shown = [p for p in view.series if p.figure.shown]
    if not shown:
        return _("No published values yet.")
    return _("Line chart of %(name)s from %(first)s to %(last)s; the values are in the table below.") % {
        "name": view.indicator.name,
        "first": shown[0].label,
        "last": shown[-1].label,
    }
