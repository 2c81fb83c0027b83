"""RFC 8058: a POST without cookies and with a signed token leaves one list and answers 200, no redirect."""

import datetime

from django.core import signing
from django.test import Client

from samen.communication.models import Channel, Frequency, Preference, Profile, Topic
from samen.communication.selectors import preferences_for
from samen.communication.unsubscribe import SALT, unsubscribe_token


def email_cells(user):
    grid = preferences_for([user.pk])[user.pk]
    return {topic: grid[(topic, Channel.EMAIL)] for topic in Topic.values}


def test_a_one_click_post_without_cookies_leaves_the_daily_digest_with_200(member):
    client = Client(enforce_csrf_checks=True)  # a mail provider: no session, no CSRF token
    token = unsubscribe_token(member, "daily")
    response = client.post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    cells = email_cells(member)
    assert Frequency.DAILY not in cells.values()
    assert cells[Topic.PROGRESS] == Frequency.WEEKLY  # only that one list: the weekly digest stays
    assert cells[Topic.MEETINGS] == Frequency.IMMEDIATELY


def test_the_newsletter_link_withdraws_the_consent(member):
    Profile.objects.create(user=member, newsletter_consent=True)
    token = unsubscribe_token(member, "newsletter")
    assert Client().post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}).status_code == 200
    profile = Profile.objects.get(user=member)
    assert not profile.newsletter_consent and profile.newsletter_consent_at is None


def test_the_link_opened_in_a_browser_offers_send_less_often_before_unsubscribe(client, member):
    token = unsubscribe_token(member, "daily")
    page = client.get(f"/unsubscribe/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index("Send less often") < page.index("Unsubscribe</button>")
    assert email_cells(member)[Topic.NEWS] == Frequency.DAILY  # opening the page changes nothing


def test_send_less_often_moves_the_daily_topics_to_the_weekly_digest(client, member):
    token = unsubscribe_token(member, "daily")
    assert client.post(f"/unsubscribe/{token}/", {"choice": "less"}).status_code == 200
    cells = email_cells(member)
    assert cells[Topic.NEWS] == Frequency.WEEKLY and Frequency.DAILY not in cells.values()


def test_a_forged_token_gets_a_clear_page_and_changes_nothing(client, member):
    forged = unsubscribe_token(member, "daily")[:-3] + "abc"
    response = client.post(f"/unsubscribe/{forged}/", {"List-Unsubscribe": "One-Click"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "This link does not work" in response.content.decode()
    assert not Preference.objects.exists()


def test_an_expired_token_changes_nothing(client, member):
    from unittest import mock

    token = unsubscribe_token(member, "daily")
    later = datetime.datetime.now().timestamp() + 400 * 24 * 3600
    with mock.patch("time.time", return_value=later):
        response = client.post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_a_token_for_another_list_name_is_refused(client, member):
    token = signing.dumps({"u": member.pk, "l": "everything"}, salt=SALT, compress=True)
    assert client.post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}).status_code == 400


def test_after_unsubscribing_the_next_daily_digest_is_not_sent(member):
    from samen.communication.digests import digests_send
    from samen.communication.services import users_notify

    token = unsubscribe_token(member, "daily")
    Client().post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    users_notify(topic=Topic.NEWS, user_ids=[member.pk], texts={"nl": "nog iets"})
    assert digests_send("daily", now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)) == 0


def test_the_token_of_a_deleted_account_gets_the_done_page_and_writes_nothing(member):
    """Review finding 5: mails outlive accounts; the link of a deleted one answers 200 and creates no rows."""
    tokens = {name: unsubscribe_token(member, name) for name in ("daily", "newsletter")}
    user_id = member.pk
    member.delete()
    for name, token in tokens.items():
        for data in ({"List-Unsubscribe": "One-Click"}, {"choice": "less"}):
            response = Client().post(f"/unsubscribe/{token}/", data)
            assert response.status_code == 200, name
    assert not Preference.objects.filter(user_id=user_id).exists()
    assert not Profile.objects.filter(user_id=user_id).exists()
