"""allauth's mails (sign-up, password reset, sign-in code, ...) are built by the one mail builder and go through
the task interface: a mail server that is down breaks no page."""

import re

import pytest
from django.core.cache import cache

from conftest import message_text


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def unreachable_mail_server(settings):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port  # nothing listens here


def test_sign_up_answers_when_the_mail_server_is_unreachable(
    client, db, unreachable_mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/en/account/signup/",
            {
                "email": "nieuw@example.org",
                "first_name": "Nieuw",
                "last_name": "Lid",
                "password1": "een-Goed-wachtw00rd",
                "password2": "een-Goed-wachtw00rd",
            },
        )
    assert response.status_code == 302
    assert callbacks, "the verification mail is queued, not sent in the request"


def test_password_reset_answers_when_the_mail_server_is_unreachable(
    client, member, unreachable_mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/en/account/password/reset/", {"email": "mila@example.org"})
    assert response.status_code == 302
    assert callbacks


def test_the_queued_mail_arrives_through_a_working_server(
    client, member, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/account/password/reset/", {"email": "mila@example.org"})
    assert len(smtp_inbox.messages) == 1
    assert smtp_inbox.messages[0]["To"] == "mila@example.org"
    assert smtp_inbox.messages[0]["Subject"].startswith("[Samen]")


# --- allauth's mails through the one mail builder ------------------------------------------------------------

SITE = "https://samen.example.org"


@pytest.fixture
def site(settings):
    """The site's address differs from the host the request came in on (as behind a proxy, or `samen serve`
    on another port): the mails must link to SITE_URL."""
    settings.SITE_URL = SITE
    return {"HTTP_HOST": "127.0.0.1:8765"}


def html_of(message) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/html"]
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def assert_built_by_samen(message, language: str) -> str:
    """The base layout in the recipient's language, Samen's words (not allauth's), nothing of the request's host."""
    text, html = message_text(message), html_of(message)
    assert f'<html lang="{language}">' in html and f'<a href="{SITE}/">' in html  # email/base.html
    assert "127.0.0.1" not in text + html and "Hello from" not in text and "Thank you for using" not in text
    assert message["Subject"].startswith("[Samen] ")
    return text


def site_links(text: str) -> list[str]:
    return re.findall(rf"{re.escape(SITE)}/\S+", text)


def sign_up(client, site, lang: str, email: str, first_name: str) -> None:
    """The sign-up form posted in `lang`, as someone called `first_name` Lid."""
    password = "een-Goed-wachtw00rd"
    form = {"email": email, "first_name": first_name, "last_name": "Lid", "password1": password, "password2": password}
    client.post(f"/{lang}/account/signup/", form, **site)


def test_a_password_reset_is_samens_mail_in_the_account_holders_language_with_a_link_from_site_url(
    client, member, site, smtp_inbox, django_capture_on_commit_callbacks
):
    from samen.communication.models import Profile

    Profile.objects.create(user=member, language="en")  # "language of my mail": English
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nl/account/password/reset/", {"email": "mila@example.org"}, **site)  # a Dutch page
    [message] = smtp_inbox.messages
    text = assert_built_by_samen(message, "en")
    assert message["Subject"] == "[Samen] Choose a new password"
    [link] = site_links(text)
    assert link.startswith(f"{SITE}/en/account/password/reset/key/")
    assert "Mila" not in text and "Lid" not in text  # nothing personal the mail does not need
    page = client.get(link.removeprefix(SITE), follow=True)  # the link is a working one
    assert page.status_code == 200 and b"password1" in page.content


def test_the_confirmation_of_a_new_account_is_in_the_language_it_signed_up_in_and_names_nobody(
    client, db, site, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, site, "en", "nieuw@example.org", "Nieuw")
    [message] = smtp_inbox.messages
    text = assert_built_by_samen(message, "en")
    assert message["Subject"] == "[Samen] Confirm your email address"
    assert "Nieuw" not in text and "Lid" not in text  # the address may be someone else's: no name of who typed it
    [link] = site_links(text)
    assert link.startswith(f"{SITE}/en/account/confirm-email/")
    assert client.get(link.removeprefix(SITE)).status_code == 200


def test_a_sign_in_code_is_in_dutch_for_a_dutch_reader(
    client, member, site, smtp_inbox, django_capture_on_commit_callbacks
):
    from samen.communication.models import Profile

    Profile.objects.create(user=member, language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/account/login/code/", {"email": "mila@example.org"}, **site)  # an English page
    [message] = smtp_inbox.messages
    text = assert_built_by_samen(message, "nl")
    assert message["Subject"] == "[Samen] Je aanmeldcode"
    [code] = re.findall(r"^([A-Z0-9-]{6,})\s*$", text, re.MULTILINE)  # the code, on a line of its own
    signed_in = client.post("/en/account/login/code/confirm/", {"code": code}, **site)
    assert signed_in.status_code == 302 and client.session.get("_auth_user_id") == str(member.pk)


def test_signing_up_with_an_address_that_has_an_account_and_asking_a_reset_for_one_without(
    client, member, site, smtp_inbox, django_capture_on_commit_callbacks
):
    """The two mails that keep allauth from telling a visitor which addresses have an account: Samen's too."""
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, site, "nl", "mila@example.org", "Mila")
        client.post("/nl/account/password/reset/", {"email": "niemand@example.org"}, **site)
    exists, unknown = smtp_inbox.messages
    assert exists["To"] == "mila@example.org" and unknown["To"] == "niemand@example.org"
    assert exists["Subject"] == "[Samen] Je hebt al een account"
    assert site_links(assert_built_by_samen(exists, "nl"))[0].startswith(f"{SITE}/nl/account/password/reset/")
    assert unknown["Subject"] == "[Samen] Geen account met dit e-mailadres"
    assert site_links(assert_built_by_samen(unknown, "nl"))[0].startswith(f"{SITE}/nl/account/signup/")


# allauth's mails Samen does not send, each with why: the test fails when allauth adds one, or a setting turns one on.
NOT_SENT_HERE = {
    **dict.fromkeys(
        [f"account/email/{n}" for n in ("email_changed", "email_deleted", "password_changed", "password_reset")]
        + [f"account/email/{n}" for n in ("password_set",)]
        + [f"mfa/email/{n}" for n in ("recovery_codes_generated", "totp_activated", "totp_deactivated")]
        + [f"mfa/email/{n}" for n in ("webauthn_added", "webauthn_removed")],
        "notifications: ACCOUNT_EMAIL_NOTIFICATIONS is off",
    ),
    "account/email/password_reset_code": "ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED is off",
    "account/email/email_confirm": "a template no code of allauth's sends",
    "socialaccount/email/account_connected": "allauth.socialaccount is not installed",
    "socialaccount/email/account_disconnected": "allauth.socialaccount is not installed",
}


def test_every_mail_allauth_can_send_here_has_a_template_of_samens(settings):
    """The adapter refuses a mail it has no template for (so allauth's text never reaches anyone): every other
    mail allauth has must stay one Samen does not send."""
    from pathlib import Path

    import allauth
    from allauth.account import app_settings

    from samen.network.adapters import ACCOUNT_MAILS

    stock = Path(allauth.__file__).parent / "templates"
    mails = {str(p.relative_to(stock)).removesuffix("_subject.txt") for p in stock.glob("*/email/*_subject.txt")}
    assert mails == set(ACCOUNT_MAILS) | set(NOT_SENT_HERE)
    assert not app_settings.EMAIL_NOTIFICATIONS and not app_settings.PASSWORD_RESET_BY_CODE_ENABLED
    assert "allauth.socialaccount" not in settings.INSTALLED_APPS
