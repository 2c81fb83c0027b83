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
    assert row["action_items"] == []


def test_the_api_gives_the_end_and_the_public_action_items_without_names(client, past_meeting, org, editor):
    past_meeting.minutes_public = True
    past_meeting.save()
    row = client.get("/api/v1/meetings").json()["items"][0]
    assert row["ends_at"].startswith((past_meeting.starts_at + datetime.timedelta(hours=2)).date().isoformat())
    items = {i["text"]: i for i in row["action_items"]}
    assert items["Zaal boeken"]["organisation"] == org.slug and items["Zaal boeken"]["done"] is False
    assert editor.email not in str(row) and editor.first_name not in str(row)


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


# --- Scheduling, minutes and attendance on the site (the backbone and the group's convener) -------


def _moment(days, hour=19):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _post_meeting(client, group, **fields):
    data = {
        "title": "Overleg mei",
        "starts_at": _moment(7).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": _moment(7, 21).strftime("%Y-%m-%dT%H:%M"),
        "place": "Stadhuis",
        "video_url": "https://meet.example.org/zorg",
        "agenda": "<ol><li>Buurtcafés</li></ol><script>alert(1)</script>",
        "invite": "on",
        **fields,
    }
    return client.post(f"/en/working-groups/{group.slug}/meetings/new/", data)


def test_the_conveners_editor_schedules_a_meeting_and_invites_the_group(client, group, org, editor, make_user):
    from samen.communication.models import Notification

    group.convener = org
    group.save()
    colleague = make_user()
    Membership.objects.create(member=colleague.member, organisation=org, is_confirmed=True)
    client.force_login(editor)
    response = _post_meeting(client, group)
    meeting = Meeting.objects.get(title="Overleg mei")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.agenda == "<ol><li>Buurtcafés</li></ol>"  # sanitised like news
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(hours=2)
    invited = set(Notification.objects.filter(topic="meetings").values_list("user_id", flat=True))
    assert {editor.pk, colleague.pk} <= invited
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Buurtcafés" in page and "Minutes, decisions and action items" in page


def test_a_meeting_that_ends_before_it_starts_is_refused_with_a_message(client, group, coordinator):
    client.force_login(coordinator)
    response = _post_meeting(client, group, ends_at=_moment(7, 18).strftime("%Y-%m-%dT%H:%M"))
    assert response.status_code == 200 and "The end must be after the start." in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_editor_of_a_member_organisation_that_does_not_convene_manages_nothing(client, group, editor, past_meeting):
    client.force_login(editor)  # org is in the group, but the group has no convener
    assert _post_meeting(client, group).status_code == 403
    assert client.get(f"/en/meetings/{past_meeting.pk}/minutes/").status_code == 403
    assert "Minutes, decisions and action items" not in client.get(past_meeting.get_absolute_url()).content.decode()


def _minutes_data(meeting, decisions=(), items=()):
    data = {"minutes": "<p>We spraken af.</p><img src=x onerror=alert(1)>", "minutes_public": "on"}
    existing_decisions = list(meeting.decisions.all())
    existing_items = list(meeting.action_items.all())
    data |= {
        "decisions-TOTAL_FORMS": len(existing_decisions) + len(decisions),
        "decisions-INITIAL_FORMS": len(existing_decisions),
        "items-TOTAL_FORMS": len(existing_items) + len(items),
        "items-INITIAL_FORMS": len(existing_items),
    }
    for i, d in enumerate(existing_decisions):
        data |= {f"decisions-{i}-id": d.pk, f"decisions-{i}-text": d.text}
    for i, text in enumerate(decisions, start=len(existing_decisions)):
        data[f"decisions-{i}-text"] = text
    for i, item in enumerate(existing_items):
        data |= {
            f"items-{i}-id": item.pk,
            f"items-{i}-text": item.text,
            f"items-{i}-owner_organisation": item.owner_organisation_id,
            f"items-{i}-owner": item.owner_id or "",
            f"items-{i}-due_on": item.due_on.isoformat(),
        }
    for i, fields in enumerate(items, start=len(existing_items)):
        data |= {f"items-{i}-{name}": value for name, value in fields.items()}
    return data


