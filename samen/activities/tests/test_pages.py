"""The activity pages as people use them: browse, join a role, publish and edit, invite."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samen.activities.models import Activity, RoleInvitation, RoleSignup
from samen.core.models import AuditEntry

# --- The list -----------------------------------------------------------------------------------


def test_the_list_filters_by_domain_goal_area_sector_status_and_text(
    client, make_activity, make_domain, other_org, areas, domain_with_goal
):
    from samen.agenda.models import Goal

    moving = make_domain("hasselt-beweegt")
    walk_goal = Goal.objects.create(
        domain=moving, slug="beweeg", title_nl="Beweeg", title_en="Move", target="t", deadline=datetime.date(2030, 1, 1)
    )
    make_activity("Buurtbabbel", areas=[areas["runkst"]], description="koffie en een babbel")
    make_activity("Wandelclub", lead=other_org, domains=[moving], goals=[walk_goal], areas=[areas["terhilst"]])
    make_activity("Oud project", status="finished", areas=[areas["kiewit"]])
    make_activity("Verborgen", is_published=False)

    def titles(query):
        body = client.get(f"/en/activities/?{query}").content.decode()
        return {t for t in ("Buurtbabbel", "Wandelclub", "Oud project", "Verborgen") if t in body}

    assert titles("") == {"Buurtbabbel", "Wandelclub", "Oud project"}
    assert titles("domain=hasselt-beweegt") == {"Wandelclub"}
    assert titles("goal=een-lokaal-net-werkt") == {"Buurtbabbel", "Oud project"}
    assert titles("area=centrum") == {"Buurtbabbel", "Oud project"}  # a district includes its neighbourhoods
    assert titles("area=terhilst") == {"Wandelclub"}
    assert titles(f"sector={other_org.sector.slug}") == {"Wandelclub"}
    assert titles("status=finished") == {"Oud project"}
    assert titles("q=babbel") == {"Buurtbabbel"}
    assert titles("area=nowhere&page=abc") == set()
    assert client.get("/en/activities/?q=%00").status_code == 200


def test_the_list_says_how_many_places_are_open(client, activity, role, fitting_member):
    RoleSignup.objects.create(role=role, member=fitting_member)
    body = client.get("/en/activities/").content.decode()
    assert "Needs you: 1 of 2 volunteer place open" in body


def _bulk_activities(n, org, domain, areas):
    """Many activities at once, each with two areas, a domain and a role (as the list shows them)."""
    from samen.activities.models import Role

    start = Activity.objects.count()
    made = Activity.objects.bulk_create(
        Activity(slug=f"bulk-{start + i}", title=f"Bulk {start + i}", summary="s", lead_organisation=org)
        for i in range(n)
    )
    Activity.action_domains.through.objects.bulk_create(
        Activity.action_domains.through(activity=a, actiondomain=domain) for a in made
    )
    Activity.areas.through.objects.bulk_create(Activity.areas.through(activity=a, area=x) for a in made for x in areas)
    Role.objects.bulk_create(Role(activity=a, title="r", places=2, time_asked="t") for a in made)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_list_costs_the_same_queries_for_10_and_1000_activities(client, org, domain_with_goal, areas, lang):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/{lang}/activities/?page=2").status_code == 200
        return len(queries)

    wanted = [areas["runkst"], areas["kiewit"]]
    _bulk_activities(30, org, domain_with_goal.domain, wanted)  # two pages of 20: the second holds 10
    few = count()
    _bulk_activities(970, org, domain_with_goal.domain, wanted)
    assert count() == few


# --- The activity page and joining ----------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in_and_comes_back(client, activity, role):
    body = client.get("/en/activities/een-lokaal-net-werkt/").content.decode()
    assert "/en/account/login/?next=/en/activities/een-lokaal-net-werkt/" in body
    assert "/en/account/signup/?next=/en/activities/een-lokaal-net-werkt/" in body
    response = client.post(f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/join/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not RoleSignup.objects.exists()


def test_a_member_joins_a_role_once_and_never_beyond_its_places(client, activity, role, make_user):
    first, second, third = (make_user() for _ in range(3))
    url = f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/join/"
    client.force_login(first)
    client.post(url)
    response = client.post(url, follow=True)
    assert "You already signed up for this role." in response.content.decode()
    client.force_login(second)
    client.post(url)
    client.force_login(third)
    response = client.post(url, follow=True)
    assert "This role is full: every place is taken." in response.content.decode()
    assert RoleSignup.objects.filter(role=role).count() == 2
    assert AuditEntry.objects.filter(action="role.signed_up").count() == 2


def test_a_member_can_leave_a_role(client, activity, role, fitting_member):
    RoleSignup.objects.create(role=role, member=fitting_member)
    client.force_login(fitting_member.user)
    client.post(f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/leave/")
    assert not RoleSignup.objects.exists()


def test_a_role_of_another_activity_cannot_be_joined_through_this_one(
    client, activity, make_activity, make_role, member
):
    other = make_role(make_activity("Other"))
    client.force_login(member)
    assert client.post(f"/en/activities/een-lokaal-net-werkt/roles/{other.pk}/join/").status_code == 404
    assert client.post("/en/activities/een-lokaal-net-werkt/roles/999999/join/").status_code == 404


def test_a_finished_activity_takes_no_sign_ups(client, make_activity, make_role, member):
    finished = make_activity("Done", slug="done", status="finished")
    role = make_role(finished)
    client.force_login(member)
    response = client.post(f"/en/activities/done/roles/{role.pk}/join/", follow=True)
    assert "does not take sign-ups any more" in response.content.decode()


def test_an_unpublished_activity_is_hidden_except_from_its_editors(client, make_activity, member, editor):
    make_activity("Draft", slug="draft", is_published=False)
    assert client.get("/en/activities/draft/").status_code == 404
    client.force_login(member)
    assert client.get("/en/activities/draft/").status_code == 404
    client.force_login(editor)
    assert client.get("/en/activities/draft/").status_code == 200


def test_the_organiser_sees_filled_and_open_roles(client, activity, role, fitting_member, editor):
    RoleSignup.objects.create(role=role, member=fitting_member)
    client.force_login(editor)
    body = client.get("/en/activities/een-lokaal-net-werkt/").content.decode()
    assert "Filled and open roles" in body
    assert "Fien Buur" in body
    client.force_login(fitting_member.user)
    body = client.get("/en/activities/een-lokaal-net-werkt/").content.decode()
    assert "Filled and open roles" not in body
    assert "You signed up for this role." in body


def test_the_page_shows_performance_measures_with_small_counts_hidden(client, activity, make_indicator, put, areas):
    from samen.activities.models import PerformanceMeasure

    big = make_indicator(
        "three-numbers",
        unit="count",
        kind="value",
        direction="up",
        level="performance",
        name_en="People with three numbers",
    )
    small = make_indicator(
        "calls-made", unit="count", kind="value", direction="up", level="performance", name_en="Calls made"
    )
    put(big, 2025, value=190)
    put(small, 2025, value=3)
    PerformanceMeasure.objects.create(activity=activity, indicator=big, question="better-off")
    PerformanceMeasure.objects.create(activity=activity, indicator=small, question="how-much")
    body = client.get("/en/activities/een-lokaal-net-werkt/").content.decode()
    assert "Is anyone better off?" in body and "190" in body
    assert "How much did we do?" in body and "&lt; 5" in body
    assert ">3<" not in body


# --- Creating and editing -----------------------------------------------------------------------


def _form(org, domain, **extra):
    data = {
        "title": "Telefooncirkel",
        "summary": "Elke ochtend een telefoontje.",
        "lead_organisation": org.pk,
        "action_domains": [domain.pk],
        "status": "planned",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "is_published": "on",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-title": "Ochtendbeller",
        "roles-0-places": "3",
        "roles-0-time_asked": "Tien minuten per dag",
        "roles-0-availability": "weekday-daytime",
        "resources-TOTAL_FORMS": "0",
        "resources-INITIAL_FORMS": "0",
        "measures-TOTAL_FORMS": "0",
        "measures-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_an_editor_publishes_an_activity_with_a_role(client, editor, org, domain_with_goal):
    client.force_login(editor)
    response = client.post("/en/activities/new/", _form(org, domain_with_goal.domain))
    activity = Activity.objects.get(title="Telefooncirkel")
    assert response["Location"] == "/en/activities/telefooncirkel/"
    assert activity.roles.get().places == 3
    assert AuditEntry.objects.filter(action="activity.created", object_id=str(activity.pk)).exists()


def test_end_before_start_is_refused_next_to_the_end_date(client, editor, org, domain_with_goal):
    client.force_login(editor)
    response = client.post("/en/activities/new/", _form(org, domain_with_goal.domain, ends_on="2025-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["The end date is before the start date."]
    assert not Activity.objects.exists()


def test_a_forged_lead_organisation_is_refused(client, editor, other_org, domain_with_goal):
    client.force_login(editor)
    response = client.post("/en/activities/new/", _form(other_org, domain_with_goal.domain))
    assert "lead_organisation" in response.context["form"].errors
    response = client.post("/en/activities/new/", _form(other_org, domain_with_goal.domain, lead_organisation="99999"))
    assert "lead_organisation" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_a_bad_role_keeps_the_whole_activity_unsaved(client, editor, org, domain_with_goal):
    client.force_login(editor)
    response = client.post("/en/activities/new/", _form(org, domain_with_goal.domain, **{"roles-0-places": "0"}))
    assert response.status_code == 200
    assert response.context["formsets"][0].errors[0]["places"]
    assert not Activity.objects.exists()


def test_editing_another_organisations_activity_is_forbidden(
    client, editor, make_activity, other_org, domain_with_goal
):
    theirs = make_activity("Theirs", slug="theirs", lead=other_org)
    client.force_login(editor)
    assert client.get("/en/activities/theirs/edit/").status_code == 403
    assert client.post("/en/activities/theirs/edit/", _form(other_org, domain_with_goal.domain)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


def test_an_editor_edits_their_activity_and_the_change_is_audited(client, editor, activity, org, domain_with_goal):
    client.force_login(editor)
    data = _form(org, domain_with_goal.domain, title="Een lokaal net werkt! (pilot)")
    response = client.post("/en/activities/een-lokaal-net-werkt/edit/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Een lokaal net werkt! (pilot)"
    entry = AuditEntry.objects.get(action="activity.updated")
    assert entry.changes["title"] == ["Een lokaal net werkt!", "Een lokaal net werkt! (pilot)"]


def test_fewer_places_than_people_signed_up_is_refused(
    client, editor, activity, role, org, fitting_member, domain_with_goal
):
    RoleSignup.objects.create(role=role, member=fitting_member)
    client.force_login(editor)
    data = _form(
        org,
        domain_with_goal.domain,
        **{
            "roles-INITIAL_FORMS": "1",
            "roles-0-id": str(role.pk),
            "roles-0-title": role.title,
            "roles-0-places": "0",
        },
    )
    response = client.post("/en/activities/een-lokaal-net-werkt/edit/", data)
    assert response.status_code == 200
    role.refresh_from_db()
    assert role.places == 2


def test_only_published_challenges_can_be_linked(client, editor, org, domain_with_goal):
    from samen.agenda.models import Challenge

    def challenge(slug, status):
        return Challenge.objects.create(
            slug=slug, title=slug, summary="-", story="-", domain=domain_with_goal.domain, status=status
        )

    public, draft = challenge("public-challenge", "published"), challenge("draft-challenge", "draft")
    client.force_login(editor)
    page = client.get("/en/activities/new/").content.decode()
    assert "public-challenge" in page and "draft-challenge" not in page
    response = client.post("/en/activities/new/", _form(org, domain_with_goal.domain, challenges=[draft.pk]))
    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    assert (
        client.post("/en/activities/new/", _form(org, domain_with_goal.domain, challenges=[public.pk])).status_code
        == 302
    )
    assert list(Activity.objects.get(title="Telefooncirkel").challenges.all()) == [public]


def test_a_challenge_back_in_draft_stays_linked_when_the_activity_is_saved(
    client, editor, activity, org, domain_with_goal
):
    from samen.agenda.models import Challenge

    linked = Challenge.objects.create(
        slug="was-public", title="Was public", summary="-", story="-", domain=domain_with_goal.domain, status="draft"
    )
    activity.challenges.set([linked])
    client.force_login(editor)
    data = _form(
        org, domain_with_goal.domain, title=activity.title, challenges=[linked.pk], **{"roles-TOTAL_FORMS": "0"}
    )
    assert client.post(f"/en/activities/{activity.slug}/edit/", data).status_code == 302
    assert list(activity.challenges.all()) == [linked]


def _delete_role(org, domain, role):
    return _form(
        org,
        domain,
        **{
            "title": "Een lokaal net werkt!",
            "roles-INITIAL_FORMS": "1",
            "roles-0-id": str(role.pk),
            "roles-0-title": role.title,
            "roles-0-places": str(role.places),
            "roles-0-DELETE": "on",
        },
    )


def test_a_role_with_sign_ups_cannot_be_deleted(client, editor, activity, role, org, fitting_member, domain_with_goal):
    RoleSignup.objects.create(role=role, member=fitting_member)
    client.force_login(editor)
    response = client.post(
        "/en/activities/een-lokaal-net-werkt/edit/", _delete_role(org, domain_with_goal.domain, role)
    )
    assert response.status_code == 200
    assert "1 person signed up for “Buurtbezoeker”" in response.content.decode()
    assert RoleSignup.objects.filter(role=role, member=fitting_member).exists()


def test_a_role_without_sign_ups_can_be_deleted(client, editor, activity, role, org, domain_with_goal):
    client.force_login(editor)
    response = client.post(
        "/en/activities/een-lokaal-net-werkt/edit/", _delete_role(org, domain_with_goal.domain, role)
    )
    assert response.status_code == 302
    assert not activity.roles.exists()


def test_a_sign_up_between_the_form_and_the_save_is_never_lost(
    client, editor, activity, role, org, fitting_member, domain_with_goal, monkeypatch
):
    """The form saw too few sign-ups; more arrive before the save: the save, under the roles' lock, refuses."""
    from samen.activities import forms

    clean = forms.RoleFormSet.clean
    arriving = []

    def sign_up_meanwhile(formset):
        clean(formset)
        for member in arriving:
            RoleSignup.objects.create(role=role, member=member)
        arriving.clear()

    monkeypatch.setattr(forms.RoleFormSet, "clean", sign_up_meanwhile)
    client.force_login(editor)
    url = "/en/activities/een-lokaal-net-werkt/edit/"
    arriving.append(fitting_member)
    response = client.post(url, _delete_role(org, domain_with_goal.domain, role))
    assert response.status_code == 200
    assert "1 person signed up for “Buurtbezoeker”" in response.content.decode()
    assert RoleSignup.objects.filter(role=role, member=fitting_member).exists()

    fewer = {"roles-INITIAL_FORMS": "1", "roles-0-id": str(role.pk), "roles-0-title": role.title, "roles-0-places": "1"}
    arriving.append(editor.member)
    response = client.post(url, _form(org, domain_with_goal.domain, title="Een lokaal net werkt!", **fewer))
    assert response.status_code == 200
    assert "2 people signed up for “Buurtbezoeker”" in response.content.decode()
    role.refresh_from_db()
    assert role.places == 2


