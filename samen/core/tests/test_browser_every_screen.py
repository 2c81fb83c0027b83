"""Every page of the crawlable site fits a 390 px phone, in both languages, signed out, as the
backbone coordinator and as a care network's coordinator; axe finds nothing on the pages visited.

The crawl starts at the home page and follows every link on the site (not the admin, files or
feeds). Pages of one kind (one URL pattern) are visited up to PER_PATTERN times, so every kind of
page is seen with real data at a bearable cost; SAMEN_CRAWL_ALL=1 visits every page it finds.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation
from playwright.sync_api import Page

from samen.core.tests.test_browser import (
    DESKTOP,
    PHONE,
    axe_in_every_page,
    axe_report,
    axe_violations,
    load_demo,
    sign_in,
)
from samen.network.demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.usefixtures("transactional_db"),
    # Layout and accessibility do not depend on the database, and the crawl costs minutes: the
    # SQLite run of .ci/run covers it; the PostgreSQL run keeps the browser tests of each app.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the crawl runs on SQLite only (layout does not depend on the database)",
    ),
]

PER_PATTERN = 0 if os.environ.get("SAMEN_CRAWL_ALL") else 1
# axe runs once per kind of page (and role) in a run: the four crawls share the work.
AXED: set[tuple[str, str]] = set()
NOT_PAGES = re.compile(
    r"^/(admin/|api/|i18n/|open-data/|media/|static/)|/(admin|logout|export)/|\.(ics|csv|json|svg|png)$"
)


# The first elements that reach past the screen's edge while their parent does not: what to fix.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + [...e.classList].map((c) => "." + c).join("");
  const found = [];
  for (const e of document.querySelectorAll("body *")) {
    const parent = e.parentElement;
    if (e.getBoundingClientRect().right > edge + 1 && parent.getBoundingClientRect().right <= edge + 1) {
      found.push(name(parent) + " > " + name(e) + " (" + Math.round(e.getBoundingClientRect().right) + "px)");
    }
    if (found.length >= 3) break;
  }
  if (!found.length) {  // the whole chain is too wide: name the deepest too-wide elements
    for (const e of document.querySelectorAll("body *")) {
      const wide = (x) => x.getBoundingClientRect().right > edge + 1;
      if (wide(e) && ![...e.children].some(wide)) found.push(name(e) + " (" + Math.round(e.getBoundingClientRect().right) + "px)");
      if (found.length >= 3) break;
    }
  }
  return found;
}"""


def pattern_of(path: str) -> str:
    """The URL pattern a path belongs to (its route), so pages of one kind can be counted."""
    language = path.split("/")[1]
    try:
        # The /en/ prefix only resolves while English is active.
        with translation.override(language):
            match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return match.route


def crawl(
    page: Page, base: str, lang: str, *, who: str, axe: bool, folder: Path | None, seeds: tuple[str, ...] = ()
) -> tuple[list, list, set[str]]:
    """Visit the site from the home page (and the `seeds`); answer the pages too wide, axe's
    findings (and pages that failed) and the kinds of page visited."""
    queue, seen = [f"/{lang}/", *(f"/{lang}/{seed}" for seed in seeds)], set()
    per_pattern: Counter = Counter()
    too_wide, findings = [], []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        route = pattern_of(path)
        if PER_PATTERN and per_pattern[route] >= PER_PATTERN:
            continue
        per_pattern[route] += 1
        response = page.goto(base + path)
        if response is None or not response.ok:
            findings.append(f"{path} answered {response and response.status}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{path} is {width}px wide: {', '.join(page.evaluate(WIDEST))}")
            if folder:
                page.screenshot(path=folder / f"too-wide-{len(too_wide)}.png", full_page=True)
        kind = route.split("/", 1)[-1]  # the same kind of page in either language
        if axe and (who, kind) not in AXED:
            AXED.add((who, kind))
            violations = axe_violations(page)
            if violations:
                findings.append(axe_report(path, violations))
        for href in page.eval_on_selector_all(
            "main a[href], header a[href], footer a[href]", "els => els.map(e => e.href)"
        ):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(base).netloc:
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link.startswith(f"/{lang}/") and not NOT_PAGES.search(parts.path) and link not in seen:
                queue.append(link)
    return too_wide, findings, {route.split("/", 1)[-1] for route in per_pattern}


# Who crawls: signed out, the backbone coordinator, and a care network's coordinator (the care desk).
LOGINS = {
    "visitor": "",
    "coordinator": "coordinator@demo.samen.invalid",
    "care-coordinator": "care-coordinator@demo.samen.invalid",
}
# Pages no page links to (reached from the admin's menu or from a mail): the crawl starts there too.
SEEDS = {"visitor": ("funding/",), "coordinator": ("newsletters/", "funding/")}
# Pages of communication, backbone and care each crawl must reach (through the menu and the pages'
# links), so a page of theirs cannot drop out of the crawl unnoticed.
CARE_KINDS = {
    "care/",
    "care/reviews/",
    "care/networks/<slug:slug>/",
    "care/residents/<str:reference>/",
    "care/signals/<str:reference>/",
    "care/cases/<str:reference>/",
}
COORDINATOR_KINDS = {
    "news/",
    "news/<slug:slug>/",
    "inbox/",
    "notifications/",
    "notifications/preferences/",
    "meetings/<int:pk>/",
    "working-groups/",
    "results/",
    "health-check/",
    "backbone/health/",
    "backbone/funding/",
    "report-card/<int:year>/",
    "care/",
    "care/escalations/",
    "newsletters/",
    "funding/",
}
REACHED = {
    "visitor": {"news/", "funding/", "results/"},
    "coordinator": COORDINATOR_KINDS,
    "care-coordinator": CARE_KINDS,
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("who", list(LOGINS))
def test_no_page_scrolls_sideways_on_a_phone_and_axe_finds_nothing(new_context, live_server, output_path, lang, who):
    load_demo()
    folder = Path(output_path) / "every-screen" / f"{who}-{lang}"
    folder.mkdir(parents=True, exist_ok=True)
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    axe_in_every_page(context)
    page = context.new_page()
    if LOGINS[who]:
        sign_in(page, live_server.url, LOGINS[who], DEMO_PASSWORD, lang=lang)

    too_wide, findings, kinds = crawl(
        page, live_server.url, lang, who=who, axe=True, folder=folder, seeds=SEEDS.get(who, ())
    )

    print(f"{who} {lang}: {len(kinds)} kinds of page visited:", " ".join(sorted(kinds)))
    assert len(kinds) > 20, f"the crawl found only {len(kinds)} kinds of page"
    assert REACHED[who] <= kinds, f"not reached: {sorted(REACHED[who] - kinds)}"
    # Both lists at once, so one run shows everything to fix.
    problems = [f"pages wider than a {PHONE['width']}px phone:", *too_wide] if too_wide else []
    problems += ["axe found accessibility violations or pages failed:", *findings] if findings else []
    # The widest tables of the site (who does what: areas by action domain) fit a desk screen too.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/{lang}/activities/who-does-what/")
    desk_width = page.evaluate("document.documentElement.scrollWidth")
    if desk_width > DESKTOP["width"]:
        problems.append(f"who-does-what is {desk_width}px wide at {DESKTOP['width']}px")
    assert not problems, "\n".join(problems)
