"""The backbone's pages in a real browser (Debian's Chromium): axe finds nothing, in both languages.

Like samen/core/tests/test_browser.py: pytest-django's live server on a transactional database."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from samen.backbone.models import Grant, Result, SurveyRound
from samen.core.tests.test_browser import PHONE, axe_report, axe_violations, load_demo, sign_in
from samen.network.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_nothing_on_the_backbone_pages(page: Page, live_server, lang):
    load_demo()
    reports = []
    survey = SurveyRound.objects.order_by("-opens_at").first()
    result = Result.objects.order_by("pk").first()

    page.set_viewport_size(PHONE)  # phone-first: with the demo's data, no page is wider than the screen

    def check(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response and response.ok, f"{path} answered {response and response.status}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide on a 390 px phone"
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))

    check(f"/{lang}/results/")
    check(f"/{lang}/funding/")
    check(f"/{lang}/report-card/2025/")
    sign_in(page, live_server.url, "member@demo.samen.invalid", DEMO_PASSWORD, lang=lang)
    check(f"/{lang}/health-check/")
    check(f"/{lang}/health-check/{survey.pk}/")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "coordinator@demo.samen.invalid", DEMO_PASSWORD, lang=lang)
    check(f"/{lang}/backbone/funding/")
    check(f"/{lang}/backbone/funding/funders/")
    check(f"/{lang}/backbone/funding/cash/")
    check(f"/{lang}/backbone/funding/grants/{Grant.objects.order_by('pk').first().pk}/")
    check(f"/{lang}/backbone/health/")
    check(f"/{lang}/backbone/health/rounds/{survey.pk}/")
    check(f"/{lang}/results/update/{result.pk}/")
    check(f"/{lang}/report-card/2026/")
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)
