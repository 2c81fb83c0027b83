"""Reports due to funders: the backbone gets one mail per report within two weeks, marked as reminded
only once the mail went out; a failed mail is sent by the next run, and nothing is mailed twice."""

import datetime

import pytest
from django.utils import timezone

from conftest import _free_port, message_text
from samen.backbone import services
from samen.backbone.models import ReportingDue
from samen.backbone.tasks import remind_reports_due
from samen.core.periodic import jobs


def test_the_reminder_is_a_periodic_job():
    assert remind_reports_due.task_name in {job.name for job in jobs()}


@pytest.fixture
def reports(make_grant):
    today = timezone.localdate()
    grant = make_grant()
    soon = ReportingDue.objects.create(
        grant=grant, due_on=today + datetime.timedelta(days=10), what="Tussentijds verslag"
    )
    ReportingDue.objects.create(grant=grant, due_on=today + datetime.timedelta(days=60), what="Eindverslag")
    ReportingDue.objects.create(
        grant=grant, due_on=today + datetime.timedelta(days=3), what="Al ingediend", submitted_on=today
    )
    return soon


def test_the_backbone_is_reminded_once_of_a_report_due_within_two_weeks(
    smtp_inbox, settings, coordinator, admin_user, member, reports
):
    assert remind_reports_due() == 1
    assert remind_reports_due() == 0  # a second run (or a late one) sends nothing again
    # To the platform; the team in Bcc, so no one's address is shown to the others.
    assert [m["To"] for m in smtp_inbox.messages] == [settings.DEFAULT_FROM_EMAIL]
    (envelope,) = smtp_inbox.recipients
    assert {coordinator.email, admin_user.email} <= set(envelope) and len(envelope) == 3  # and the platform
    assert coordinator.email not in smtp_inbox.messages[0].as_string()
    assert admin_user.email not in smtp_inbox.messages[0].as_string()
    text = message_text(smtp_inbox.messages[0])
    assert "Tussentijds verslag" in text and "Eindverslag" not in text and "Al ingediend" not in text
    assert "/nl/backbone/funding/" in text
    reports.refresh_from_db()
    assert reports.reminded_on == timezone.localdate() and reports.reminder_claimed_at is None


def test_a_failed_mail_leaves_the_report_unreminded_and_the_next_run_sends_it_once(
    smtp_inbox, settings, coordinator, reports
):
    working = settings.EMAIL_PORT
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = _free_port(), 2  # nobody listens there
    with pytest.raises(OSError):
        remind_reports_due()
    reports.refresh_from_db()
    assert reports.reminded_on is None and reports.reminder_claimed_at is None
    assert smtp_inbox.messages == []
    settings.EMAIL_PORT = working  # the mail server is back
    assert remind_reports_due() == 1
    assert remind_reports_due() == 0
    assert len(smtp_inbox.messages) == 1
    reports.refresh_from_db()
    assert reports.reminded_on == timezone.localdate()


def test_a_run_that_overlaps_another_leaves_its_reports_alone(smtp_inbox, coordinator, reports):
    now = timezone.now()
    claimed = services.reporting_reminders_claim(today=timezone.localdate(), now=now)
    assert claimed == [reports]
    assert remind_reports_due() == 0  # the first run is still mailing them
    assert smtp_inbox.messages == []
    services.reporting_reminders_sent(claimed=claimed, now=now, today=timezone.localdate())
    assert remind_reports_due() == 0


def test_a_claim_of_a_run_that_died_is_taken_over_after_an_hour(smtp_inbox, coordinator, reports):
    ReportingDue.objects.filter(pk=reports.pk).update(
        reminder_claimed_at=timezone.now() - services.REMINDER_CLAIM_TIMEOUT - datetime.timedelta(minutes=1)
    )
    assert remind_reports_due() == 1
    assert len(smtp_inbox.messages) == 1


def test_the_reminder_waits_when_the_backbone_has_nobody_to_mail(smtp_inbox, coordinator, reports):
    type(coordinator).objects.update(is_active=False)
    assert remind_reports_due() == 0
    reports.refresh_from_db()
    assert reports.reminded_on is None and reports.reminder_claimed_at is None


@pytest.mark.parametrize(
    ("language", "month"), [("nl", {12: " dec ", 1: " jan "}), ("en", {12: " Dec. ", 1: " Jan. "})]
)
def test_the_reminder_writes_the_due_date_in_the_mail_s_language(
    smtp_inbox, settings, coordinator, make_grant, language, month
):
    """A date in a mail is for people: "17 dec 2026" in Dutch, "17 Dec. 2026" in English; never 2026-12-17."""
    settings.LANGUAGE_CODE = language
    due = timezone.localdate() + datetime.timedelta(days=10)
    ReportingDue.objects.create(grant=make_grant(), due_on=due, what="Tussentijds verslag")
    assert remind_reports_due() == 1
    text = message_text(smtp_inbox.messages[0])
    assert due.isoformat() not in text
    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override(language):
        written = date_format(due, "j N Y")
    assert f"- {written}: Tussentijds verslag" in text
    if due.month in month:
        assert month[due.month] in written