# --- Matching pages and invitations ---------------------------------------------------------------


def test_a_member_sees_activities_that_need_them_with_reasons(client, activity, role, fitting_member):
    client.force_login(fitting_member.user)
    body = client.get("/en/activities/for-me/").content.decode()
    assert "Een lokaal net werkt!" in body
    assert "You have the skill it asks: Listening and visiting." in body
    assert "It runs in your neighbourhood, Runkst." in body


def test_a_member_without_a_profile_is_asked_to_fill_it_in(client, member, role):
    client.force_login(member)
    assert "Fill in your profile" in client.get("/en/activities/for-me/").content.decode()


def test_the_organiser_invites_a_member_who_fits_once(
    client, editor, activity, role, fitting_member, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    fitting_member.show_neighbourhood_publicly = True
    fitting_member.save()
    page = client.get(f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/people/").content.decode()
    assert "Fien" in page and "Lives in Runkst, where the activity runs." in page
    url = f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"member": fitting_member.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"member": fitting_member.pk}, follow=True)
    assert "already invited" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fien@example.org"]
    assert "http://testserver/en/activities/een-lokaal-net-werkt/#role-" in message.body
    assert RoleInvitation.objects.count() == 1
    assert AuditEntry.objects.filter(action="role.invited").count() == 1


