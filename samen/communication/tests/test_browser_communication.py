"""In a real browser: a member follows a domain, a partner publishes news in it, the member sees it in
the site and in the next daily digest, unsubscribes with the one-click POST and gets no more; axe on
every page of communication in both languages."""

from __future__ import annotations

import datetime
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import message_text
from samen.core.tests.test_browser import PHONE, axe_report, axe_violations, sign_in, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_member_follows_a_domain_hears_of_news_in_it_and_unsubscribes_from_the_digest(
    page: Page, live_server, smtp_inbox, member, editor, org, make_domain
):
    from samen.communication.digests import boundary, digests_send

    domain = make_domain("eenzaamheid", name_nl="Eenzaamheid", name_en="Loneliness")
    # The member follows the domain with the button on its page.
    sign_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/en/agenda/{domain.slug}/")
    page.get_by_role("button", name="Follow Loneliness").click()
    expect(page.get_by_role("button", name="Following Loneliness")).to_be_visible()

    # A partner editor publishes news in that domain.
    page.context.clear_cookies()
    sign_in(page, live_server.url, editor.email)
    page.goto(f"{live_server.url}/en/news/write/")
    page.locator("select[name=organisation]").select_option(str(org.pk))
    page.locator("input[name=title_en]").fill("A café opens in Runkst")
    page.locator("textarea[name=body_en]").fill("<p>Every Wednesday.</p><script>alert(1)</script>")
    page.locator("input[name=publish_at]").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Loneliness").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("A café opens in Runkst")

    # The member sees the notification in the site.
    page.context.clear_cookies()
    sign_in(page, live_server.url, member.email)
    expect(page.locator("a[href='/en/notifications/'] .count")).to_have_text("1 unread")
    page.goto(f"{live_server.url}/en/notifications/")
    expect(page.get_by_role("link", name="News: A café opens in Runkst")).to_be_visible()

    # ...and in the next daily digest, through the SMTP server.
    from samen.communication.models import Digest

    next_run = boundary("daily", timezone.now()) + datetime.timedelta(days=1, minutes=5)
    sent = digests_send("daily", now=next_run)  # the editor gets one too: a role at their organisation waits
    wait_for_mail(smtp_inbox, sent)
    [digest] = [m for m in smtp_inbox.messages if m["To"] == member.email]
    assert "A café opens in Runkst" in message_text(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = "".join(digest["List-Unsubscribe"].split()).strip("<>")
    link = link.replace("http://testserver", live_server.url)

    # The one-click POST, as a mail provider sends it: no cookies, no redirect followed, 200.
    request = urllib.request.Request(link, data=b"List-Unsubscribe=One-Click", method="POST")  # noqa: S310
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request) as response:  # noqa: S310 (the live server on loopback)
        assert response.status == 200 and response.url == link

    # More news, the next morning: no digest any more.
    from samen.communication.models import NewsItem
    from samen.communication.services import news_save

    news_save(
        item=NewsItem(title_en="Second news", organisation=org, publish_at=timezone.now()),
        actor=editor,
        tags={"action_domains": [domain]},
    )
    digests_send("daily", now=next_run + datetime.timedelta(days=1))
    assert Digest.objects.filter(user=member).count() == 1
    assert [m for m in smtp_inbox.messages if m["To"] == member.email] == [digest]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_finds_no_violations_on_the_pages_of_communication(
    page: Page, live_server, coordinator, editor, member, org, other_org, make_domain, lang
):
    from samen.communication.models import ActionItem, Decision, Meeting, NewsItem, Newsletter, WorkingGroup
    from samen.communication.services import news_save, users_notify
    from samen.communication.unsubscribe import unsubscribe_token

    domain = make_domain()
    item = news_save(
        item=NewsItem(title_nl="Nieuws", body_nl="<p>Tekst</p>", publish_at=timezone.now()),
        actor=coordinator,
        tags={"action_domains": [domain]},
    )
    group = WorkingGroup.objects.create(slug="werkgroep", name="Werkgroep", action_domain=domain, convener=org)
    group.organisations.set([org, other_org])
    meeting = Meeting.objects.create(
        group=group, title="Overleg", starts_at=timezone.now() - datetime.timedelta(days=3), minutes="<p>Verslag</p>"
    )
    ActionItem.objects.create(
        meeting=meeting, text="Zaal", owner_organisation=org, due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    Decision.objects.create(meeting=meeting, text="We starten")
    archived = WorkingGroup.objects.create(slug="vroeger", name="Vroeger", archived_at=timezone.now())
    archived.organisations.set([org])
    letter = Newsletter.objects.create(subject_nl="Brief", body_nl="<p>Hallo</p>", subject_en="Letter")
    users_notify(
        topic="news", user_ids=[coordinator.pk], texts={"nl": "Iets", "en": "Something"}, url=item.get_absolute_url()
    )

    reports = []

    def check(path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response and response.status < 500, f"{path} answered {response and response.status}"
        violations = axe_violations(page)
        if violations:
            reports.append(axe_report(path, violations))

    def check_on_a_phone(path: str) -> None:
        page.set_viewport_size(PHONE)
        check(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"
        page.set_viewport_size({"width": 1280, "height": 800})

    for path in [
        "news/",
        f"news/{item.slug}/",
        "working-groups/",
        "working-groups/werkgroep/",
        "working-groups/vroeger/",
        f"meetings/{meeting.pk}/",
    ]:
        check(f"/{lang}/{path}")
    check(f"/unsubscribe/{unsubscribe_token(member, 'daily')}/")
    check("/unsubscribe/forged/")
    sign_in(page, live_server.url, coordinator.email, lang=lang)
    for path in [
        "news/write/",
        "news/drafts/",
        "following/",
        "notifications/",
        "notifications/preferences/",
        "inbox/",
        "newsletters/",
        "newsletters/new/",
        f"newsletters/{letter.pk}/",
        "action-items/",
    ]:
        check(f"/{lang}/{path}")
    # The meeting pages of the backbone and the group's convener, phone-first.
    for path in [
        "working-groups/",
        "working-groups/new/",
        "working-groups/werkgroep/edit/",
        "working-groups/vroeger/",
        "working-groups/werkgroep/",
        "working-groups/werkgroep/meetings/new/",
        f"meetings/{meeting.pk}/",
        f"meetings/{meeting.pk}/edit/",
        f"meetings/{meeting.pk}/minutes/",
        f"meetings/{meeting.pk}/attendance/",
    ]:
        check_on_a_phone(f"/{lang}/{path}")
    # A group without organisations, on a phone: the messages name what is wrong, and axe finds nothing there either.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/{lang}/working-groups/new/")
    page.get_by_role("button", name="Save" if lang == "en" else "Opslaan", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("ul.errors").count() >= 2  # the Dutch name and the member organisations
    violations = axe_violations(page)
    if violations:
        reports.append(axe_report("working-groups/new/ with errors", violations))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not reports, "axe found accessibility violations:\n" + "\n".join(reports)
