import datetime

from django.utils import timezone


def test_the_activity_page_lists_its_next_events_and_links_to_all_of_them(client, activity, make_event):
    soon = make_event(activity=activity, title="Buurtbabbel in Runkst")
    make_event(
        activity=activity,
        title="Afgelopen babbel",
        starts_at=timezone.now() - datetime.timedelta(days=9),
        ends_at=timezone.now() - datetime.timedelta(days=9, hours=-2),
    )
    body = client.get(f"/nl/activities/{activity.slug}/").content.decode()
    assert f"/nl/events/{soon.slug}/" in body
    assert "Afgelopen babbel" not in body
    assert f"/nl/activities/{activity.slug}/events/" in body
    assert f"/nl/activities/{activity.slug}/events.ics" in body
