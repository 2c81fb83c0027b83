"""End to end on a phone: from a challenge to an activity, through sign-up, back to the activity to join it."""

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import message_text
from samen.core.tests.test_browser import PASSWORD, PHONE, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def challenge(activity, domain_with_goal):
    from samen.agenda.models import Challenge

    challenge = Challenge.objects.create(
        slug="niemand-alleen",
        title_nl="Niemand boven 80 alleen thuis",
        title_en="Nobody over 80 alone at home",
        summary_nl="Drie telefoonnummers van mensen dichtbij.",
        summary_en="Three phone numbers of people nearby.",
        story_nl="Maria is 84 en woont alleen.",
        story_en="Maria is 84 and lives alone.",
        domain=domain_with_goal.domain,
        status=Challenge.Status.PUBLISHED,
    )
    activity.challenges.add(challenge)
    return challenge


def test_a_visitor_on_a_phone_goes_from_a_challenge_to_joining_an_activity(
    page: Page, live_server, smtp_inbox, challenge, activity, role
):
    from samen.activities.models import RoleSignup

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/en/challenges/{challenge.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nobody over 80 alone at home")

    # One click to the activity that works on the challenge.
    page.get_by_role("link", name=f"Join — {activity.title}").click()
    page.wait_for_url(re.compile(rf"/en/activities/{activity.slug}/$"))

    # A visitor is asked to sign in; from there they sign up, and the way back is kept.
    page.get_by_role("link", name=f"Sign in to join as “{role.title}”").click()
    page.wait_for_url(re.compile(r"/en/account/login/\?next="))
    page.locator("main a[href*='/account/signup/']").first.click()
    page.locator("input[name=first_name]").fill("Noor")
    page.locator("input[name=last_name]").fill("Nieuw")
    page.locator("input[name=email]").fill("noor@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/account/confirm-email/$"))

    message = wait_for_mail(smtp_inbox)
    link = re.search(r"https?://[^/\s]+(/en/account/confirm-email/[^/\s]+/)", message_text(message))
    assert link, message_text(message)
    page.goto(live_server.url + link.group(1))
    page.locator("main form button[type=submit]").click()

    # Confirming the address signs the new member in and brings them back to the activity.
    page.wait_for_url(re.compile(rf"/en/activities/{activity.slug}/$"))
    page.get_by_role("button", name=re.compile(role.title)).first.click()
    expect(page.locator(".messages")).to_be_visible()
    assert RoleSignup.objects.filter(role=role, member__user__email="noor@example.org").exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