def test_minutes_decisions_and_action_items_are_written_on_the_site(client, coordinator, past_meeting, org, editor):
    client.force_login(coordinator)
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    data = _minutes_data(
        past_meeting,
        decisions=["Tweede buurtcafé in Kiewit <b>in juni</b>"],
        items=[{"text": "Zaal Kiewit vragen", "owner_organisation": org.pk, "owner": editor.pk, "due_on": due}],
    )
    data["items-0-done"] = "on"  # "Zaal boeken" is done now
    response = client.post(f"/en/meetings/{past_meeting.pk}/minutes/", data)
    assert response.status_code == 302
    past_meeting.refresh_from_db()
    assert past_meeting.minutes == "<p>We spraken af.</p>" and past_meeting.minutes_public
    assert list(past_meeting.decisions.values_list("text", flat=True)) == [
        "We starten een buurtcafé",
        "Tweede buurtcafé in Kiewit in juni",
    ]
    new = ActionItem.objects.get(text="Zaal Kiewit vragen")
    assert new.owner == editor and new.due_on.isoformat() == due and new.done_at is None
    assert ActionItem.objects.get(text="Zaal boeken").done_at is not None
    client.logout()
    page = client.get(past_meeting.get_absolute_url()).content.decode()  # public now
    assert "Tweede buurtcafé in Kiewit" in page and "Zaal Kiewit vragen" in page


