import re

import pytest


@pytest.mark.parametrize(
    ("url", "current"),
    [("/en/activities/", "Activities"), ("/en/events/", "Events"), ("/en/campaigns/", "Events"), ("/en/", None)],
)
def test_the_menu_marks_at_most_one_current_page(client, db, url, current):
    body = client.get(url).content.decode()
    marked = re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', body)
    assert marked == ([current] if current else [])


def test_an_activitys_own_events_page_belongs_to_activities(client, activity):
    body = client.get(f"/en/activities/{activity.slug}/events/").content.decode()
    assert re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', body) == ["Activities"]
