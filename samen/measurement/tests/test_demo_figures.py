"""The demo's figures: honest people sentences and every public table audited."""

import pytest
from django.core.management import call_command
from django.utils import translation

from samen.core.tests.demo_copy import load_demo
from samen.measurement.models import Indicator
from samen.measurement.selectors import indicator_view


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput")


@pytest.mark.django_db
def test_the_demo_turns_survey_rates_into_people_over_84_of_the_same_year(demo):
    with translation.override("en"):
        view = indicator_view(Indicator.objects.get(code="eld-visit-weekly"))
    year = view.latest.label
    assert " people over 84 we asked; about " in view.people_sentence
    assert view.people_sentence.endswith(f"people over 84 in Hasselt in {year}")


def test_every_figure_quoted_in_a_demo_challenge_carries_its_year():
    """“1.2% never had a visitor (2015)” does not sit unexplained beside a live figure of 2025."""
    import json
    import re
    from pathlib import Path

    import samen.agenda

    path = Path(samen.agenda.__file__).parent / "demo" / "data" / "challenges.json"
    data = json.loads(path.read_text())
    undated = [
        sentence
        for challenge in (data if isinstance(data, list) else data["challenges"])
        for field in ("summary_nl", "summary_en", "story_nl", "story_en")
        for sentence in re.split(r"(?<=[.!?])\s+", challenge.get(field, ""))
        if re.search(r"\d+([.,]\d+)?\s?%", sentence) and not re.search(r"\b(19|20)\d\d\b", sentence)
    ]
    assert undated == []


@pytest.mark.django_db
def test_every_table_of_the_demo_passes_the_disclosure_audit(demo):
    from samen.measurement.selectors import indicator_audit

    reports = [indicator_audit(i) for i in Indicator.objects.filter(is_published=True)]
    assert sum(r.tables for r in reports) > 50
    failing = [
        (r.indicator.code, row.period, row.area, row.low, row.high)
        for r in reports
        for row in r.rows
        if row.width < r.threshold
    ]
    assert failing == []
