"""The activities app tells the network map which organisations work together."""

import datetime
import json

from samen.activities.models import Activity
from samen.activities.network_ties import provide_activities
from samen.network import ties
from samen.network.models import Area


def test_published_activities_tie_their_lead_and_partner_organisations(org, other_org, make_org, make_domain):
    kiewit = Area.objects.create(code="kiewit", name="Kiewit", kind="neighbourhood", path="/hasselt/kiewit/")
    zorg = make_domain("zorg")
    activity = Activity.objects.create(
        slug="warme-buurt", title="Warme buurt", summary="s", lead_organisation=org, starts_on=datetime.date(2021, 3, 1)
    )
    activity.partner_organisations.set([other_org, org])
    activity.action_domains.set([zorg])
    activity.areas.set([kiewit])
    Activity.objects.create(slug="verborgen", title="Verborgen", summary="s", lead_organisation=org, is_published=False)
    [tie] = provide_activities()
    assert tie.organisation_ids == (org.pk, other_org.pk)  # the lead first, not twice
    assert (tie.key, tie.label, tie.domains, tie.area_paths, tie.year) == (
        "activity-" + str(activity.pk),
        "Warme buurt",
        ("zorg",),
        ("/hasselt/kiewit/",),
        2021,
    )


def test_the_provider_is_registered_and_a_new_partner_shows_on_the_map_at_once(client, org, other_org):
    activity = Activity.objects.create(slug="a", title="Samen koken", summary="s", lead_organisation=org)
    assert [t.label for t in ties.activities()] == ["Samen koken"]
    data = json.loads(client.get("/en/network/map/data.json").content)
    assert len(data["edges"]) == 1
    activity.partner_organisations.add(other_org)  # m2m_changed raises the data version
    data = json.loads(client.get("/en/network/map/data.json").content)
    assert len(data["edges"]) == 2
