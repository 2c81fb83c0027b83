"""A person's event registrations are in the data they download (GDPR art. 15 and 20)."""

import json

from samen.activities.events.models import Registration
from samen.activities.events.services import registration_create
from samen.activities.tests.events.fixtures import register


def test_my_data_download_holds_my_registrations_and_no_one_elses(client, member, event, make_event):
    mine = register(event, member.email, member=member.member, resident=True)
    other_event = make_event(title="Dementievriendelijke wandeling")
    # Made as a visitor with the same address before signing in: also theirs.
    earlier = registration_create(event=other_event, name="Mila", email=member.email, is_resident=False, language="nl")
    register(event, "someone@example.org")
    client.force_login(member)
    data = json.loads(client.get("/en/profile/my-data.json").content)
    exported = data["event_registrations"]
    assert [(r["event"], r["code"], r["status"]) for r in exported] == [
        (event.title, mine.code, "confirmed"),
        (other_event.title, earlier.code, "pending"),
    ]
    assert exported[0]["lives_here"] is True and exported[0]["email"] == member.email
    assert "someone@example.org" not in json.dumps(data)
    assert Registration.objects.count() == 3
