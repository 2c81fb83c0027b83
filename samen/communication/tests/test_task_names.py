"""Communication's mails moved from `communication.tasks` to `communication.mail` (rule6): a message queued
under the old name by the release before, during a deploy, must still run, or a digest is lost for good
(the Digest row is written before the mail is queued)."""

import datetime

import pytest
from django.utils import timezone

from samen.communication.models import Digest, Topic
from samen.communication.services import users_notify
from samen.core import tasks

OLD_DIGEST = "samen.communication.tasks.digest_mail"
OLD_NOTIFICATIONS = "samen.communication.tasks.notifications_email"


def _digest(user):
    now = timezone.now()
    return Digest.objects.create(user=user, kind="daily", window_start=now - datetime.timedelta(days=1), window_end=now)


def _celery(name):
    from samen.celery_app import app

    return app.tasks[name]


@pytest.mark.parametrize("way", ["inline", "celery"])
def test_a_digest_queued_under_its_old_name_is_still_mailed(member, mailoutbox, way):
    digest = _digest(member)
    context = {"name": member.first_name, "actions": [], "groups": []}
    if way == "inline":
        tasks.run(OLD_DIGEST, digest.pk, context, "nl")
    else:
        _celery(OLD_DIGEST)(digest.pk, context, "nl")
    assert [m.to for m in mailoutbox] == [[member.email]]


@pytest.mark.parametrize("way", ["inline", "celery"])
def test_notifications_queued_under_their_old_name_are_still_mailed(member, mailoutbox, way):
    users_notify(topic=Topic.MEETINGS, user_ids=[member.pk], texts={"nl": "Overleg"})  # meetings: immediately
    if way == "inline":
        tasks.run(OLD_NOTIFICATIONS, [member.pk])
    else:
        _celery(OLD_NOTIFICATIONS)([member.pk])
    assert [m.to for m in mailoutbox] == [[member.email]]