def test_a_forged_member_id_is_not_invited(client, editor, activity, role, member):
    client.force_login(editor)
    response = client.post(
        f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/", {"member": member.member.pk}, follow=True
    )
    assert "not among the people suggested" in response.content.decode()
    assert not RoleInvitation.objects.exists()


def test_invitations_are_rate_limited(client, editor, activity, role, make_user, domain_with_goal, monkeypatch):
    from samen.activities import services

    monkeypatch.setattr(services, "INVITATIONS_PER_HOUR", 2)
    people = []
    for _ in range(3):
        m = make_user().member
        m.interests.set([domain_with_goal.domain])
        people.append(m)
    client.force_login(editor)
    url = f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/"
    for m in people:
        response = client.post(url, {"member": m.pk}, follow=True)
    assert "You sent 2 invitations in the last hour" in response.content.decode()
    assert RoleInvitation.objects.count() == 2


def test_a_member_opts_out_of_invitations_and_back_in(client, fitting_member, role, editor):
    from samen.activities.matching import members_for_role

    client.force_login(fitting_member.user)
    client.post("/en/activities/for-me/invitations/", {"wanted": "no"})
    assert members_for_role(role) == []
    client.post("/en/activities/for-me/invitations/", {"wanted": "yes"})
    assert [m.member for m in members_for_role(role)] == [fitting_member]


