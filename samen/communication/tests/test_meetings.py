import datetime

from django.utils import timezone

from samen.communication.models import ActionItem, Meeting, MeetingAttendance
from samen.network.models import Membership


def test_group_only_minutes_are_hidden_from_visitors_and_shown_to_the_group(client, past_meeting, editor, member):
    url = f"/en/meetings/{past_meeting.pk}/"
    body = client.get(url).content.decode()
    assert "Verslag" not in body and "buurtcafé" not in body
    client.force_login(member)
    assert "Verslag" not in client.get(url).content.decode()
    client.force_login(editor)
    body = client.get(url).content.decode()
    assert "Verslag" in body and "We starten een buurtcafé" in body and "Zaal boeken" in body


def test_public_minutes_are_shown_to_everyone_and_in_the_api(client, past_meeting):
    past_meeting.minutes_public = True
    past_meeting.save()
    assert "Verslag" in client.get(f"/nl/meetings/{past_meeting.pk}/").content.decode()
    row = client.get("/api/v1/meetings").json()["items"][0]
    assert row["decisions"] == ["We starten een buurtcafé"] and "Verslag" in row["minutes"]


def test_the_api_never_shows_group_only_minutes(client, past_meeting):
    row = client.get("/api/v1/meetings").json()["items"][0]
    assert row["minutes"] == "" and row["decisions"] == [] and row["group"] == "zorg-dichtbij"


def test_someone_of_a_member_organisation_registers_for_an_upcoming_meeting(client, group, org, editor):
    meeting = Meeting.objects.create(
        group=group, title="Overleg april", starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    client.force_login(editor)
    client.post(f"/nl/meetings/{meeting.pk}/register/", {"organisation": org.pk})
    assert MeetingAttendance.objects.get(meeting=meeting).organisation == org


def test_someone_outside_the_group_cannot_register(client, group, member, make_org):
    outsider = make_org()
    Membership.objects.create(member=member.member, organisation=outsider)
    meeting = Meeting.objects.create(
        group=group, title="Overleg", starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    client.force_login(member)
    assert client.post(f"/nl/meetings/{meeting.pk}/register/", {"organisation": outsider.pk}).status_code == 403
    assert not MeetingAttendance.objects.exists()


def test_the_board_shows_overdue_open_and_done_items_for_the_backbone(client, coordinator, past_meeting):
    client.force_login(coordinator)
    board = client.get("/nl/action-items/").context["board"]
    assert [i.text for i in board["overdue"]] == ["Zaal boeken"]
    assert [i.text for i in board["open"]] == ["Flyer maken"]


def test_an_editor_sees_only_their_organisations_items_and_marks_one_done(client, editor, past_meeting):
    client.force_login(editor)
    board = client.get("/nl/action-items/").context["board"]
    assert [i.text for i in board["overdue"]] == ["Zaal boeken"] and board["open"] == []
    item = ActionItem.objects.get(text="Zaal boeken")
    client.post(f"/nl/action-items/{item.pk}/done/", {"done": "1"})
    item.refresh_from_db()
    assert item.done_at is not None


def test_an_editor_cannot_close_another_organisations_item(client, editor, past_meeting):
    item = ActionItem.objects.get(text="Flyer maken")
    client.force_login(editor)
    assert client.post(f"/nl/action-items/{item.pk}/done/", {"done": "1"}).status_code == 403


def test_a_member_without_an_organisation_has_no_board(client, member):
    client.force_login(member)
    assert client.get("/nl/action-items/").status_code == 403


def test_the_board_costs_the_same_queries_for_10_and_1000_items(client, coordinator, past_meeting, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(n):
        ActionItem.objects.bulk_create(
            [
                ActionItem(meeting=past_meeting, text=f"a{i}", owner_organisation=org, due_on=timezone.localdate())
                for i in range(n)
            ]
        )

    client.force_login(coordinator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/nl/action-items/").status_code == 200
        return len(ctx)

    grow(10)
    small = count()
    grow(990)
    assert count() == small


def test_overdue_items_wait_in_the_editors_inbox(client, editor, past_meeting):
    client.force_login(editor)
    keys = [w.key for w in client.get("/nl/inbox/").context["waiting"]]
    assert "my_action_items" in keys


def test_meeting_attendance_ties_the_organisations_on_the_network_map(past_meeting, org, other_org):
    from samen.network import ties

    [tie] = [t for t in ties.activities() if t.key.startswith("working-group-")]
    assert set(tie.organisation_ids) == {org.pk, other_org.pk}


def test_a_role_only_claimed_on_the_profile_shows_no_group_only_minutes_and_registers_for_nobody(
    client, past_meeting, group, member, org
):
    """Review finding 1: an unconfirmed membership is not membership of the working group."""
    Membership.objects.create(member=member.member, organisation=org, is_confirmed=False)
    client.force_login(member)
    body = client.get(f"/nl/meetings/{past_meeting.pk}/").content.decode()
    assert "Verslag" not in body and "We starten een buurtcafé" not in body
    upcoming = Meeting.objects.create(group=group, title="Later", starts_at=timezone.now() + datetime.timedelta(days=5))
    assert client.post(f"/nl/meetings/{upcoming.pk}/register/", {"organisation": org.pk}).status_code == 403
    Membership.objects.filter(member=member.member).update(is_confirmed=True)
    assert "Verslag" in client.get(f"/nl/meetings/{past_meeting.pk}/").content.decode()


def test_a_registration_with_an_organisation_that_is_not_a_number_is_refused_not_a_crash(client, group, editor):
    """Review finding 10."""
    meeting = Meeting.objects.create(
        group=group, title="Overleg", starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    client.force_login(editor)
    assert client.post(f"/nl/meetings/{meeting.pk}/register/", {"organisation": "abc"}).status_code == 403
    assert not MeetingAttendance.objects.exists()


def test_the_invitation_reaches_confirmed_people_and_editors_of_the_group_not_claimed_roles(
    group, org, editor, member, coordinator, make_user
):
    """Review finding 11: a role only claimed on a profile brings no invitation (and so no link)."""
    from samen.communication.meetings import meeting_invite
    from samen.communication.models import Notification

    confirmed = make_user()
    Membership.objects.create(member=confirmed.member, organisation=org, is_confirmed=True)
    Membership.objects.create(member=member.member, organisation=org, is_confirmed=False)
    meeting = Meeting.objects.create(
        group=group, title="Overleg", starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    meeting_invite(meeting=meeting, actor=coordinator)
    invited = set(Notification.objects.values_list("user_id", flat=True))
    assert confirmed.pk in invited and editor.pk in invited and member.pk not in invited
