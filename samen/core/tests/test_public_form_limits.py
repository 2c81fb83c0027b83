"""Public forms are rate-limited per client address (the one the trusted proxy reports), with a clear message."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_an_invitation_form_posted_too_often_from_one_address_says_so(client, member):
    client.force_login(member)
    answers = [client.post("/en/network/invite/", {"email": "x"}).status_code for _ in range(11)]
    assert 429 not in answers[:10]
    response = client.post("/en/network/invite/", {"email": "x"})
    assert response.status_code == 429
    assert "This form was sent too often from your connection" in response.content.decode()


def test_visitors_behind_the_proxy_are_counted_by_their_own_address(client, member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.force_login(member)
    for _ in range(10):
        client.post("/en/network/invite/", {"email": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.post("/en/network/invite/", {"email": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post("/en/network/invite/", {"email": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code != 429


def test_sign_up_is_rate_limited_with_the_same_clear_message(client, db):
    answers = [
        client.post("/en/account/signup/", {"email": f"p{i}@example.org", "password1": "x", "password2": "y"})
        for i in range(11)
    ]
    assert answers[-1].status_code == 429
    assert "This form was sent too often from your connection" in answers[-1].content.decode()


def test_a_visitor_registering_for_events_too_often_is_stopped(client, db):
    answers = [client.post("/en/events/no-such-event/register/", {}).status_code for _ in range(11)]
    assert answers[:10] == [404] * 10
    assert answers[10] == 429
