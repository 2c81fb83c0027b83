"""The demo's backbone: the KBS grant over six partners, about three years of runway, results under
every goal, two health-check rounds a year apart with scores, and the 2025 report card published."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from samen.agenda.models import ActionDomain, Goal
from samen.backbone.health import runway_history
from samen.backbone.models import Funder, Grant, PublishedReport, SurveyRound
from samen.backbone.selectors import round_scores, runway_now
from samen.core.tests.demo_copy import load_demo


@pytest.mark.django_db
def test_the_demo_has_the_backbone_of_the_issue(client):
    load_demo()
    kbs = Grant.objects.get(funder__name="Koning Boudewijnstichting")
    assert kbs.amount == 20000 and kbs.shares.count() == 6
    assert sum(s.amount for s in kbs.shares.all()) == 20000
    assert Funder.objects.count() == 3
    # The demo's texts are Dutch: the backbone is "de trekker" (DESIGN.md's words).
    assert not Grant.objects.filter(title__icontains="backbone").exists()
    runway = runway_now(timezone.localdate())
    assert 33 <= runway.months <= 39 and runway.meets_goal
    # Cash positions at the end of earlier quarters: the health page's runway has a trend to draw.
    history = [v for _quarter, v in runway_history(timezone.localdate()) if v is not None]
    assert len(history) >= 6 and history[-1] == pytest.approx(runway.months)
    assert not Goal.objects.filter(results__isnull=True).exists()
    rounds = list(SurveyRound.objects.order_by("opens_at"))
    assert len(rounds) == 2 and (rounds[1].opens_at - rounds[0].opens_at).days >= 360
    scores = round_scores(rounds[1], now=timezone.now())
    assert scores.enough and scores.previous == rounds[0]
    assert all(row.score and row.before for row in scores.sections)
    assert set(PublishedReport.objects.values_list("year", "language")) == {(2025, "nl"), (2025, "en")}
    pdf = PdfReader(io.BytesIO(bytes(PublishedReport.objects.get(language="nl").pdf)))
    assert len(pdf.pages) == ActionDomain.objects.count() + 1
    assert client.get("/nl/report-card/2025/").status_code == 200
    assert client.get("/en/report-card/2025.pdf")["Content-Type"] == "application/pdf"
