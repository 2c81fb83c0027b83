"""Campaigns and events in a real browser (Debian's Chromium): register, confirm, cancel, the waiting list,
the door on a phone, and accessibility. Emails come from a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import message_text
from samen.core.tests.test_browser import axe_report, axe_violations, sign_in, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}


def link_in(message, kind: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/\w\w/events/registration/[^/\s]+/{kind}/)", message_text(message))
    assert match, message_text(message)
    return match.group(1)


def watch_csp(page: Page) -> list[str]:
    """Collect Content-Security-Policy violations the page reports (an inline script would be one)."""
    reports: list[str] = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
    return reports


def test_a_visitor_registers_confirms_cancels_and_the_waiting_list_moves_up(
    page: Page, live_server, smtp_inbox, campaign, make_event
):
    from samen.activities.events.models import Registration
    from samen.activities.tests.events.fixtures import register

    yoga = make_event(
        slug="groepsyoga",
        title="Groepsyoga in de Japanse tuin",
        capacity=1,
        campaign=campaign,
        campaign_status="accepted",
    )
    csp = watch_csp(page)
    base = live_server.url

    # From the campaign's programme to the event, and registering as a visitor.
    page.goto(f"{base}/en/campaigns/{campaign.slug}/")
    page.get_by_role("link", name="Groepsyoga in de Japanse tuin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groepsyoga in de Japanse tuin")
    page.get_by_label("Your name").fill("Vera Bezoeker")
    page.get_by_label("Your email address").fill("vera@example.org")
    page.get_by_label("I live here").check()
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("we sent an email to vera@example.org")

    # The address is confirmed through the link in the first email.
    verify = wait_for_mail(smtp_inbox, 1)
    assert verify["To"] == "vera@example.org"
    page.goto(base + link_in(verify, "confirm"))
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.locator(".messages")).to_contain_text("You are registered. Your code at the door is")
    confirmation = wait_for_mail(smtp_inbox, 2)
    vera = Registration.objects.get(email="vera@example.org")
    assert vera.status == "confirmed" and vera.is_resident
    assert vera.code in message_text(confirmation)
    assert any(part.get_content_type() == "image/png" for part in confirmation.walk()), "the QR code is missing"

    # The only place is taken: the next person is put on the waiting list.
    waiting = register(yoga, "wachtend@example.org", name="Wim Wachtend")
    assert waiting.status == "waiting"
    smtp_inbox.messages.clear()

    # Vera cancels through the link in her email; Wim gets the place and an email saying so.
    page.goto(base + link_in(confirmation, "cancel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your registration")
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.locator(".messages")).to_contain_text("Your registration is cancelled.")
    promoted = wait_for_mail(smtp_inbox, 1)
    assert promoted["To"] == "wachtend@example.org"
    assert "A place came free" in promoted["Subject"]
    waiting.refresh_from_db()
    vera.refresh_from_db()
    assert (vera.status, waiting.status) == ("cancelled", "confirmed")

    # A changed link is refused plainly.
    page.goto(base + link_in(confirmation, "cancel").replace(":", "x", 1))
    expect(page.get_by_role("alert")).to_contain_text("This link is not valid")
    assert not csp, csp


def test_the_organiser_checks_people_in_on_a_phone(page: Page, live_server, editor, make_event, settings):
    from samen.activities.tests.events.fixtures import register

    settings.SAMEN_CHECK_IN_DAYS_BEFORE = 7  # the event starts in three days

    event = make_event(slug="buurtsoep", title="Buurtsoep", capacity=50)
    guest = register(event, "gast@example.org", name="Gert Gast")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, editor.email)
    page.goto(f"{live_server.url}/en/events/{event.slug}/check-in/")
    page.get_by_label("Registration code").fill(guest.code.lower())
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Welcome, Gert Gast: checked in.")
    page.get_by_role("button", name="+1 resident").click()
    expect(page.locator(".messages")).to_contain_text("Walk-ins counted.")
    expect(page.locator(".door-figures li").first).to_contain_text("2")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The QR code in the email leads here; one tap checks in.
    second = register(event, "tweede@example.org", name="Tine Tweede")
    page.goto(f"{live_server.url}/en/events/{event.slug}/check-in/{second.code}/")
    page.get_by_role("button", name="Check in Tine Tweede").click()
    expect(page.locator(".messages")).to_contain_text("Welcome, Tine Tweede: checked in.")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_nothing_on_the_campaign_and_event_pages(
    page: Page, live_server, campaign, make_event, editor, lang, settings
):
    from samen.activities.events import services as events_services
    from samen.activities.tests.events.fixtures import register

    settings.SAMEN_CHECK_IN_DAYS_BEFORE = 7  # the event starts in three days

    event = make_event(slug="groepsyoga", title="Groepsyoga", capacity=1, campaign=campaign, campaign_status="accepted")
    full = register(event, "a@example.org")
    events_services.registration_check_in(event=event, code=full.code, actor=None)
    make_event(slug="wandeling", title="Wandeling", price="5")
    reports = []
    csp = watch_csp(page)
    pages = [
        f"/{lang}/campaigns/",
        f"/{lang}/campaigns/{campaign.slug}/",
        f"/{lang}/events/",
        f"/{lang}/events/groepsyoga/",
        f"/{lang}/events/wandeling/",
    ]
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response and response.ok, path
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))
    sign_in(page, live_server.url, editor.email, lang=lang)
    signed_in = ["groepsyoga/check-in/", "new/", "mine/", "my-registrations/"]
    for path in [f"/{lang}/events/{p}" for p in signed_in]:
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)
    assert not csp, csp