# --- Who does what ------------------------------------------------------------------------------------


def test_who_does_what_flags_overlap_and_gaps(client, make_activity, other_org, areas, visits, put):
    # 2025: Runkst is off track (10% against about 3.5% expected), Terhilst is on track.
    put(visits, 2025, areas["runkst"], num=40, den=400)
    put(visits, 2025, areas["terhilst"], num=10, den=500)
    put(visits, 2025, areas["kiewit"], num=20, den=300)  # every neighbourhood: 2025 is a figure of the whole
    make_activity("Buurtbabbel Terhilst", areas=[areas["terhilst"]])
    make_activity("Koffie Terhilst", lead=other_org, areas=[areas["terhilst"]])
    overview = client.get("/en/activities/who-does-what/").context["overview"]
    assert [(a.code, g.slug) for a, g, _orgs in overview.coordinate] == [("terhilst", "een-lokaal-net-werkt")]
    gaps = {a.code for a, _g, _i in overview.gaps}
    assert "runkst" in gaps
    assert "terhilst" not in gaps and "hasselt" not in gaps  # an activity inside the city covers it


def test_an_editor_sees_partners_to_work_with(client, editor, make_activity, other_org, make_org, areas):
    make_activity("Ours", areas=[areas["terhilst"]])
    make_activity("Theirs", lead=other_org, areas=[areas["terhilst"]])
    make_activity("Elsewhere", lead=make_org(name="Far Away"), areas=[areas["runkst"]])
    client.force_login(editor)
    body = client.get("/en/activities/who-does-what/").content.decode()
    assert "Partners you could work with" in body
    suggestions = client.get("/en/activities/who-does-what/").context["suggestions"]
    assert [s.organisation for s in suggestions[0][1]] == [other_org]


