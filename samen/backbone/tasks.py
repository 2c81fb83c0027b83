"""Background work of the backbone: reminders of reports due to funders."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from samen.backbone import services
from samen.core.mail import absolute_url, mail_message
from samen.core.periodic import periodic
from samen.core.permissions import BACKBONE
from samen.network.models import User

REMIND_DAYS_BEFORE = 14


@periodic(every=datetime.timedelta(hours=6))
def remind_reports_due() -> int:
    """Mail the backbone about every report due within two weeks, once per report.

    One mail to the whole backbone team (each in Bcc): it is sent or it is not, so a report is marked as reminded
    exactly when its mail went out. If the mail server fails, the reports are let go and the next
    run (every six hours) tries again; a run that overlaps another mails nothing twice."""
    now, today = timezone.now(), timezone.localdate()
    claimed = services.reporting_reminders_claim(today=today, now=now, days_before=REMIND_DAYS_BEFORE)
    if not claimed:
        return 0
    emails = sorted(
        set(
            User.objects.filter(Q(groups__name=BACKBONE) | Q(is_superuser=True), is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not emails:  # nobody to tell yet: try again when the backbone has someone
        services.reporting_reminders_release(claimed=claimed, now=now)
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        link = absolute_url(reverse("backbone:funding"))
    # Dates as dates: the mail writes them in its own language ("1 dec. 2026", "1 Dec. 2026").
    reports = [
        {"funder": r.grant.funder.name, "grant": r.grant.title, "what": r.what, "due_on": r.due_on} for r in claimed
    ]
    # Addressed to the platform, everyone of the team in Bcc: one message (sent or not), and nobody's
    # address is handed to the others.
    message = mail_message(
        "backbone/reports_due",
        to=settings.DEFAULT_FROM_EMAIL,
        context={"reports": reports, "link": link},
        language=settings.LANGUAGE_CODE,
    )
    message.bcc = emails
    try:
        message.send()
    except Exception:
        services.reporting_reminders_release(claimed=claimed, now=now)
        raise  # core.tasks logs it; the next run sends the mail
    services.reporting_reminders_sent(claimed=claimed, now=now, today=today)
    return len(claimed)
