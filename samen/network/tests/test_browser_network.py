"""The growing network in a real browser (Debian's Chromium): an invitation link that brings someone in,
the map drawn by its script, and accessibility of the growth and map pages.

Like samen/core/tests/test_browser.py: pytest-django's live server on a transactional database.
Run only the browser tests with `pytest -m browser`."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from conftest import message_text
from samen.core.tests.test_browser import axe_report, axe_violations, load_demo, sign_in, wait_for_mail
from samen.network.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "Veer-kracht-2026"


def _members_figure(page: Page, base: str) -> int:
    page.goto(f"{base}/en/network/growth/")
    return int(page.locator("[data-figure=members]").inner_text())


def test_a_member_invites_by_link_a_new_person_joins_and_the_brought_list_and_growth_change(
    page: Page, live_server, smtp_inbox, member, settings
):
    base = live_server.url
    # The invitation link is absolute, built on SITE_URL (http://testserver in the test settings).
    settings.SITE_URL = base
    before = _members_figure(page, base)

    sign_in(page, base, member.email)
    page.goto(f"{base}/en/network/invite/")
    expect(page.get_by_role("heading", name="Whom you brought")).to_be_visible()
    expect(page.locator(".brought")).to_have_count(0)
    link = page.get_by_role("textbox", name="Link").input_value()
    assert "/en/join/" in link

    # Someone new opens the link (in a clean browser), reads who invites them and signs up.
    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("main")).to_contain_text("Mila invites you to join the network.")
    page.get_by_role("link", name="Join the network").click()
    page.locator("input[name=first_name]").fill("Noor")
    page.locator("input[name=last_name]").fill("Nieuw")
    page.locator("input[name=email]").fill("noor@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/account/confirm-email/$"))
    mail = wait_for_mail(smtp_inbox)
    confirm = re.search(r"https?://[^/\s]+(/en/account/confirm-email/[^/\s]+/)", message_text(mail)).group(1)
    page.goto(base + confirm)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/profile/$"))

    # The member sees whom they brought, and the network counts one more.
    page.context.clear_cookies()
    sign_in(page, base, member.email)
    page.goto(f"{base}/en/network/invite/")
    expect(page.locator(".brought")).to_contain_text("Noor Nieuw")
    expect(page.locator("main")).to_contain_text("1 person joined through this link.")
    assert _members_figure(page, base) == before + 1


def test_the_map_script_draws_and_names_what_is_clicked(page: Page, live_server, org, other_org):
    page.goto(f"{live_server.url}/en/network/map/")
    canvas = page.locator("#network-canvas")
    expect(canvas).to_be_visible()
    expect(canvas).to_have_attribute("data-drawn", "2")
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Whole map").click()
    # Click where the script draws the first organisation (its own arithmetic: centre + x × half).
    node = json.loads(page.request.get(f"{live_server.url}/en/network/map/data.json").text())["nodes"][0]
    box = canvas.bounding_box()
    half = min(box["width"], box["width"] * 0.7) / 2.3
    # Relative to the canvas, so Playwright scrolls it into view: the longer menu now pushes it below the fold.
    canvas.click(position={"x": box["width"] / 2 + node[3] * half, "y": box["width"] * 0.35 + node[4] * half})
    expect(page.locator("#map-selected")).to_contain_text(f"Organisation: {node[1]}")
    expect(page.locator("#map-selected a")).to_have_attribute("href", node[5])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_nothing_on_the_growth_dashboard_and_the_map(page: Page, live_server, lang):
    load_demo()
    reports = []

    def check(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response and response.ok, f"{path} answered {response and response.status}"
        if page.locator("#network-canvas").count():  # the map's script has drawn (it marks the canvas then)
            expect(page.locator("#network-canvas")).to_have_attribute("data-drawn", re.compile(r"^\d+$"))
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))

    check(f"/{lang}/network/growth/")
    check(f"/{lang}/network/map/")
    sign_in(page, live_server.url, "member@demo.samen.invalid", DEMO_PASSWORD, lang=lang)
    check(f"/{lang}/network/invite/")
    check(f"/{lang}/network/map/")
    check(f"/{lang}/partners/propose/")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "coordinator@demo.samen.invalid", DEMO_PASSWORD, lang=lang)
    check(f"/{lang}/network/growth/backbone/")
    check(f"/{lang}/partners/proposals/")
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)