def test_who_does_what_costs_the_same_queries_for_few_and_many(client, make_activity, make_org, areas, visits, put):
    put(visits, 2025, areas["runkst"], num=40, den=400)

    from django.core.cache import cache

    from samen.core import local_copies

    def count():
        cache.clear()  # the overview is cached; count the queries of computing it
        local_copies.clear_all()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/activities/who-does-what/").status_code == 200
        return len(queries)

    make_activity(areas=[areas["terhilst"]])
    few = count()
    for _ in range(20):
        make_activity(lead=make_org(), areas=[areas["kiewit"], areas["terhilst"]])
    assert count() == few


def test_partner_suggestions_cost_the_same_queries_for_one_or_more_organisations(
    client, editor, make_activity, make_org, org, areas
):
    from django.core.cache import cache

    from samen.network.models import Membership

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/en/activities/who-does-what/")
        return len(queries), response.context["suggestions"]

    make_activity("Ours", areas=[areas["terhilst"]])
    for _ in range(3):
        make_activity(lead=make_org(), areas=[areas["terhilst"]])
    client.force_login(editor)
    one, suggestions = count()
    assert [len(found) for _org, found in suggestions] == [3]
    second = make_org(name="Second Home")
    make_activity("Theirs", lead=second, areas=[areas["terhilst"]])
    Membership.objects.create(member=editor.member, organisation=second, is_editor=True)
    two, suggestions = count()
    assert [o.name for o, _found in suggestions] == sorted([org.name, "Second Home"])
    assert all(found for _org, found in suggestions)
    assert two == one


