"""A member's profile, and their rights over their data (GDPR art. 15, 17 and 20)."""

import json

from samen.core.models import AuditEntry
from samen.network.models import Area, Member, Membership, User


def _profile_form(**changes):
    data = {
        "name-first_name": "Mila",
        "name-last_name": "Peeters",
        "profile-bio": "",
        "orgs-TOTAL_FORMS": "1",
        "orgs-INITIAL_FORMS": "0",
        "orgs-MIN_NUM_FORMS": "0",
        "orgs-MAX_NUM_FORMS": "10",
    }
    data.update(changes)
    return data


def test_a_member_edits_their_profile(client, member, org, make_domain):
    wijk = Area.objects.create(code="runkst", name="Runkst", kind="neighbourhood", path="/runkst/")
    domain = make_domain()
    client.force_login(member)
    response = client.post(
        "/en/profile/",
        _profile_form(
            **{
                "profile-neighbourhood": wijk.pk,
                "profile-interests": [domain.pk],
                "profile-show_publicly": "on",
                "orgs-0-organisation": org.pk,
                "orgs-0-role_title": "volunteer",
            }
        ),
    )
    assert response.status_code == 302
    profile = Member.objects.get(user=member)
    assert profile.user.last_name == "Peeters"
    assert profile.neighbourhood == wijk
    assert list(profile.interests.all()) == [domain]
    assert profile.show_publicly
    membership = Membership.objects.get(member=profile)
    assert membership.role_title == "volunteer"
    assert not membership.is_editor


def test_a_member_cannot_make_themselves_an_editor(client, member, org):
    client.force_login(member)
    client.post("/en/profile/", _profile_form(**{"orgs-0-organisation": org.pk, "orgs-0-is_editor": "on"}))
    assert not Membership.objects.get(member__user=member).is_editor
    assert not member.has_perm("network.edit_organisation", org)


def test_a_city_cannot_be_chosen_as_neighbourhood(client, member):
    city = Area.objects.create(code="hasselt", name="Hasselt", kind="city", path="/hasselt/")
    client.force_login(member)
    response = client.post("/en/profile/", _profile_form(**{"profile-neighbourhood": city.pk}))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_profile_page_costs_the_same_whatever_the_number_of_organisations(
    client, member, make_org, django_assert_max_num_queries
):
    for _ in range(3):
        make_org()
    client.force_login(member)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/en/profile/")
    for _ in range(30):
        make_org()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/en/profile/")


def test_a_member_downloads_all_their_data_as_json(client, member, org):
    Membership.objects.create(member=member.member, organisation=org, role_title="volunteer")
    client.force_login(member)
    response = client.get("/en/profile/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="samen-my-data-')
    data = json.loads(response.content)
    assert data["user"]["email"] == "mila@example.org"
    assert data["email_addresses"] == [{"email": "mila@example.org", "verified": True, "primary": True}]
    assert data["member"]["organisations"] == [
        {"organisation": "Wijkzorg Runkst", "role": "volunteer", "editor": False}
    ]


def test_deleting_the_account_needs_the_password(client, member):
    client.force_login(member)
    response = client.post("/en/profile/delete/", {"password": "wrong", "confirm": "on"})
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_a_member_deletes_their_account_and_nothing_personal_is_left(client, member, org):
    Membership.objects.create(member=member.member, organisation=org)
    client.force_login(member)
    response = client.post("/en/profile/delete/", {"password": "a-Good-passw0rd", "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email="mila@example.org").exists()
    assert not Member.objects.exists()
    assert not Membership.objects.exists()
    entry = AuditEntry.objects.get(action="account.deleted")
    assert "mila" not in json.dumps(entry.changes) + entry.object_repr
    assert client.get("/en/profile/").status_code == 302  # signed out
