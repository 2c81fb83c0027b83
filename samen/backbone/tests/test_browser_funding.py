"""The backbone registers a grant on a 390 px phone: the pages fit, axe finds nothing, in both languages,
and an impossible split is named before the grant is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samen.backbone.models import Funder, Grant
from samen.core.tests.test_browser import PASSWORD, PHONE, axe_report, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

WORDS = {
    "nl": {"title": "Titel", "amount": "Bedrag", "save": "Subsidie bewaren", "over": "meer dan 100 % van de subsidie"},
    "en": {"title": "Title", "amount": "Amount", "save": "Save the grant", "over": "more than 100 % of the grant"},
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_backbone_registers_a_grant_on_a_phone(page: Page, live_server, coordinator, make_org, lang):
    partners = [make_org() for _ in range(2)]
    Funder.objects.create(name="Koning Boudewijnstichting")
    reports, base = [], live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, coordinator.email, PASSWORD, lang=lang)

    def check(what: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{what} is {width} px wide on a 390 px phone"
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(what, violations))

    for path in ("/backbone/funding/funders/", "/backbone/funding/cash/", "/backbone/health/"):
        page.goto(f"{base}/{lang}{path}")
        check(path)

    page.goto(f"{base}/{lang}/backbone/funding/grants/new/")
    check("the empty grant form")
    words = WORDS[lang]
    page.locator("#id_funder").select_option(label="Koning Boudewijnstichting")
    page.locator("#id_title").fill("Buurtnetwerken tegen eenzaamheid")
    page.locator("#id_amount").fill("20000")
    page.locator("#id_start").fill("2025-01-01")
    page.locator("#id_end").fill("2026-06-30")
    page.locator("#id_shares-0-organisation").select_option(str(partners[0].pk))
    page.locator("#id_shares-0-percent").fill("60")
    page.locator("#id_shares-1-organisation").select_option(str(partners[1].pk))
    page.locator("#id_shares-1-percent").fill("50")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator("#shares-errors")).to_contain_text(words["over"])
    check("the grant form with its refusal")
    assert not Grant.objects.exists()

    page.locator("#id_shares-1-percent").fill("40")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator(".messages")).to_contain_text("Buurtnetwerken tegen eenzaamheid")
    check("the funding page with the new grant")
    grant = Grant.objects.get()
    assert sorted(s.amount for s in grant.shares.all()) == [8000, 12000]
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)