def test_the_organisation_and_domain_pages_link_to_their_activities(
    client, make_activity, org, other_org, domain_with_goal
):
    make_activity("Led by us")
    make_activity("With us as partner", lead=other_org, partners=[org])
    make_activity("Not ours", lead=other_org)
    assert f"/en/activities/?organisation={org.slug}" in client.get(f"/en/partners/{org.slug}/").content.decode()
    body = client.get(f"/en/activities/?organisation={org.slug}").content.decode()
    assert "Led by us" in body and "With us as partner" in body and "Not ours" not in body
    domain = domain_with_goal.domain
    assert f"/en/activities/?domain={domain.slug}" in client.get(f"/en/agenda/{domain.slug}/").content.decode()


def test_a_member_says_when_they_can_help_on_their_profile(client, member):
    client.force_login(member)
    page = client.get("/en/profile/").content.decode()
    assert "When I can help" in page and "/en/activities/for-me/" in page
    data = {
        "name-first_name": "Mila",
        "name-last_name": "Lid",
        "profile-availability": ["weekend", "weekday-evening"],
        "orgs-TOTAL_FORMS": "0",
        "orgs-INITIAL_FORMS": "0",
    }
    assert client.post("/en/profile/", data).status_code == 302
    member.member.refresh_from_db()
    assert sorted(member.member.availability) == ["weekday-evening", "weekend"]


def test_who_does_what_is_recomputed_when_an_activity_changes(client, make_activity, areas):
    first = make_activity("First", areas=[areas["terhilst"]])
    client.get("/en/activities/who-does-what/")
    assert '<th scope="row">Runkst</th>' not in client.get("/en/activities/who-does-what/").content.decode()
    make_activity("Second", lead=first.lead_organisation, areas=[areas["runkst"]])
    assert '<th scope="row">Runkst</th>' in client.get("/en/activities/who-does-what/").content.decode()


