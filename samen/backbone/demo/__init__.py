"""The backbone of the Hasselt demo: the KBS grant over six partners and two other funders (about three
years of runway), results under every goal, two health-check rounds a year apart, and the 2025
report card published. Everything goes through the same services (and expense import) as the pages.
The funders, grants, promises and health-check means are in `data/backbone.json`."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.utils import translation

from samen.backbone import report
from samen.backbone.demo import funding, health_checks, results
from samen.backbone.models import Funder
from samen.backbone.services import report_publish
from samen.network.models import User

DATA = Path(__file__).parent / "data" / "backbone.json"


def load(*, today: datetime.date) -> str:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if Funder.objects.filter(name=data["funders"][0]["name"]).exists():
        return "backbone: already loaded"
    coordinator = User.objects.filter(groups__name="backbone-coordinators").order_by("pk").first()
    grants = funding.load(data, today, coordinator)
    made = results.load(data["promises"], today, coordinator)
    answers = health_checks.load(data["health_checks"], data["health_check_scores"])
    published = _publish(data["report_year"], today, coordinator)
    return f"backbone: {grants} grants, {made} results, {answers} health-check answers, {published}"


def _publish(year: int, today: datetime.date, actor: User | None) -> str:
    """The report card of a year gone by, in every language."""
    if actor is None or today.year <= year:
        return "no report card published"
    seconds = 0.0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            figures, html, pdf, took = report.build(year)
            report_publish(actor=actor, year=year, language=language, html=html, pdf=pdf, figures=figures, seconds=took)
            seconds += took
    return f"report card {year} published ({seconds:.1f} s)"
