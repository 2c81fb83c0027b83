"""End to end in a real browser (Debian's Chromium): the first journey, accessibility and the phone layout.

Every test runs against pytest-django's live server on a transactional database, so the server thread
and the test see the same rows. Run only these with `pytest -m browser`.
"""

from __future__ import annotations

import re
import time
import weakref
from pathlib import Path
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import BrowserContext, Page, expect

from conftest import message_text
from samen.core.tests.demo_copy import load_demo
from samen.network.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "a-Good-passw0rd"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


# --- Helpers ----------------------------------------------------------------------------------


def wait_for_mail(inbox, count: int = 1, timeout: float = 10.0):
    """The SMTP server hands messages over on its own thread: wait for them a little."""
    deadline = time.monotonic() + timeout
    while len(inbox.messages) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} email(s) in {timeout}s, got {len(inbox.messages)}")
        time.sleep(0.05)
    return inbox.messages[count - 1]


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD, lang: str = "en") -> None:
    """Signs in through the login view and lands on the profile, as the form does. The form's GET and POST
    go through the page's request context (its cookies are the browser's), so Chromium does not draw the
    login page for each test that only needs someone signed in; a test about signing in fills the form."""
    login = f"{base_url}/{lang}/account/login/"
    form = page.request.get(login, max_redirects=0)
    # Someone signed in already is sent on (302) and allauth would answer the post without signing in.
    assert form.status == 200, f"the login page answered {form.status}: is someone signed in already?"
    token = CSRF_FIELD.search(form.text())
    assert token, f"no CSRF token on {login}"
    answer = page.request.post(
        login, form={"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}, max_redirects=0
    )
    assert answer.status == 302, f"signing in as {email} answered {answer.status}"
    page.goto(urljoin(login, answer.headers["location"]))
    expect(page.locator("form[action$='/account/logout/']")).to_have_count(1)


AXE = Axe()
AXE_RUN = "() => axe.run({resultTypes: ['violations']}).then((results) => results.violations)"


# The contexts that load axe with each page (weakly held: a context ends with its test).
AXE_CONTEXTS: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def axe_in_every_page(context: BrowserContext) -> None:
    """axe-core loads with each page of `context` (an init script, compiled by Chromium as the page
    starts) instead of being sent, 570 KB, with each check."""
    if context not in AXE_CONTEXTS:
        AXE_CONTEXTS.add(context)
        context.add_init_script(script=AXE.axe_script)


def axe_violations(page: Page) -> list[dict]:
    """What axe finds on the page (the same run as `Axe().run(page)`: its default options). The first
    check of a context sends axe to the page and makes it an init script of the context, so the pages
    loaded after it bring axe along. Only the violations come back, not the whole result."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        axe_in_every_page(page.context)
        page.evaluate(AXE.axe_script)
    return page.evaluate(AXE_RUN)


def axe_report(url: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        more = f" (+{len(violation['nodes']) - 3} more)" if len(violation["nodes"]) > 3 else ""
        lines.append(
            f"{url}: {violation['id']} [{violation.get('impact')}] {violation['help']} -> {' | '.join(targets)}{more}"
        )
    return "\n".join(lines)


# --- 1. The first journey --------------------------------------------------------------------


def test_a_visitor_signs_up_confirms_fills_in_the_profile_and_switches_to_dutch(
    page: Page, live_server, smtp_inbox, make_domain
):
    from samen.network.models import Area, User

    Area.objects.create(code="runkst", name="Runkst", kind=Area.Kind.NEIGHBOURHOOD, path="/runkst/")
    make_domain("eenzaamheid", name_nl="Eenzaamheid", name_en="Loneliness")

    page.goto(f"{live_server.url}/en/account/signup/")
    page.locator("input[name=first_name]").fill("Noor")
    page.locator("input[name=last_name]").fill("Nieuw")
    page.locator("input[name=email]").fill("noor@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/account/confirm-email/$"))

    message = wait_for_mail(smtp_inbox)
    assert message["To"] == "noor@example.org"
    match = re.search(r"https?://[^/\s]+(/en/account/confirm-email/[^/\s]+/)", message_text(message))
    assert match, message_text(message)
    page.goto(live_server.url + match.group(1))
    page.locator("main form button[type=submit]").click()

    # Confirming signs the new member in and lands on the profile (LOGIN_REDIRECT_URL).
    page.wait_for_url(re.compile(r"/en/profile/$"))
    expect(page.locator("form[action$='/account/logout/']")).to_have_count(1)
    assert User.objects.get(email="noor@example.org").first_name == "Noor"

    page.goto(f"{live_server.url}/en/profile/")
    page.locator("select[name='profile-neighbourhood']").select_option(label="Runkst")
    page.get_by_role("checkbox", name="Loneliness").check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    member = User.objects.get(email="noor@example.org").member
    assert member.neighbourhood.code == "runkst"
    assert [d.slug for d in member.interests.all()] == ["eenzaamheid"]

    page.locator("header nav.language a[hreflang=nl]").click()
    page.wait_for_url(re.compile(r"/nl/profile/$"))
    assert page.url.startswith(f"{live_server.url}/nl/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("select[name='profile-neighbourhood']")).to_have_value(str(member.neighbourhood.pk))


# --- 2. No accessibility violations -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_violations_on_the_main_pages(page: Page, live_server, make_user, lang):
    from samen.agenda.models import ActionDomain
    from samen.network.models import Organisation

    load_demo()
    domain = ActionDomain.objects.order_by("pk").first()
    partner = Organisation.objects.order_by("pk").first()
    user = make_user(first_name="Axel", last_name="Toegang")

    public = [
        f"/{lang}/",
        f"/{lang}/agenda/",
        f"/{lang}/agenda/{domain.slug}/",
        f"/{lang}/partners/",
        f"/{lang}/partners/{partner.slug}/",
        f"/{lang}/account/signup/",
        f"/{lang}/account/login/",
    ]
    reports = []

    def check(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response and response.ok, f"{path} answered {response and response.status}"
        assert page.locator("html").get_attribute("lang") == lang
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))

    for path in public:
        check(path)
    sign_in(page, live_server.url, user.email, lang=lang)
    check(f"/{lang}/profile/")
    # The demo's partner editor, with a role waiting for confirmation on the edit page.
    page.context.clear_cookies()
    sign_in(page, live_server.url, "editor@demo.samen.invalid", DEMO_PASSWORD, lang=lang)
    check(f"/{lang}/partners/wijkzorg-runkst/edit/")
    assert page.locator("#confirm-title ~ .table-scroll table tbody tr").count() >= 1

    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)


@pytest.mark.parametrize(("lang", "other"), [("en", "nl"), ("nl", "en")])
def test_the_language_links_of_a_page_another_visitor_already_opened(page: Page, new_context, live_server, lang, other):
    """The dashboard is stored for visitors by the first one (network.page_cache); the second gets that
    copy, whose links lead to the same page in the other language, and axe finds nothing on either."""
    load_demo()
    first = new_context().new_page()
    first.goto(f"{live_server.url}/{lang}/dashboard/")
    # The live server runs in this process: mark the copy the first visit stored, to see that the
    # second visitor gets it (if a token crept into the frame, nothing would be stored and this fails).
    [stored] = [k.split(":", 2)[2] for k in cache._cache if ":samen:page:" in k]  # locmem in the test settings
    status, headers, content = cache.get(stored)
    cache.set(stored, (status, headers, content.replace(b"<html ", b'<html data-stored-copy="yes" ', 1)), 60)
    reports = []
    page.goto(f"{live_server.url}/{lang}/dashboard/")
    expect(page.locator("html")).to_have_attribute("data-stored-copy", "yes")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    link = page.locator(f"header nav.language a[hreflang={other}]")
    expect(link).to_have_attribute("lang", other)
    violations = axe_violations(page)
    if violations:
        reports.append(axe_report(page.url, violations))
    link.click()
    page.wait_for_url(re.compile(rf"/{other}/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator(f"header nav.language a[hreflang={lang}]")).to_have_attribute("href", f"/{lang}/dashboard/")
    violations = axe_violations(page)
    if violations:
        reports.append(axe_report(page.url, violations))
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)


# --- 3. Screenshots of the home page ----------------------------------------------------------


def test_screenshots_of_the_home_page_on_desktop_and_phone(page: Page, new_context, live_server, output_path):
    load_demo()
    folder = Path(output_path) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/en/")
    desktop = folder / "home-desktop-1280.png"
    page.screenshot(path=desktop, full_page=True)

    phone_page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    phone_page.goto(f"{live_server.url}/en/")
    phone = folder / "home-phone-390.png"
    phone_page.screenshot(path=phone, full_page=True)

    for shot in (desktop, phone):
        assert shot.is_file() and shot.stat().st_size > 0, shot


# --- 4. The phone layout ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_home_page_does_not_scroll_sideways_on_a_phone(new_context, live_server, lang):
    load_demo()
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{live_server.url}/{lang}/")
    expect(page.locator("h1")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"the page is {scroll_width}px wide on a {PHONE['width']}px phone"
