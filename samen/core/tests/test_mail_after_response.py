"""A slow or unreachable mail server never holds up the page that asked for an account mail."""

import threading
import time

import pytest
from django.core.mail.backends.base import BaseEmailBackend

SENT: list = []


class SlowBackend(BaseEmailBackend):
    def send_messages(self, messages):
        time.sleep(1.5)
        SENT.extend(messages)
        return len(messages)


@pytest.mark.django_db(transaction=True)
def test_the_password_reset_page_answers_before_a_slow_mail_server(client, member, settings):
    settings.EMAIL_BACKEND = "samen.core.tests.test_mail_after_response.SlowBackend"
    settings.SAMEN_TASKS = "inline"
    settings.SAMEN_MAIL_AFTER_RESPONSE = True
    SENT.clear()
    started = time.monotonic()
    response = client.post("/en/account/password/reset/", {"email": "mila@example.org"})
    assert response.status_code == 302
    assert time.monotonic() - started < 1.0
    for thread in threading.enumerate():
        if thread.name.startswith("samen-mail"):
            thread.join(5)
    assert len(SENT) == 1


def test_the_mail_server_has_a_timeout(settings):
    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT <= 30


@pytest.mark.django_db
def test_a_reset_link_travels_to_the_broker_encrypted_and_the_worker_sends_it(
    client, member, settings, django_capture_on_commit_callbacks, mailoutbox
):
    import json
    from unittest import mock

    from samen.celery_app import app

    settings.SAMEN_TASKS = "celery"
    with mock.patch.object(app, "send_task") as send, django_capture_on_commit_callbacks(execute=True):
        assert client.post("/en/account/password/reset/", {"email": "mila@example.org"}).status_code == 302
    (name,), sent = send.call_args
    on_the_wire = json.dumps(sent["args"])
    assert "mila@example.org" not in on_the_wire
    assert "/password/reset/key/" not in on_the_wire
    assert mailoutbox == []

    app.tasks[name](*sent["args"])  # what a worker does with the message
    assert mailoutbox[0].to == ["mila@example.org"]
    assert "/password/reset/key/" in mailoutbox[0].body
