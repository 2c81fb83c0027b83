"""The activity pages in a real browser (Debian's Chromium): joining a role, and accessibility.

Like samen/core/tests/test_browser.py, every test runs against pytest-django's live server on a
transactional database. Run only the browser tests with `pytest -m browser`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from samen.core.tests.test_browser import PASSWORD, axe_report, axe_violations, load_demo, sign_in
from samen.network.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_visitor_signs_in_from_the_activity_page_comes_back_and_joins_a_role(
    page: Page, live_server, activity, role, make_user
):
    from samen.activities.models import RoleSignup

    user = make_user("joke@example.org", first_name="Joke", last_name="Vrijwilliger")
    page.goto(f"{live_server.url}/en/activities/een-lokaal-net-werkt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Een lokaal net werkt!")
    page.get_by_role("link", name="Sign in to join as “Buurtbezoeker”").click()
    page.wait_for_url(re.compile(r"/en/account/login/\?next="))
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/activities/een-lokaal-net-werkt/$"))
    page.get_by_role("button", name="Join as “Buurtbezoeker”").click()
    expect(page.locator(".messages")).to_contain_text("You signed up as Buurtbezoeker.")
    expect(page.locator(f"#role-{role.pk}")).to_contain_text("1 of 2 open")
    assert RoleSignup.objects.filter(role=role, member=user.member).exists()


def test_axe_finds_no_violations_on_the_activity_pages(page: Page, live_server):
    from samen.activities.models import Role

    load_demo()
    role = Role.objects.get(activity__slug="telefooncirkel-runkst")  # led by the demo editor's organisation
    reports: list[str] = []

    def check(path: str, lang: str) -> None:
        response = page.goto(live_server.url + path)
        assert response and response.ok, f"{path} answered {response and response.status}"
        assert page.locator("html").get_attribute("lang") == lang
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))

    public = [
        "/activities/",
        "/activities/?domain=zorgzame-buurten&status=running",
        "/activities/een-lokaal-net-werkt/",
        "/activities/who-does-what/",
    ]
    for lang in ("nl", "en"):
        for path in public:
            check(f"/{lang}{path}", lang)
    sign_in(page, live_server.url, "editor@demo.samen.invalid", DEMO_PASSWORD)
    organiser = [
        "/activities/telefooncirkel-runkst/",
        "/activities/telefooncirkel-runkst/edit/",
        "/activities/new/",
        "/activities/who-does-what/",
        f"/activities/telefooncirkel-runkst/roles/{role.pk}/people/",
    ]
    for path in organiser:
        check(f"/en{path}", "en")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "member@demo.samen.invalid", DEMO_PASSWORD)
    check("/en/activities/for-me/", "en")
    check("/nl/activities/een-lokaal-net-werkt/", "nl")
    assert not reports, "\n".join(reports)
