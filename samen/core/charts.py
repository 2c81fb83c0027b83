"""Drawing Vega-Lite charts (built with Altair) to SVG on the server with vl-convert.

Shared by every app that draws charts: no JavaScript, nothing from a CDN, and CSP-safe (the SVG
has no inline styles or scripts). Drawings are cached by their spec and language."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

import altair as alt
import vl_convert
from django.core.cache import cache
from django.utils import translation

INK, ACCENT, MUTED, TARGET, FORECAST = "#1a1a1a", "#0b6b55", "#4a4f55", "#8a3b12", "#6a2c70"
FONT = "DejaVu Sans, sans-serif"
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
# A shape whose mark asks for ARIA (`aria=True` with a `description`) gets that text as its tooltip.
_DESCRIBED = re.compile(r'<path aria-label="([^"]*)"([^>]*?)\s*/>')
# The plot widths a chart is drawn at: a desktop column and a 390 px phone (axes take ~80 px more),
# so that on a phone the labels are not shrunk below the body text.
WIDE, NARROW = 640, 260


def svg(chart: alt.TopLevelMixin) -> str:
    spec = chart.to_dict(validate=False)
    # The page names the chart (role="img" and its label) and holds the data in a table; the
    # drawing's own marks stay out of the accessibility tree.
    spec.setdefault("config", {})["aria"] = False
    locale = LOCALES.get(translation.get_language() or "nl", "nl-NL")
    key = f"samen:svg:{locale}:" + hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    drawing = cache.get(key)
    if drawing is None:
        # No base URL is allowed: a chart never fetches anything.
        drawing = vl_convert.vegalite_to_svg(
            spec, format_locale=locale, time_format_locale=locale, allowed_base_urls=[]
        )
        # A described shape shows its description on hover (the map's areas): a <title> in it.
        drawing = _DESCRIBED.sub(r"<path\2><title>\1</title></path>", drawing)
        # Vega still marks its groups and marks up for assistive technology; the page's own label
        # and table say it all, so the drawing keeps none of those roles.
        drawing = _ARIA.sub("", drawing)
        drawing = drawing.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
        cache.set(key, drawing, 24 * 3600)
    return drawing


def configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The house style: the site's font and ink, light grid, no frame."""
    return (
        chart.configure(font=FONT, background="white")
        .configure_axis(labelColor=INK, titleColor=INK, gridColor="#dde2df", labelFontSize=12, titleFontSize=12)
        .configure_view(stroke=None)
    )


def drawn_twice(build: Callable[[int], alt.TopLevelMixin | None], *, wide: int = WIDE, narrow: int = NARROW) -> str:
    """The chart drawn for a wide and for a narrow box; CSS shows the one that fits (no script)."""
    wide_chart = build(wide)
    if wide_chart is None:
        return ""
    narrow_chart = build(narrow)
    return (
        f'<div class="chart-wide">{svg(wide_chart)}</div>'
        f'<div class="chart-narrow">{svg(narrow_chart) if narrow_chart is not None else ""}</div>'
    )