def test_the_meeting_page_links_action_items_to_their_goals_and_public_activities_in_fixed_queries(
    client, past_meeting, org, domain_with_goal
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samen.activities.tests import factories

    goal = domain_with_goal
    past_meeting.minutes_public = True
    past_meeting.save()
    hidden = factories.make_activity("Verborgen", lead=org, goal=goal, is_published=False)
    shown = factories.make_activity("Zichtbaar", lead=org, goal=goal)

    def grow(n):
        for i in range(n):
            item = ActionItem.objects.create(
                meeting=past_meeting, text=f"punt {i}", owner_organisation=org, due_on=timezone.localdate()
            )
            item.goals.add(goal)
            item.activities.add(hidden, shown)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(past_meeting.get_absolute_url()).content.decode()
        return len(ctx), body

    grow(2)
    small, body = count()
    assert goal.title in body and "Zichtbaar" in body and "Verborgen" not in body
    grow(20)
    assert count()[0] == small


def test_an_action_item_owned_by_someone_outside_its_organisation_is_refused(
    client, coordinator, past_meeting, other_org, editor
):
    client.force_login(coordinator)
    due = timezone.localdate().isoformat()
    data = _minutes_data(
        past_meeting,
        items=[{"text": "Iets", "owner_organisation": other_org.pk, "owner": editor.pk, "due_on": due}],
    )
    response = client.post(f"/en/meetings/{past_meeting.pk}/minutes/", data)
    assert response.status_code == 200
    assert "This person does not work for the owner organisation." in response.content.decode()
    assert not ActionItem.objects.filter(text="Iets").exists()
    past_meeting.refresh_from_db()
    assert past_meeting.minutes == "<p>Verslag</p>"  # all or nothing


def test_attendance_is_marked_by_organisation_also_without_registration(client, coordinator, group, org, other_org):
    meeting = Meeting.objects.create(
        group=group, title="Overleg", starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    MeetingAttendance.objects.create(meeting=meeting, organisation=org, user=coordinator)
    client.force_login(coordinator)
    url = f"/en/meetings/{meeting.pk}/attendance/"
    assert client.post(url, {"organisations": [org.pk, other_org.pk]}).status_code == 302
    assert set(meeting.attendances.filter(attended=True).values_list("organisation_id", flat=True)) == {
        org.pk,
        other_org.pk,
    }
    client.post(url, {"organisations": [org.pk]})
    assert list(meeting.attendances.values_list("organisation_id", "attended")) == [(org.pk, True)]


def test_attendance_of_an_organisation_outside_the_group_is_refused(client, coordinator, group, make_org):
    from samen.communication.meetings import attendance_record

    outsider = make_org()
    meeting = Meeting.objects.create(group=group, title="Overleg", starts_at=timezone.now())
    client.force_login(coordinator)
    response = client.post(f"/en/meetings/{meeting.pk}/attendance/", {"organisations": [outsider.pk]})
    assert response.status_code == 200 and not meeting.attendances.exists()
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        attendance_record(meeting=meeting, actor=coordinator, organisation_ids=[outsider.pk])


def test_a_meeting_is_an_ical_entry_with_the_video_link_for_the_group_only(client, group, editor):
    meeting = Meeting.objects.create(
        group=group,
        title="Overleg juni",
        starts_at=_moment(10),
        place="Stadhuis",
        video_url="https://meet.example.org/geheim",
    )
    url = f"/nl/meetings/{meeting.pk}/meeting.ics"
    response = client.get(url)
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and f"UID:meeting-{meeting.pk}@" in body
    assert "SUMMARY:Overleg juni (Werkgroep zorg dichtbij)" in body and "geheim" not in body
    client.force_login(editor)
    assert "meet.example.org/geheim" in client.get(url).content.decode().replace("\r\n ", "")


def test_the_minutes_page_costs_the_same_queries_for_few_and_many_action_items(client, coordinator, past_meeting, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/en/meetings/{past_meeting.pk}/minutes/").status_code == 200
        return len(ctx)

    def grow(n):
        ActionItem.objects.bulk_create(
            [
                ActionItem(meeting=past_meeting, text=f"a{i}", owner_organisation=org, due_on=timezone.localdate())
                for i in range(n)
            ]
        )

    grow(8)
    small = count()
    grow(30)
    assert count() == small


def test_counts_in_messages_are_singular_for_one_in_dutch(client, coordinator, group, org, editor):
    """Review comm2 finding 1: "1 persoon is uitgenodigd", not "1 mensen zijn uitgenodigd"."""
    group.organisations.set([org])  # the editor is the one person of the group
    meeting = Meeting.objects.create(
        group=group, title="Overleg", starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    client.force_login(coordinator)
    page = client.post(f"/nl/meetings/{meeting.pk}/invite/", follow=True).content.decode()
    assert "1 persoon is uitgenodigd." in page
    page = client.post(f"/nl/meetings/{meeting.pk}/attendance/", {"organisations": [org.pk]}, follow=True)
    assert "1 organisatie was er." in page.content.decode()
    page = client.post(f"/en/meetings/{meeting.pk}/attendance/", {"organisations": [org.pk]}, follow=True)
    assert "1 organisation came." in page.content.decode()


def test_the_calendar_entry_of_a_group_only_meeting_shows_a_visitor_nothing_of_the_group(client, past_meeting):
    """Review comm2 finding 2: the .ics is public; minutes, decisions, action items and the video link are not."""
    past_meeting.video_url = "https://meet.example.org/alleen-de-groep"
    past_meeting.agenda = "<p>Buurtcafés</p>"
    past_meeting.save()
    response = client.get(f"/nl/meetings/{past_meeting.pk}/meeting.ics")
    body = response.content.decode().replace("\r\n ", "")  # unfold long lines
    assert response.status_code == 200 and "SUMMARY:Overleg maart (Werkgroep zorg dichtbij)" in body
    for secret in ("Verslag", "buurtcafé", "Zaal boeken", "Flyer", "alleen-de-groep", "meet.example.org"):
        assert secret not in body, secret
    page = client.get(past_meeting.get_absolute_url()).content.decode()
    for secret in ("Verslag", "We starten", "Zaal boeken", "alleen-de-groep"):
        assert secret not in page, secret


def test_a_second_invitation_tells_and_mails_nobody_again_but_a_moved_meeting_is_news(
    client, group, org, editor, coordinator, django_capture_on_commit_callbacks
):
    """Review comm2 (second reader) finding 1."""
    from django.core import mail

    from samen.communication.models import Notification

    meeting = Meeting.objects.create(group=group, title="Overleg", starts_at=_moment(4))
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/meetings/{meeting.pk}/invite/")
    first = Notification.objects.filter(topic="meetings").count()
    mailed = len(mail.outbox)
    assert first >= 1 and mailed >= 1  # meetings are mailed immediately by default
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/en/meetings/{meeting.pk}/invite/", follow=True).content.decode()
    assert "Everyone in the group was invited already." in page
    assert Notification.objects.filter(topic="meetings").count() == first and len(mail.outbox) == mailed
    meeting.starts_at = _moment(5)
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/meetings/{meeting.pk}/invite/")
    assert Notification.objects.filter(topic="meetings").count() == 2 * first


def test_owner_choices_and_registrations_never_show_an_email_address(client, coordinator, past_meeting, org, make_user):
    """Review comm2 (second reader) finding 4."""
    nameless = make_user(first_name="", last_name="")
    Membership.objects.create(member=nameless.member, organisation=org, is_confirmed=True)
    MeetingAttendance.objects.create(meeting=past_meeting, organisation=org, user=nameless)
    client.force_login(coordinator)
    for path in ("minutes", "attendance"):
        page = client.get(f"/en/meetings/{past_meeting.pk}/{path}/").content.decode()
        assert nameless.email not in page, path
        assert "someone without a name" in page, path


def test_taking_an_editor_out_of_the_group_withdraws_every_right_at_their_organisation(editor, org, past_meeting):
    """The audit's reproduction: out of `partner-editors`, the editor neither writes the organisation's news nor
    runs the meetings of the group it convenes, though the membership still says editor."""
    from samen.communication.meetings import may_change_action_item, may_manage_meetings
    from samen.communication.selectors import news_may_write
    from samen.network.models import User

    past_meeting.group.convener = org
    past_meeting.group.save()
    item = past_meeting.action_items.get(owner_organisation=org)
    item.owner = None  # the item's own person may always close it; here it is the organisation's
    assert news_may_write(editor, org) and may_manage_meetings(editor, past_meeting.group)
    assert may_change_action_item(editor, item)
    editor.groups.clear()
    editor = User.objects.get(pk=editor.pk)
    assert not news_may_write(editor, org) and not may_manage_meetings(editor, past_meeting.group)
    assert not may_change_action_item(editor, item)
    assert editor.member.memberships.get(organisation=org).is_editor  # the membership itself is untouched
