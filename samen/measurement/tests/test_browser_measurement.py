"""The measurement pages in a real browser (Debian's Chromium): import, approve, publish, and accessibility.

Like samen/core/tests/test_browser.py, every test runs against pytest-django's live server on a transactional
database. Run only the browser tests with `pytest -m browser`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from samen.core.tests.test_browser import axe_report, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

HEADER = "indicator;area;period_start;period_end;numerator;denominator;dim:sex\n"
GOOD_ROWS = (
    "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\neld-visit-weekly;terhilst;2019-01-01;2019-12-31;25;500;\n"
)
BAD_ROWS = (
    "eld-visit-weekly;runkst;2019-01-01;2019-12-31;20;400;\neld-visit-weekly;terhilst;2019-01-01;2019-12-31;veel;500;\n"
)


def csv_file(text: str) -> dict:
    return {"name": "values.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def upload(page: Page, text: str) -> None:
    page.get_by_label("CSV or XLSX file").set_input_files(csv_file(text))
    page.get_by_role("button", name="Check the file").click()


def check_axe(page: Page, base_url: str, path: str, reports: list[str], lang: str = "en") -> None:
    response = page.goto(base_url + path)
    assert response and response.ok, f"{path} answered {response and response.status}"
    assert page.locator("html").get_attribute("lang") == lang
    violations = axe_violations(page)
    if violations:
        reports.append(axe_report(path, violations))


# --- 1. From a file to the public dashboard ----------------------------------------------------


def test_an_editor_imports_a_file_the_backbone_approves_it_and_the_public_sees_2019(
    page: Page, live_server, visits, areas, editor, coordinator
):
    from samen.measurement.models import Measurement

    base = live_server.url
    sign_in(page, base, editor.email)
    page.goto(f"{base}/en/measurements/import/")

    # A bad number: the problem names line 3 and the column, and nothing is stored.
    upload(page, HEADER + BAD_ROWS)
    expect(page.get_by_role("alert")).to_contain_text("The file has 1 problem; nothing was stored.")
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody tr td").nth(0)).to_have_text("3")
    expect(problems.locator("tbody tr td").nth(1)).to_have_text("numerator")
    expect(problems.locator("tbody tr td").nth(2)).to_contain_text("veel")
    expect(page.get_by_role("button", name="Import and send for approval")).to_have_count(0)
    assert not Measurement.objects.filter(period_start="2019-01-01").exists()

    # The fixed file: a preview with the counts, then the import.
    upload(page, HEADER + GOOD_ROWS)
    expect(page.locator(".preview [role=status]")).to_have_text("2 rows: 2 new, 0 changed, 0 unchanged.")
    assert not Measurement.objects.filter(period_start="2019-01-01").exists()
    page.get_by_role("button", name="Import and send for approval").click()
    page.wait_for_url(re.compile(r"/en/measurements/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Our figures")
    expect(page.locator(".messages")).to_contain_text("Imported: 2 new, 0 changed, 0 unchanged.")
    assert Measurement.objects.filter(period_start="2019-01-01", status="submitted").count() == 2

    # The backbone approves both.
    page.context.clear_cookies()
    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/en/measurements/approve/")
    rows = page.get_by_role("table", name="Values waiting for approval").locator("tbody tr")
    expect(rows).to_have_count(2)
    # The approval page starts with nothing ticked: the backbone chooses each value.
    for box in rows.get_by_role("checkbox").all():
        expect(box).not_to_be_checked()
        box.check()
    page.get_by_role("button", name="Approve the chosen values").click()
    expect(page.locator(".messages")).to_contain_text("2 value(s) approved; they are public now.")
    expect(page.get_by_text("No values are waiting for approval.")).to_be_visible()
    assert Measurement.objects.filter(period_start="2019-01-01", status="approved").count() == 2

    # Signed out, the public sees 2019 on the indicator page and on the dashboard.
    page.context.clear_cookies()
    page.goto(f"{base}/en/indicators/eld-visit-weekly/")
    expect(page.locator("form[action$='/account/logout/']")).to_have_count(0)
    by_period = page.get_by_role("table", name=re.compile(r", by period$"))
    expect(by_period.get_by_role("rowheader", name="2019", exact=True)).to_have_count(1)

    page.goto(f"{base}/en/dashboard/")
    card = page.locator(".indicator-card").filter(
        has=page.get_by_role("link", name="People over 84 visited less than once a week")
    )
    expect(card).to_have_count(1)
    # Two of the three neighbourhoods reported: said, but not the headline for the whole city.
    expect(card.locator(".partial")).to_contain_text("2019 so far: 2 of 3 neighbourhoods reported")


# --- 2. No accessibility violations -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_violations_on_the_public_measurement_pages(page: Page, live_server, visits, lang):
    reports: list[str] = []
    for path in (f"/{lang}/dashboard/", f"/{lang}/indicators/{visits.code}/"):
        check_axe(page, live_server.url, path, reports, lang=lang)
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)


def test_axe_finds_no_violations_on_the_partner_and_backbone_pages(
    page: Page, live_server, visits, areas, put, editor, coordinator
):
    put(visits, 2019, areas["runkst"], num=20, den=400, status="submitted")
    put(visits, 2019, areas["terhilst"], num=25, den=500, status="draft")
    reports: list[str] = []

    sign_in(page, live_server.url, editor.email)
    check_axe(page, live_server.url, "/en/measurements/", reports)
    expect(page.get_by_role("button", name="Send the ticked values for approval")).to_be_visible()
    check_axe(page, live_server.url, "/en/measurements/import/", reports)
    expect(page.get_by_label("CSV or XLSX file")).to_have_count(1)

    page.context.clear_cookies()
    sign_in(page, live_server.url, coordinator.email)
    check_axe(page, live_server.url, "/en/measurements/approve/", reports)
    expect(page.get_by_role("table", name="Values waiting for approval").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_label("Why they go back")).to_have_count(1)

    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)
