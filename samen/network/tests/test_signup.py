"""Signing up, verifying the email address and resetting a password, with mail over real SMTP."""

import re

import pytest

from conftest import message_text
from samen.network.models import Member, User


@pytest.fixture(autouse=True)
def account_mails_sent_at_once(monkeypatch):
    """Account mails are queued until the commit, which the test's own transaction never reaches."""
    monkeypatch.setattr("samen.core.tasks.transaction.on_commit", lambda fn, *args, **kwargs: fn())


LINK = re.compile(r"https?://testserver(/\S+/)")


def _signup(client, lang="en", **changes):
    data = {
        "email": "noor@example.org",
        "first_name": "Noor",
        "last_name": "El Amrani",
        "password1": "Veer-kracht-2026",
        "password2": "Veer-kracht-2026",
        **changes,
    }
    return client.post(f"/{lang}/account/signup/", data)


def _link(message) -> str:
    match = LINK.search(message_text(message))
    assert match, message_text(message)
    return match.group(1)


def test_a_person_signs_up_verifies_their_address_and_becomes_a_member(client, db, smtp_inbox):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="noor@example.org")
    assert user.get_full_name() == "Noor El Amrani"
    assert Member.objects.filter(user=user).exists()
    assert client.get("/en/profile/").status_code == 302  # not signed in before verifying

    [mail] = smtp_inbox.messages
    assert mail["To"] == "noor@example.org"
    link = _link(mail)
    assert link.startswith("/en/account/confirm-email/")
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert client.get("/en/profile/").status_code == 200


def test_signing_up_in_dutch_sends_a_dutch_mail(client, db, smtp_inbox):
    _signup(client, lang="nl")
    [mail] = smtp_inbox.messages
    assert _link(mail).startswith("/nl/account/confirm-email/")
    assert "e-mailadres" in message_text(mail)


def test_an_unverified_person_cannot_sign_in(client, db, smtp_inbox):
    _signup(client)
    client.logout()
    response = client.post("/en/account/login/", {"login": "noor@example.org", "password": "Veer-kracht-2026"})
    assert response.status_code == 302
    assert response["Location"] == "/en/account/confirm-email/"
    assert client.get("/en/profile/").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort1", "This password is too short. It must contain at least 10 characters."),
        ("1234567890123", "This password is entirely numeric."),
        ("password123", "This password is too common."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, db, password, message):
    response = _signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_malformed_address_is_refused(client, db):
    response = _signup(client, email="noor@@example")
    assert "Enter a valid email address." in response.content.decode()
    assert not User.objects.exists()


def test_signing_up_twice_with_one_address_makes_one_account(client, member, smtp_inbox):
    _signup(client, email=member.email)
    assert User.objects.filter(email=member.email).count() == 1


def test_a_person_resets_a_forgotten_password(client, member, smtp_inbox):
    response = client.post("/en/account/password/reset/", {"email": member.email})
    assert response.status_code == 302
    [mail] = smtp_inbox.messages
    link = _link(mail)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(set_url, {"password1": "Nieuw-wachtwoord-9", "password2": "Nieuw-wachtwoord-9"})
    assert response.status_code == 302
    client.logout()
    response = client.post("/en/account/login/", {"login": member.email, "password": "Nieuw-wachtwoord-9"})
    assert response.status_code == 302
    assert client.get("/en/profile/").status_code == 200
