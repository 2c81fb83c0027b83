"""The grouped menu in a real browser: one line on a desktop, nothing sideways on a phone, every
group opened and walked with the keyboard alone, axe clean with a group open."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from samen.core.tests.test_browser import DESKTOP, PHONE, axe_report, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# The brand, each top-level entry of the menu and the language switch: their boxes share one
# horizontal line when the header is one line.
ONE_LINE = """() => {
  const row = document.querySelector('.header-row');
  const boxes = [row.querySelector('.brand'), ...row.querySelectorAll('.nav > li'), row.querySelector('.language')]
    .map(element => element.getBoundingClientRect());
  return Math.max(...boxes.map(box => box.top)) < Math.min(...boxes.map(box => box.bottom));
}"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def _walk_every_group(page: Page) -> int:
    """Open each group from the keyboard, Tab into it, check its list fits the window; returns how many."""
    summaries = page.locator(".menu-group summary")
    width = page.viewport_size["width"]
    for index in range(summaries.count()):
        summary = summaries.nth(index)
        summary.focus()
        page.keyboard.press("Enter")
        group = page.locator(".menu-group details").nth(index)
        expect(group).to_have_attribute("open", "")
        links = group.locator("ul a")
        expect(links.first).to_be_visible()
        page.keyboard.press("Tab")
        expect(links.first).to_be_focused()
        box = group.locator("ul").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{summary.inner_text()} opens past the edge"
        assert page.evaluate(SIDEWAYS) <= 0, f"{summary.inner_text()} makes the page scroll sideways"
        # One open at a time (name="menu"), and Escape-free: Enter on the summary closes it again.
        summary.focus()
        page.keyboard.press("Enter")
        expect(group).not_to_have_attribute("open", "")
    return summaries.count()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_grouped_header_is_one_line_on_a_desktop_and_fits_a_phone(
    new_context, live_server, output_path, coordinator, lang
):
    for size in (DESKTOP, PHONE):
        page = new_context(viewport=size).new_page()
        sign_in(page, live_server.url, coordinator.email, lang=lang)  # the backbone sees every group
        page.goto(f"{live_server.url}/{lang}/")
        if size is DESKTOP:
            assert page.evaluate(ONE_LINE), f"the header wraps at {size['width']} px"
        assert page.evaluate(SIDEWAYS) <= 0, f"the page scrolls sideways at {size['width']} px"
        assert _walk_every_group(page) == 5

        page.locator(".menu-group summary").nth(3).click()  # "My Samen", open while axe looks
        page.screenshot(path=str(Path(output_path) / f"menu-{lang}-{size['width']}.png"))
        violations = axe_violations(page)
        assert not violations, axe_report(f"{lang} at {size['width']} px", violations)
        page.context.close()


def test_a_visitor_reaches_a_page_through_a_group(page: Page, live_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/en/")
    assert page.evaluate(ONE_LINE)
    page.get_by_text("Take part", exact=True).click()
    page.get_by_role("link", name="Events").click()
    page.wait_for_url(f"{live_server.url}/en/events/")
    expect(page.locator(".menu-group summary.current")).to_have_text("Take part")
    expect(page.locator(".nav a[aria-current=page]")).to_have_text("Events")
