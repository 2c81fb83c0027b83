"""Reports due to funders: the backbone gets one mail per report within two weeks, never twice."""

import datetime

from django.utils import timezone

from conftest import message_text
from samen.backbone.models import ReportingDue
from samen.backbone.tasks import remind_reports_due
from samen.core.periodic import jobs


def test_the_reminder_is_a_periodic_job():
    assert remind_reports_due.task_name in {job.name for job in jobs()}


def test_the_backbone_is_reminded_once_of_a_report_due_within_two_weeks(smtp_inbox, coordinator, member, make_grant):
    today = timezone.localdate()
    grant = make_grant()
    soon = ReportingDue.objects.create(
        grant=grant, due_on=today + datetime.timedelta(days=10), what="Tussentijds verslag"
    )
    ReportingDue.objects.create(grant=grant, due_on=today + datetime.timedelta(days=60), what="Eindverslag")
    ReportingDue.objects.create(
        grant=grant, due_on=today + datetime.timedelta(days=3), what="Al ingediend", submitted_on=today
    )
    assert remind_reports_due() == 1
    assert remind_reports_due() == 0  # a second run (or a late one) sends nothing again
    assert [m["To"] for m in smtp_inbox.messages] == [coordinator.email]
    text = message_text(smtp_inbox.messages[0])
    assert "Tussentijds verslag" in text and "Eindverslag" not in text and "Al ingediend" not in text
    assert "/nl/backbone/funding/" in text
    soon.refresh_from_db()
    assert soon.reminded_on == today
