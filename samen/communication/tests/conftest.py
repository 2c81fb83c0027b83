import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def publish_news(db):
    """A published news item by the backbone (or an organisation), tagged as asked."""

    def make(actor, *, title="Nieuw buurtcafé", organisation=None, domains=(), **fields):
        from samen.communication.models import NewsItem
        from samen.communication.services import news_save

        item = NewsItem(
            title_nl=title,
            summary_nl=fields.pop("summary_nl", "Kort"),
            body_nl=fields.pop("body_nl", "<p>Tekst</p>"),
            organisation=organisation,
            publish_at=fields.pop("publish_at", timezone.now() - datetime.timedelta(minutes=1)),
            **fields,
        )
        return news_save(item=item, actor=actor, tags={"action_domains": list(domains)})

    return make


@pytest.fixture
def group(db, org, other_org, make_domain):
    from samen.communication.models import WorkingGroup

    group = WorkingGroup.objects.create(
        slug="zorg-dichtbij", name="Werkgroep zorg dichtbij", action_domain=make_domain()
    )
    group.organisations.set([org, other_org])
    return group


@pytest.fixture
def past_meeting(group, org, other_org, editor):
    from samen.communication.models import ActionItem, Decision, Meeting, MeetingAttendance

    meeting = Meeting.objects.create(
        group=group,
        title="Overleg maart",
        starts_at=timezone.now() - datetime.timedelta(days=10),
        place="Stadhuis",
        minutes="<p>Verslag</p>",
        minutes_public=False,
    )
    Decision.objects.create(meeting=meeting, text="We starten een buurtcafé")
    ActionItem.objects.create(
        meeting=meeting,
        text="Zaal boeken",
        owner_organisation=org,
        owner=editor,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    ActionItem.objects.create(
        meeting=meeting,
        text="Flyer maken",
        owner_organisation=other_org,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    MeetingAttendance.objects.create(meeting=meeting, organisation=org, attended=True)
    MeetingAttendance.objects.create(meeting=meeting, organisation=other_org, attended=True)
    return meeting
