import datetime

from samen.communication import demo
from samen.communication.models import ActionItem, Meeting, NewsItem, Newsletter, WorkingGroup


def test_the_demo_has_news_a_newsletter_and_groups_with_a_past_and_an_upcoming_meeting(make_domain, make_org):
    make_domain()
    make_domain()
    for _ in range(4):
        make_org()
    today = datetime.date.today()
    demo.load(today=today)
    demo.load(today=today)  # a second run changes nothing
    assert NewsItem.objects.filter(published_at__isnull=False).count() == 3
    assert NewsItem.objects.filter(published_at__isnull=True).count() == 1
    assert Newsletter.objects.count() == 1
    assert WorkingGroup.objects.count() == 2
    past = Meeting.objects.filter(title="Overleg voorjaar").first()
    assert past.decisions.exists() and past.minutes
    assert Meeting.objects.filter(title="Overleg zomer").count() == 2
    assert ActionItem.objects.overdue().count() == 2
    group = WorkingGroup.objects.order_by("pk").first()
    assert group.name_nl.startswith("Werkgroep ") and group.name_en.endswith(" working group")
    assert group.description_nl and group.description_en
