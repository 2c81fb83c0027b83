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


def test_a_member_cannot_make_themselves_an_editor_or_confirm_their_role(client, member, org):
    client.force_login(member)
    client.post(
        "/en/profile/",
        _profile_form(**{"orgs-0-organisation": org.pk, "orgs-0-is_editor": "on", "orgs-0-is_confirmed": "on"}),
    )
    membership = Membership.objects.get(member__user=member)
    assert not membership.is_editor
    assert not membership.is_confirmed


def test_an_editor_cannot_move_their_editor_row_to_another_organisation(client, editor, org, other_org):
    row = Membership.objects.get(member__user=editor)
    client.force_login(editor)
    response = client.post(
        "/en/profile/",
        _profile_form(
            **{
                "orgs-TOTAL_FORMS": "2",
                "orgs-INITIAL_FORMS": "1",
                "orgs-0-id": row.pk,
                "orgs-0-member": editor.member.pk,
                "orgs-0-organisation": other_org.pk,
                "orgs-0-role_title": "coördinator",
            }
        ),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.organisation == org
    assert client.get(f"/en/partners/{other_org.slug}/edit/").status_code == 403


def test_changing_a_confirmed_role_asks_the_organisation_again(client, member, org):
    row = Membership.objects.create(member=member.member, organisation=org, role_title="volunteer", is_confirmed=True)
    client.force_login(member)
    client.post(
        "/en/profile/",
        _profile_form(
            **{
                "orgs-TOTAL_FORMS": "2",
                "orgs-INITIAL_FORMS": "1",
                "orgs-0-id": row.pk,
                "orgs-0-member": member.member.pk,
                "orgs-0-role_title": "director",
            }
        ),
    )
    row.refresh_from_db()
    assert row.role_title == "director"
    assert not row.is_confirmed


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
        {"organisation": "Wijkzorg Runkst", "role": "volunteer", "confirmed": False, "editor": False}
    ]


def test_the_export_holds_what_others_did_to_the_account(client, member, coordinator):
    from django.contrib.auth.models import Group

    client.force_login(coordinator)
    response = client.post(
        f"/en/admin/network/user/{member.pk}/change/",
        {
            "email": member.email,
            "first_name": "Mila",
            "last_name": "Lid",
            "is_active": "on",
            "groups": [Group.objects.get(name="partner-editors").pk],
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    client.force_login(member)
    data = json.loads(client.get("/en/profile/my-data.json").content)
    assert [e["action"] for e in data["audit_entries_about_me"]] == ["user.roles_changed"]


def test_deleting_the_account_needs_the_password(client, member):
    client.force_login(member)
    response = client.post("/en/profile/delete/", {"password": "wrong", "confirm": "on"})
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_a_member_deletes_their_account_and_nothing_personal_is_left(client, member, org, coordinator):
    row = Membership.objects.create(member=member.member, organisation=org)
    from samen.core.audit import audit_log

    audit_log(actor=coordinator, action="user.roles_changed", obj=member)
    audit_log(actor=coordinator, action="membership.rights_changed", obj=row)
    client.force_login(member)
    response = client.post("/en/profile/delete/", {"password": "a-Good-passw0rd", "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email="mila@example.org").exists()
    assert not Member.objects.filter(pk=member.member.pk).exists()
    assert not Membership.objects.filter(pk=row.pk).exists()
    entry = AuditEntry.objects.get(action="account.deleted")
    assert "mila" not in json.dumps(entry.changes) + entry.object_repr
    trail = " ".join(e.object_repr + json.dumps(e.changes) for e in AuditEntry.objects.all()).lower()
    assert AuditEntry.objects.count() == 3
    assert "mila" not in trail
    assert client.get("/en/profile/").status_code == 302  # signed out


def test_the_organisation_list_of_the_profile_shows_a_change_on_the_next_page(client, member, make_org):
    """The list of every organisation is kept by the process under the organisations' data version."""
    org = make_org()
    client.force_login(member)
    assert f">{org.name}</option>" in client.get("/en/profile/").content.decode()
    org.name = "Buurtwerk Nieuw"
    org.save()
    added = make_org()
    page = client.get("/en/profile/").content.decode()
    assert ">Buurtwerk Nieuw</option>" in page
    assert f">{added.name}</option>" in page


def test_the_profile_tells_an_editor_they_may_edit_their_organisations_page(client, editor):
    client.force_login(editor)
    page = client.get("/nl/profile/").content.decode()
    assert "Je mag de pagina van deze organisatie aanpassen." in page


def test_the_profile_does_not_tell_a_former_editor_they_may_edit(client, org):
    """Review rule6 #2: the editor mark alone (out of the group `partner-editors`) gives no right, so no badge."""
    from samen.core.tests.factories import make_former_editor

    client.force_login(make_former_editor(org))
    page = client.get("/nl/profile/").content.decode()
    assert "Je mag de pagina van deze organisatie aanpassen." not in page
    assert "Deze rol wacht op bevestiging door de organisatie." not in page  # nor that a confirmation is coming