def test_the_matching_pages_cost_the_same_queries_for_few_and_many(
    client, editor, activity, role, fitting_member, make_user, make_role, domain_with_goal, skill
):
    def count(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    people_url = f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/people/"
    few = (count(fitting_member.user, "/en/activities/for-me/"), count(editor, people_url))
    for number in range(12):
        member = make_user().member
        member.interests.set([domain_with_goal.domain])
        member.skills.set([skill])
        RoleSignup.objects.create(role=make_role(activity, f"Role {number}", skill=skill), member=member)
        RoleSignup.objects.create(role=make_role(activity, f"Other {number}", places=5), member=fitting_member)
    assert (count(fitting_member.user, "/en/activities/for-me/"), count(editor, people_url)) == few


def test_nobody_is_invited_to_a_finished_activity(client, editor, make_activity, make_role, fitting_member, skill):
    done = make_activity("Done", slug="done", status="finished")
    role = make_role(done, skill=skill)
    client.force_login(editor)
    response = client.post(f"/en/activities/done/roles/{role.pk}/invite/", {"member": fitting_member.pk}, follow=True)
    assert "once the activity is published and planned or running" in response.content.decode()
    assert not RoleInvitation.objects.exists()


def test_the_organiser_sees_a_first_name_never_an_email_nor_a_hidden_neighbourhood(
    client, editor, activity, role, make_user, areas, skill
):
    nameless = make_user("nameless@example.org", first_name="", last_name="").member
    private = make_user("private@example.org", first_name="Pia", last_name="Privé").member
    for member in (nameless, private):
        member.neighbourhood = areas["runkst"]
        member.save()
        member.skills.set([skill])
    client.force_login(editor)
    page = client.get(f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/people/").content.decode()
    assert "@example.org" not in page
    assert "Pia" in page and "Privé" not in page
    assert "a member" in page
    assert "Lives near where the activity runs." in page and "Lives in Runkst" not in page
    response = client.post(
        f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/", {"member": private.pk}, follow=True
    )
    assert "Pia is invited by email." in response.content.decode()
    assert "Privé" not in response.content.decode()


def test_the_profile_says_organisers_may_see_the_first_name_and_how_to_opt_out(client, member):
    client.force_login(member)
    page = client.get("/en/profile/").content.decode()
    assert "Organisers of activities may see your first name and invite you" in page
    assert "you can opt out" in page


def test_a_failing_mail_server_does_not_break_the_invitation(
    client, editor, activity, role, fitting_member, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/", {"member": fitting_member.pk}, follow=True
        )
    assert response.status_code == 200
    assert "Fien is invited by email." in response.content.decode()
    assert RoleInvitation.objects.filter(role=role, member=fitting_member).exists()
    assert "the mail server is down" in caplog.text


def test_the_invitation_email_is_written_in_the_organisers_language(
    client, editor, activity, role, fitting_member, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/nl/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/", {"member": fitting_member.pk})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.startswith("Hallo Fien,")
    assert "http://testserver/nl/activities/een-lokaal-net-werkt/#role-" in mail.outbox[0].body


def test_nobody_is_invited_to_a_full_role(client, editor, activity, role, fitting_member, make_user):
    for _ in range(role.places):
        RoleSignup.objects.create(role=role, member=make_user().member)
    client.force_login(editor)
    response = client.post(
        f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/", {"member": fitting_member.pk}, follow=True
    )
    assert "This role is full" in response.content.decode()
    assert not RoleInvitation.objects.exists()
    assert len(mail.outbox) == 0


def test_nobody_is_invited_to_an_unpublished_activity(client, editor, make_activity, make_role, fitting_member, skill):
    hidden = make_activity("Hidden", slug="hidden", is_published=False)
    role = make_role(hidden, skill=skill)
    client.force_login(editor)
    response = client.post(f"/en/activities/hidden/roles/{role.pk}/invite/", {"member": fitting_member.pk}, follow=True)
    assert "once the activity is published and planned or running" in response.content.decode()
    assert not RoleInvitation.objects.exists()


def test_the_invitation_service_itself_refuses_a_finished_activity(editor, make_activity, make_role, fitting_member):
    from samen.activities import services

    role = make_role(make_activity("Done", slug="done-too", status="finished"))
    with pytest.raises(services.RoleInvitationRefused):
        services.role_invite(role=role, member=fitting_member, actor=editor)
    assert not RoleInvitation.objects.exists()


def test_a_full_role_offers_no_invite_buttons(client, editor, activity, role, fitting_member, make_user):
    for _ in range(role.places):
        RoleSignup.objects.create(role=role, member=make_user().member)
    client.force_login(editor)
    page = client.get(f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/people/").content.decode()
    assert "Invite Fien" not in page and "This role is full" in page


def test_saving_an_activity_locks_its_roles_like_a_sign_up_does(editor, activity, role, org):
    from django.db import connection

    from samen.activities import services

    if not connection.features.has_select_for_update:
        pytest.skip("this database has no row locks (SQLite serialises writers instead)")
    with CaptureQueriesContext(connection) as queries:
        services.activity_save(activity=activity, actor=editor, fields={"title": "Renamed"}, relations={}, formsets=[])
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert locks and '"activities_role"' in locks[0]


def test_reading_pages_writes_no_member_profile(client, make_user, activity, role):
    from samen.network.models import Member

    user = make_user("noprofile@example.org", first_name="Nora")
    Member.objects.filter(user=user).delete()
    client.force_login(user)
    assert client.get("/en/activities/een-lokaal-net-werkt/").status_code == 200
    page = client.get("/en/activities/for-me/")
    assert page.status_code == 200 and "Fill in your profile" in page.content.decode()
    assert not Member.objects.filter(user=user).exists()
    # Taking a role is a write: the profile is made then.
    client.post(f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/join/")
    assert RoleSignup.objects.filter(role=role, member__user=user).exists()


def test_the_invitation_to_a_role_is_built_by_the_house_mail_builder(
    client, editor, activity, role, fitting_member, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://samen.example.org"
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/activities/een-lokaal-net-werkt/roles/{role.pk}/invite/", {"member": fitting_member.pk})
    [message] = mail.outbox
    assert message.subject == f"[Samen] An activity needs you: {activity.title}"
    assert f"https://samen.example.org/en/activities/een-lokaal-net-werkt/#role-{role.pk}" in message.body
