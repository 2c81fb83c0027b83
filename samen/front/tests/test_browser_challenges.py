"""Challenges in a real browser (Debian's Chromium): propose, support, answer; accessibility; phone layout.

Like samen/core/tests/test_browser.py, every test runs against pytest-django's live server on a
transactional database. Run only the browser tests with `pytest -m browser`."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import message_text
from samen.core.tests.test_browser import DESKTOP, PHONE, axe_report, axe_violations, load_demo, sign_in, wait_for_mail
from samen.network.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
CHALLENGE = "niemand-alleen-thuis"


def test_a_member_proposes_on_a_phone_another_supports_and_the_coordinator_answers(
    new_context, live_server, smtp_inbox, make_user, coordinator, challenge
):
    from samen.agenda.models import Proposal

    base = live_server.url
    mila = make_user("mila@example.org", first_name="Mila")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    # From the challenge page to a published idea: one click to the form, one to publish.
    sign_in(page, base, mila.email)
    page.goto(f"{base}/en/challenges/{CHALLENGE}/")
    page.get_by_role("link", name="Propose an idea").first.click()
    expect(page.get_by_label("Challenge", exact=True)).to_have_value(str(challenge.pk))
    page.get_by_label("Title (required)").fill("A phone circle in every street")
    page.get_by_label("Your proposal (required)").fill("Three neighbours call each week. <script>alert(1)</script>")
    page.get_by_role("button", name="Publish my proposal").click()
    expect(page.locator(".messages")).to_contain_text("your proposal is published")
    proposal = Proposal.objects.get()
    assert proposal.body == "Three neighbours call each week."
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Another member supports it, once.
    page.context.clear_cookies()
    sign_in(page, base, make_user("jan@example.org").email)
    page.goto(f"{base}/en/challenges/{CHALLENGE}/")
    page.get_by_role("link", name="A phone circle in every street").click()
    page.get_by_role("button", name="Support this proposal").click()
    expect(page.locator(".messages")).to_contain_text("You support this proposal. Thank you!")
    expect(page.locator(".support-box")).to_contain_text("1 member supports this")
    expect(page.get_by_role("button", name="Support this proposal")).to_have_count(0)

    # The coordinator answers; the answer is public and the proposer gets an email.
    page.context.clear_cookies()
    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/en/proposals/{proposal.pk}/")
    page.get_by_role("radio", name="accepted into the agenda").check()
    page.get_by_label("Reason (required)").fill("It fits our goal; we start in Runkst.")
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.locator(".answer")).to_contain_text("It fits our goal; we start in Runkst.")
    text = message_text(wait_for_mail(smtp_inbox))
    assert "It fits our goal; we start in Runkst." in text
    assert wait_for_mail(smtp_inbox)["To"] == mila.email


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_nothing_on_the_home_challenge_and_proposal_pages(page: Page, live_server, lang):
    from samen.agenda.models import Proposal

    load_demo()
    proposal = Proposal.objects.filter(is_hidden=False, comments__isnull=False).order_by("pk").first()
    reports: list[str] = []

    def check(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response and response.ok, f"{path} answered {response and response.status}"
        assert page.locator("html").get_attribute("lang") == lang
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))

    public = [f"/{lang}/", f"/{lang}/challenges/", f"/{lang}/challenges/{CHALLENGE}/", f"/{lang}/proposals/"]
    for path in [*public, f"/{lang}/proposals/{proposal.pk}/"]:
        check(path)
    sign_in(page, live_server.url, "member@demo.samen.invalid", DEMO_PASSWORD, lang=lang)
    for path in (f"/{lang}/proposals/new/", f"/{lang}/stories/new/", f"/{lang}/proposals/{proposal.pk}/"):
        check(path)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "coordinator@demo.samen.invalid", DEMO_PASSWORD, lang=lang)
    for path in (
        f"/{lang}/proposals/{proposal.pk}/",
        f"/{lang}/proposals/moderation/",
        f"/{lang}/stories/review/",
        f"/{lang}/challenges/{CHALLENGE}/edit/",
        f"/{lang}/challenges/{CHALLENGE}/indicators/",
    ):
        check(path)
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)


def test_screenshots_of_a_challenge_on_a_phone_and_a_desktop(page: Page, new_context, live_server, output_path):
    load_demo()
    folder = Path(output_path) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    for name, path in (("challenge", f"/en/challenges/{CHALLENGE}/"), ("challenges", "/nl/challenges/")):
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + path)
        shots.append(folder / f"{name}-desktop-1280.png")
        page.screenshot(path=shots[-1], full_page=True)
        phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
        phone.goto(live_server.url + path)
        # The face is loaded (served from media) and the page does not scroll sideways.
        face = phone.locator("img.face").first
        expect(face).to_be_visible()
        assert phone.evaluate("(img) => img.complete && img.naturalWidth > 0", face.element_handle())
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots.append(folder / f"{name}-phone-390.png")
        phone.screenshot(path=shots[-1], full_page=True)
    for shot in shots:
        assert shot.is_file() and shot.stat().st_size > 0, shot
    assert re.search(r"screenshots", str(folder))
