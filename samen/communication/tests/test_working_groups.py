"""Working groups on the site: the backbone creates, changes and archives them; a list and a page per group."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samen.communication.models import ActionItem, Decision, Meeting, WorkingGroup


def form(org, *orgs, **fields):
    return {
        "name_nl": "Werkgroep wonen",
        "name_en": "Housing group",
        "description_nl": "Betaalbaar wonen in de wijk.",
        "description_en": "Affordable housing nearby.",
        "organisations": [o.pk for o in (org, *orgs)],
        "convener": org.pk,
        **fields,
    }


def test_the_backbone_creates_a_group_in_both_languages(client, coordinator, org, other_org, make_domain):
    domain = make_domain()
    client.force_login(coordinator)
    response = client.post("/nl/working-groups/new/", form(org, other_org, action_domain=domain.pk))
    group = WorkingGroup.objects.get(name_nl="Werkgroep wonen")
    assert response.status_code == 302 and response["Location"] == f"/nl/working-groups/{group.slug}/"
    assert set(group.organisations.all()) == {org, other_org} and group.convener == org
    assert group.action_domain == domain
    english = client.get(f"/en/working-groups/{group.slug}/").content.decode()
    assert "Housing group" in english and "Affordable housing nearby." in english
    assert "Werkgroep wonen" in client.get("/nl/working-groups/").content.decode()


def test_a_group_across_the_domains_with_only_a_dutch_name_is_shown_in_dutch_in_english(client, coordinator, org):
    client.force_login(coordinator)
    client.post("/nl/working-groups/new/", form(org, name_en="", description_en="", convener=""))
    group = WorkingGroup.objects.get()
    assert group.action_domain is None and group.convener is None
    page = client.get(f"/en/working-groups/{group.slug}/").content.decode()
    assert "Werkgroep wonen" in page and "across the action domains" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"organisations": []}, "organisations", "A working group needs at least one member organisation."),
        ({"name_nl": ""}, "name_nl", "Give the working group a Dutch name."),
        ({"name_nl": "werkgroep ZORG dichtbij"}, "name_nl", "exists already"),
        ({"name_en": "Werkgroep zorg dichtbij"}, "name_en", "exists already"),
        ({"convener": "other"}, "convener", "must be one of the member organisations"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(client, coordinator, org, other_org, group, change, field, message):
    """`group` (the fixture) is called "Werkgroep zorg dichtbij": its name is taken, whatever the capitals."""
    client.force_login(coordinator)
    if change.get("convener") == "other":
        change = {"convener": other_org.pk}
    response = client.post("/en/working-groups/new/", form(org) | change)
    assert response.status_code == 400
    assert any(message in str(e) for e in response.context["form"].errors[field])
    assert message in response.content.decode() or message.replace("“", "&ldquo;") in response.content.decode()
    assert WorkingGroup.objects.count() == 1


def test_script_in_a_name_or_description_is_removed(client, coordinator, org):
    client.force_login(coordinator)
    client.post("/nl/working-groups/new/", form(org, description_nl="<script>alert(1)</script>Wonen"))
    group = WorkingGroup.objects.get()
    assert "<script" not in group.description_nl and "Wonen" in group.description_nl


def test_the_backbone_changes_a_group_and_its_organisations(client, coordinator, group, org, other_org, make_org):
    third = make_org()
    client.force_login(coordinator)
    page = client.get(f"/nl/working-groups/{group.slug}/edit/").content.decode()
    assert "Werkgroep zorg dichtbij" in page
    response = client.post(
        f"/nl/working-groups/{group.slug}/edit/", form(org, third, name_nl="Werkgroep zorg dichtbij", convener=third.pk)
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert set(group.organisations.all()) == {org, third} and group.convener == third
    assert group.name_en == "Housing group" and group.slug == "zorg-dichtbij"  # its address does not move


def test_an_archived_group_keeps_its_record_and_holds_no_new_meetings(
    client, coordinator, group, past_meeting, smtp_inbox
):
    client.force_login(coordinator)
    assert client.post(f"/nl/working-groups/{group.slug}/archive/", {"archived": "1"}).status_code == 302
    group.refresh_from_db()
    assert group.archived_at is not None
    listing = client.get("/en/working-groups/")
    assert group not in listing.context["groups"] and group in listing.context["archived"]
    page = client.get(f"/en/working-groups/{group.slug}/").content.decode()
    assert "was archived on" in page and "Overleg maart" in page and "Schedule a meeting" not in page
    response = client.post(
        f"/nl/working-groups/{group.slug}/meetings/new/", {"title": "Nog eens", "starts_at": "2030-05-01T19:00"}
    )
    assert response.status_code == 302 and Meeting.objects.filter(group=group).count() == 1
    client.post(f"/nl/working-groups/{group.slug}/archive/", {"archived": "0"})
    group.refresh_from_db()
    assert group.archived_at is None


def test_the_group_page_shows_decisions_and_open_action_items_the_group_only_to_the_group(
    client, group, past_meeting, editor, member
):
    """The fixture's minutes are group-only: a member outside the group sees neither decisions nor items."""
    ActionItem.objects.create(
        meeting=past_meeting, text="Al gedaan", owner_organisation=group.organisations.first(),
        due_on=timezone.localdate(), done_at=timezone.now(),
    )  # fmt: skip
    client.force_login(member)
    outside = client.get(f"/nl/working-groups/{group.slug}/").content.decode()
    assert "We starten een buurtcafé" not in outside and "Zaal boeken" not in outside
    client.force_login(editor)  # the editor's organisation is in the group
    inside = client.get(f"/en/working-groups/{group.slug}/").content.decode()
    assert "We starten een buurtcafé" in inside and "Zaal boeken" in inside and "Flyer maken" in inside
    assert "overdue" in inside and "Al gedaan" not in inside  # open items only; the late one is marked
    past_meeting.minutes_public = True
    past_meeting.save()
    client.logout()
    public = client.get(f"/nl/working-groups/{group.slug}/").content.decode()
    assert "We starten een buurtcafé" in public and "Zaal boeken" in public


def test_the_list_and_the_group_page_cost_the_same_queries_for_few_and_many(client, group, past_meeting, org):
    def cost():
        with CaptureQueriesContext(connection) as listing:
            assert client.get("/nl/working-groups/").status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get(f"/nl/working-groups/{group.slug}/").status_code == 200
        return len(listing), len(page)

    past_meeting.minutes_public = True
    past_meeting.save()
    few = cost()
    for n in range(10):
        other = WorkingGroup.objects.create(slug=f"groep-{n}", name=f"Groep {n}")
        other.organisations.set([org])
        meeting = Meeting.objects.create(
            group=group,
            title=f"Overleg {n}",
            starts_at=timezone.now() - datetime.timedelta(days=n),
            minutes_public=True,
        )
        Decision.objects.create(meeting=meeting, text=f"Besluit {n}")
        ActionItem.objects.create(
            meeting=meeting, text=f"Taak {n}", owner_organisation=org, due_on=timezone.localdate()
        )
    assert cost() == few
