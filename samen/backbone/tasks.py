"""Background work of the backbone: reminders of reports due to funders."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from samen.backbone.services import reporting_reminders_due
from samen.core.mail import absolute_url, mail_send
from samen.core.periodic import periodic
from samen.core.permissions import BACKBONE
from samen.network.models import User

REMIND_DAYS_BEFORE = 14


@periodic(every=datetime.timedelta(hours=6))
def remind_reports_due() -> int:
    """Mail the backbone about every report due within two weeks, once per report (marked as reminded
    in the same transaction that picks it, so a job that runs twice or late neither repeats nor skips)."""
    due = reporting_reminders_due(today=timezone.localdate(), days_before=REMIND_DAYS_BEFORE)
    if not due:
        return 0
    people = User.objects.filter(Q(groups__name=BACKBONE) | Q(is_superuser=True), is_active=True).distinct()
    with translation.override(settings.LANGUAGE_CODE):
        link = absolute_url(reverse("backbone:funding"))
    reports = [
        {"funder": r.grant.funder.name, "grant": r.grant.title, "what": r.what, "due_on": r.due_on.isoformat()}
        for r in due
    ]
    for person in people:
        mail_send(
            "backbone/reports_due",
            to=person.email,
            context={"user": person, "reports": reports, "link": link},
            language=settings.LANGUAGE_CODE,
        )
    return len(due)
