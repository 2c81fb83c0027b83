"""The one mail builder: a named template in the recipient's language, absolute links, one layout."""

import pytest
from django.core import mail

from samen.core.mail import absolute_url, mail_enqueue, mail_message


def test_absolute_links_start_with_the_site_address(settings):
    settings.SITE_URL = "https://samen.example.org/"
    assert absolute_url("/nl/news/") == "https://samen.example.org/nl/news/"
    assert absolute_url("nl/news/") == "https://samen.example.org/nl/news/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


def test_a_mail_is_built_from_its_named_templates_in_the_recipients_language(db):
    context = {"proposal": type("P", (), {"name": "Buurtzorg", "reason": ""})(), "user": None, "accepted": True}
    dutch = mail_message("network/partner_decision", to="a@example.org", context=context, language="nl")
    english = mail_message("network/partner_decision", to="a@example.org", context=context, language="en")
    assert dutch.subject.startswith("[Samen] ")
    assert dutch.subject != english.subject
    assert dutch.to == ["a@example.org"]
    html = dutch.alternatives[0][0]
    assert '<html lang="nl">' in html
    assert "http://testserver/" in html  # the base layout's footer links to the site


def test_headers_are_set_in_the_one_place(db):
    message = mail_message(
        "network/partner_decision",
        to=["a@example.org"],
        context={"proposal": None, "user": None, "accepted": False},
        language="en",
        headers={"List-Unsubscribe": "<https://samen.example.org/u/x>"},
    )
    assert message.extra_headers["List-Unsubscribe"] == "<https://samen.example.org/u/x>"


def test_a_name_without_its_app_is_refused():
    with pytest.raises(ValueError, match="app/name"):
        mail_message("invitation", to="a@example.org", context={}, language="nl")


@pytest.mark.django_db(transaction=True)
def test_an_enqueued_mail_is_sent_after_the_commit(settings):
    settings.SAMEN_TASKS = "inline"
    from django.db import transaction

    with transaction.atomic():
        mail_enqueue(
            "network/partner_decision",
            to="a@example.org",
            context={"proposal": None, "user": None, "accepted": True},
            language="nl",
        )
        assert mail.outbox == []
    assert len(mail.outbox) == 1
