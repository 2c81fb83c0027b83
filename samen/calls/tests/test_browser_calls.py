"""A caller on a 390 px phone, in Dutch: reserves a batch, records a no-answer, a call back and a
need that becomes a signal in the care network (the script showing only the questions the answers
lead to); axe on every page visited, in both languages; no
page scrolls sideways. The coordinator then reads the progress in English."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samen.core.tests.test_browser import PHONE, axe_report, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _check(page: Page, reports: list[str]) -> None:
    violations = axe_violations(page)
    if violations:
        reports.append(axe_report(page.url, violations))
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        reports.append(f"{page.url}: {width} px wide on a {PHONE['width']} px phone")


def test_a_caller_works_a_batch_on_a_phone(page: Page, live_server, campaign, make_resident, caller, care_coordinator):
    from samen.calls import scripts, services
    from samen.calls.models import CallAttempt, CallEntry
    from samen.care.models import Signal

    campaign.script = scripts.script_parse("Hoe gaat het met u? | 0 | 2\nWat scheelt er?")
    campaign.save()
    for first in ("Godelieve", "Jozef", "Yvonne"):
        make_resident(name=f"{first} Vandael", birth_date=datetime.date(1935, 1, 1))
    services.pool_build(campaign=campaign, actor=care_coordinator)
    base = live_server.url
    reports: list[str] = []

    page.set_viewport_size(PHONE)
    sign_in(page, base, caller.email, lang="nl")
    page.goto(f"{base}/nl/calls/{campaign.pk}/call/")
    _check(page, reports)
    page.get_by_role("button", name="Reserveer 10 mensen om te bellen").click()
    expect(page.get_by_role("heading", name="Jouw reeks")).to_be_visible()
    _check(page, reports)
    expect(page.locator("main")).not_to_contain_text("Vandael")

    # The first: no answer.
    page.get_by_role("link", name="Godelieve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bel Godelieve")
    _check(page, reports)
    page.get_by_label("neemt niet op", exact=True).check()
    page.get_by_role("button", name="Leg het gesprek vast").click()
    expect(page.locator(".messages")).to_contain_text("Het gesprek is vastgelegd.")

    # The second asks to be called back tomorrow afternoon.
    page.get_by_role("link", name="Jozef").click()
    page.get_by_label("terugbellen op een gevraagd moment").check()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Terugbellen op", exact=True).fill(f"{tomorrow.isoformat()}T14:30")
    page.get_by_role("button", name="Leg het gesprek vast").click()
    expect(page.locator(".messages")).to_contain_text("Het gesprek is vastgelegd.")
    expect(page.get_by_role("heading", name="Jouw terugbelafspraken")).to_be_visible()

    # The third needs shopping and someone to talk to: a signal for the care network.
    # The script shows only the questions the answers lead to: "no" to the first opens the second.
    page.get_by_role("link", name="Yvonne").click()
    second = page.get_by_role("group", name="2. Wat scheelt er?")
    expect(second).to_be_hidden()
    expect(page.get_by_role("button", name="Volgende vraag")).to_be_hidden()  # the page's script answers at once
    page.get_by_role("group", name="1. Hoe gaat het met u?").get_by_label("ja").check()
    expect(second).to_be_hidden()
    page.get_by_role("group", name="1. Hoe gaat het met u?").get_by_label("nee").check()
    expect(second).to_be_visible()
    _check(page, reports)
    second.get_by_label("ja").check()
    page.get_by_label("boodschappen").check()
    page.get_by_label("iemand om mee te praten").check()
    page.get_by_label("bereikt, met een nood").check()
    page.get_by_role("button", name="Leg het gesprek vast").click()
    expect(page.locator(".messages")).to_contain_text("Het gesprek is vastgelegd.")
    _check(page, reports)

    outcomes = dict(CallAttempt.objects.values_list("entry__resident__name", "outcome"))
    assert outcomes == {"Godelieve Vandael": "no-answer", "Jozef Vandael": "call-back", "Yvonne Vandael": "need"}
    signal = Signal.objects.get()
    assert signal.resident.name == "Yvonne Vandael" and signal.observations == ["other", "no-one"]
    assert CallAttempt.objects.get(outcome="need").answers == {"1": "no", "2": "yes"}
    jozef = next(e for e in CallEntry.objects.select_related("resident") if e.resident.name == "Jozef Vandael")
    assert jozef.caller == caller and timezone.localtime(jozef.available_at).hour == 14

    # The same caller page in English.
    page.goto(f"{base}/en/calls/{campaign.pk}/call/")
    expect(page.get_by_role("heading", name="Your call backs")).to_be_visible()
    _check(page, reports)

    # The coordinator, on the same phone, in English: the progress, in tables.
    page.context.clear_cookies()
    sign_in(page, base, care_coordinator.email)
    for path in ("", "dashboard/", "rules/", "edit/"):
        page.goto(f"{base}/en/calls/{campaign.pk}/{path}")
        _check(page, reports)
    page.goto(f"{base}/nl/calls/{campaign.pk}/dashboard/")
    expect(page.get_by_role("heading", name="Bereikt per leeftijdsgroep")).to_be_visible()
    _check(page, reports)
    assert not reports, "\n".join(reports)
