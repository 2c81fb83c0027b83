"""Sign-up and password-reset mails go through the task interface: a mail server that is down breaks no page."""

import pytest
from django.core.cache import cache


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
