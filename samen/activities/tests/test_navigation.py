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
